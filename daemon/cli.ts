// The process shell: command line, config, logger, then hands the process to the lifecycle
// supervisor (signals, crashes, exit codes). Wiring the daemon itself is main.ts's job.
// Exit codes are listed in daemon/ops/CONFIG.md.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CRASH_MARKER_FILE, CrashRecorder } from './ops/crash-marker.js';
import { ConfigError, defaultConfig, loadConfig, type HubConfig } from './ops/config.js';
import { printableConfig } from './ops/config-print.js';
import { isJournalStream } from './ops/journal-stream.js';
import { readCloudIdentity, withIdentityProblems, type CloudIdentity } from './ops/cloud-identity.js';
import { createLogger } from './ops/logger.js';
import { EXIT, superviseDaemon } from './ops/process-lifecycle.js';
import { createServiceNotifier } from './ops/service-notifier.js';
import { compileCacheDir, enableCompileCache, flushCompileCache, type CompileCacheApi } from './ops/compile-cache.js';
import { StartTimeline } from './ops/start-timeline.js';

const USAGE = `Usage: zigbee-hubd [--config FILE] [--check-config | --print-config]

  -c, --config FILE   YAML (or JSON) config file (see daemon/ops/CONFIG.md); without it, all
                      defaults. ZIGBEE_HUBD_<SECTION>__<KEY> variables override any key.
      --check-config  validate the config and exit (0 when valid, 78 when not)
      --print-config  print the effective config (file, defaults, overrides) as YAML and exit
  -h, --help          show this help
  -V, --version       show the version
`;

export interface CliOptions {
  /** performance.now() at the bin script's first line: where the start timeline's first phase ends. */
  enteredAt?: number;
  /** node:module, given only when the compiled build runs: the V8 compile cache is for it alone. */
  compileCache?: CompileCacheApi;
}

export async function runCli(argv: string[], options: CliOptions = {}): Promise<void> {
  const timeline = new StartTimeline(() => performance.now(), options.enteredAt ?? 0);
  timeline.mark('modules_to_cli');
  let args: { config?: string; 'check-config'?: boolean; 'print-config'?: boolean; help?: boolean; version?: boolean };
  try {
    args = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        'check-config': { type: 'boolean' },
        'print-config': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    process.stderr.write(`zigbee-hubd: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = EXIT.USAGE;
    return;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (args.version) {
    process.stdout.write(`zigbee-hubd ${readVersion()}\n`);
    return;
  }

  let config: HubConfig;
  let cloudIdentity: CloudIdentity;
  try {
    const env = process.env;
    config = args.config === undefined ? defaultConfig({ env }) : loadConfig(args.config, { env });
    cloudIdentity = readCloudIdentity(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${withIdentityProblems(error).message}\n`);
    process.exitCode = EXIT.CONFIG;
    return;
  }
  if (args['print-config']) {
    process.stdout.write(printableConfig(config));
    return;
  }
  if (args['check-config']) {
    process.stdout.write(`config OK: ${config.source}\n`);
    return;
  }

  // journald (or a closed pipe) going away must not turn every log line into a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  process.title = 'zigbee-hubd';
  const log = createLogger({
    out: process.stdout,
    level: config.log.level,
    levels: config.log.levels,
    repeats: config.log.maxRepeatsPerMinute === 0 ? false : { burst: config.log.maxRepeatsPerMinute, windowMs: 60_000 },
    format: config.log.format,
    syslogPriorityPrefix: isJournalStream(1, process.env),
  });
  if (cloudIdentity.token !== undefined) log.addSecret(cloudIdentity.token);
  const version = readVersion();
  log.info('zigbee-hubd starting', { version, config: config.source, node: process.version, pid: process.pid });
  log.debug('effective config', { ...config });
  if (options.compileCache) {
    // Before main.js: zigbee-herdsman, the converters and gRPC are most of what is compiled.
    const cache = enableCompileCache(options.compileCache, compileCacheDir(process.env, config.dataDir));
    (cache.status === 'unsupported' ? log.debug : log.info).call(log, 'compile cache', { ...cache });
  }
  timeline.mark('config');

  // systemd Type=notify (a no-op without NOTIFY_SOCKET): READY, STATUS, watchdog, STOPPING.
  const notifier = createServiceNotifier({ env: process.env, pid: process.pid, log: log.child('systemd') });
  if (notifier.enabled) notifier.status('starting: opening the store and the Zigbee coordinator');
  // Shared by the crash handler (writes the marker) and the start (takes it): see crash-marker.ts.
  const crash = new CrashRecorder(path.join(config.dataDir, CRASH_MARKER_FILE));
  await superviseDaemon({
    proc: process,
    log,
    graceMs: config.shutdownTimeoutSeconds * 1000,
    crash,
    start: async () => {
      // Loaded only now, so that a bad config is reported before zigbee-herdsman is loaded.
      const { startDaemon } = await import('./main.js');
      timeline.mark('daemon_modules');
      const daemon = await startDaemon(config, { log, cloudIdentity, version, crash, timeline });
      // startDaemon resolves once the coordinator is up and the store open: that is READY.
      notifier.ready(daemon.status());
      // Now rather than at exit: a start that ends in a power cut still leaves the cache behind.
      if (options.compileCache) flushCompileCache(options.compileCache);
      notifier.startWatchdog(() => daemon.status());
      return {
        stop: () => {
          notifier.stopping();
          return daemon.stop().finally(() => log.flushRepeats());
        },
      };
    },
  });
}

/** package.json sits one folder up from daemon/cli.ts, two from the build's dist/daemon/cli.js. */
function readVersion(): string {
  for (const relative of ['../package.json', '../../package.json']) {
    const file = new URL(relative, import.meta.url);
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'zigbee-hubd') return pkg.version ?? 'unknown';
  }
  return 'unknown';
}

// `tsx daemon/cli.ts ...` runs it directly; bin/zigbee-hubd.js imports it and calls runCli.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCli(process.argv.slice(2));
}
