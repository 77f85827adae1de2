// The compiled daemon keeps V8's compile cache (Node >= 22.1): the first start fills it, the next
// start compiles from it, and a cache dir that cannot be used never stops a start. Real daemon
// processes from a compiled package on the virtual coordinator. Node 20 has no compile cache:
// this runs on Node 24 (scripts/ci/node24.sh's subset).
import { once } from 'node:events';
import fs from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import t from 'tap';
import { DaemonProcess } from '../../scripts/lib/daemon-process.js';
import { startVirtualCoordinator } from '../../scripts/virtual-coordinator/coordinator.js';
import { daemonOnFormedStick } from '../zigbee/formed-stick.js';
import { buildCompiledPackage, packagedDaemonConfig } from './helpers/compiled-package.js';

const supported = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

const filesUnder = (dir: string): string[] =>
  fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name) : [];

t.test('compile cache: filled by the first start, used by the next, never in the way', { skip: supported ? false : `node ${process.version} has no compile cache (22.1 or later; scripts/ci/node24.sh runs this on Node 24)` }, async (t) => {
  const pkg = await buildCompiledPackage();
  t.teardown(() => fs.rmSync(pkg, { recursive: true, force: true }));
  const dataDir = path.join(pkg, 'run', 'data');
  const coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: path.join(pkg, 'stick.json'), ...(await daemonOnFormedStick(dataDir)) });
  t.teardown(() => coordinator.stop());
  const start = async (env: NodeJS.ProcessEnv) => {
    const daemon = DaemonProcess.start({
      dir: path.join(pkg, 'run'),
      bin: path.join(pkg, 'bin/zigbee-hubd.js'),
      config: packagedDaemonConfig(coordinator.port),
      env: { ZIGBEE_HUBD_RUNTIME: undefined, NODE_OPTIONS: '', CACHE_DIRECTORY: undefined, NODE_DISABLE_COMPILE_CACHE: undefined, ...env },
    });
    t.teardown(() => daemon.stop());
    const ready = await daemon.ready(180_000);
    const cacheLine = daemon.lines.find((l) => l.msg === 'compile cache');
    t.same(await daemon.stop(), { code: 0, signal: null }, 'stops cleanly');
    // Every stderr line read (the second start's cache debug lines): the pipe is closed.
    if (!daemon.child.stderr!.closed) await once(daemon.child.stderr!, 'close');
    return { daemon, ready, cacheLine };
  };

  // Outside systemd: <data_dir>/cache.
  const first = await start({});
  t.match(first.cacheLine, { level: 'info', status: 'enabled', dir: path.join(dataDir, 'cache') }, 'one line names the dir and the status');
  const written = filesUnder(path.join(dataDir, 'cache'));
  t.ok(written.length > 50, `the first start filled the cache (${written.length} files)`);

  const second = await start({ NODE_DEBUG_NATIVE: 'COMPILE_CACHE' });
  t.equal(second.ready.msg, 'zigbee-hubd ready');
  const main = `file://${path.join(pkg, 'dist/daemon/main.js')}`;
  t.ok(second.daemon.stderr.some((l) => l.includes(`code cache for ESM ${main} was accepted`)), 'the second start compiled main.js from the cache');

  // systemd's CacheDirectory= wins over the data dir.
  const systemdCache = path.join(pkg, 'var-cache');
  const third = await start({ CACHE_DIRECTORY: systemdCache });
  // Enabled by bin/zigbee-hubd.js before the CLI's modules load, so the CLI finds it on.
  t.match(third.cacheLine, { status: 'already_enabled', dir: systemdCache });
  t.ok(filesUnder(systemdCache).length > 50, 'CACHE_DIRECTORY was filled');

  // A cache dir that cannot be created (a file in the way; root ignores permission bits).
  const blocker = path.join(pkg, 'not-a-dir');
  fs.writeFileSync(blocker, '');
  const blocked = await start({ CACHE_DIRECTORY: path.join(blocker, 'cache') });
  t.equal(blocked.ready.msg, 'zigbee-hubd ready', 'an unusable cache dir does not stop the start');
  t.match(blocked.cacheLine, { level: 'info', status: 'failed', dir: path.join(blocker, 'cache'), reason: /not a directory|ENOTDIR/ });
});
