// Benchmark: the product end to end with every part in its own process, as on a gateway: the
// virtual coordinator (coordinator-host.ts), the daemon (bin/zigbee-hubd.js, as systemd runs
// it) and the reference cloud (cloud-host.ts); this process only asks for reports and matches
// the emulator's send stamps to the cloud's arrival stamps. 200 devices (weather sensors and
// plugs, seeded by cloning two paired ones). Phases, each on a fresh daemon process:
// paced at each --rates (latency of the pipeline itself), then unpaced (at most --window
// reports in flight). Per phase: latency p50/p99 (radio frame -> delivered), daemon CPU µs per
// report, commits/s (each made durable by at most one WAL fsync; from the daemon's metrics), RSS at ready, 5 s later and
// peak, start to ready. Repeated --runs times; the summary gives medians with their ranges.
// --lan-watcher also runs one LAN watcher in a process of its own (lan-watcher-host.ts: paired,
// batch_events, gRPC over TLS, like hubctl watch) and reports radio frame -> LAN watcher latency
// (lanLatencyP50Ms/P99Ms) beside radio frame -> cloud (latencyP50Ms/P99Ms).
//
//   npx tsx scripts/bench/end-to-end-processes.ts [--devices 200] [--runs 3] [--rates 100,300]
//     [--seconds 8] [--warmup 2] [--reports 20000] [--window 2000] [--store '{"commit_interval_ms":20}']
//     [--bin [LABEL=]DIR/bin/zigbee-hubd.js[@NODE-FLAG ...][,LABEL=...]] [--lan-watcher] [--paced-only]
//     [--zigbee2mqtt] [--z2m-log-level warning] [--herdsman-floor] [--json]
// --zigbee2mqtt also runs Zigbee2MQTT 2.14.1 (installed on demand into ~/.cache/zigbee-hubd, see
// zigbee2mqtt/install.ts) in the same run, interleaved with the builds: the same coordinator process,
// network and 200 devices (its database starts as a copy of the hub's), publishing to an MQTT
// broker in a process of its own (processes/mqtt-host.ts); its latency is radio frame -> MQTT
// publish at the broker. --z2m-log-level sets its advanced.log_level (default warning, its
// cheapest; at info it logs every publish).
// --herdsman-floor also runs processes/herdsman-floor-host.mjs: zigbee-herdsman on the same network,
// each message converted by the converters' fromZigbee, nothing else; what any herdsman-based hub
// pays per report before its own work (latency: radio frame -> converted).
// --warmup: seconds of paced reports before each paced window (the JIT is still compiling the
// report path for a minute or more at 100/s; a long-running daemon has done that).
// --bin runs a build copied aside by snapshot-build.sh (its dist/, forced), so a measurement
// is of that build even while the sources change; default: this checkout's bin. With several,
// every phase runs on each in turn (interleaved, so a change in the machine's load touches all
// of them alike) and is labelled with its LABEL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DaemonProcess } from '../lib/daemon-process.js';
import { sampleProcess } from './e2e/process-sampler.js';
import { sendUnpaced, type LoopResult, type Pipeline } from './e2e/send-loops.js';
import { median, quantile, round } from './e2e/stats.js';
import { ArrivalMatcher } from './processes/arrival-matcher.js';
import { HelperProcess } from './processes/helper-process.js';
import type { FromCloud, FromCoordinator, FromHerdsmanFloor, FromLanWatcher, FromMqtt, ToCloud, ToCoordinator, ToHerdsmanFloor, ToLanWatcher, ToMqtt } from './processes/messages.js';
import { BENCH_GATEWAY, benchDaemonConfig } from './processes/bench-daemon-config.js';
import { seedDevices } from './processes/seed-devices.js';
import { ensureZigbee2mqtt } from './zigbee2mqtt/install.js';
import { consoleTail, prepareZigbee2mqtt, startZigbee2mqtt, stopZigbee2mqtt } from './zigbee2mqtt/z2m-process.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const GATEWAY = BENCH_GATEWAY;
const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '200' },
    runs: { type: 'string', default: '3' },
    rates: { type: 'string', default: '100,300' },
    seconds: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    reports: { type: 'string', default: '20000' },
    window: { type: 'string', default: '2000' },
    store: { type: 'string' },
    bin: { type: 'string' },
    'lan-watcher': { type: 'boolean', default: false },
    'paced-only': { type: 'boolean', default: false },
    zigbee2mqtt: { type: 'boolean', default: false },
    'herdsman-floor': { type: 'boolean', default: false },
    'z2m-log-level': { type: 'string', default: 'warning' },
    json: { type: 'boolean', default: false },
  },
});
const progress = (line: string) => void process.stderr.write(`${line}\n`);
const RATES = args.rates.split(',').map(Number);
const SECONDS = Number(args.seconds);
interface Build {
  label: string;
  runtime: { bin?: string; env?: NodeJS.ProcessEnv; nodeArgs?: string[] };
  /** Zigbee2MQTT rather than a build of the hub. */
  zigbee2mqtt?: true;
  /** herdsman-floor-host.mjs rather than a build of the hub. */
  floor?: true;
}
const builds: Build[] = args.bin
  ? args.bin.split(',').map((spec, i) => {
      const eq = spec.indexOf('=');
      const at = spec.indexOf('@', eq);
      const label = eq > 0 && (at < 0 || eq < at) ? spec.slice(0, eq) : `build${i + 1}`;
      const file = spec.slice(label === `build${i + 1}` ? 0 : eq + 1, at < 0 ? undefined : at);
      const flags = at < 0 ? undefined : spec.slice(at + 1);
      return { label, runtime: { bin: path.resolve(file), env: { ZIGBEE_HUBD_RUNTIME: 'dist' }, nodeArgs: flags?.split(' ').filter(Boolean) ?? [] } };
    })
  : [{ label: '', runtime: {} }];
if (args.zigbee2mqtt) builds.push({ label: 'zigbee2mqtt', runtime: {}, zigbee2mqtt: true });
if (args['herdsman-floor']) builds.push({ label: 'herdsman-floor', runtime: {}, floor: true });
if (builds.length > 1 && !builds[0]!.label) builds[0]!.label = 'zigbee-hubd';
const zigbee2mqtt = args.zigbee2mqtt ? ensureZigbee2mqtt(progress) : undefined;
const labelled = (build: Build, name: string) => (build.label ? `${build.label}: ${name}` : name);
const storeConfig = args.store ? (JSON.parse(args.store) as Record<string, unknown>) : undefined;

const withLan = args['lan-watcher'];
const daemonConfig = (coordinatorPort: number, cloudPort: number) =>
  benchDaemonConfig(coordinatorPort, cloudPort, {
    ...(storeConfig ? { store: storeConfig } : {}),
    ...(withLan ? { lan: { enabled: true, listen: '127.0.0.1', port: 0, mdns: false } } : {}),
  });

interface PhaseFigures {
  phase: string;
  reportsPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Radio frame -> the LAN watcher (--lan-watcher; NaN without). */
  lanLatencyP50Ms: number;
  lanLatencyP99Ms: number;
  cpuUsPerReport: number;
  /** The same from the scheduler's exact run time (process-sampler.ts runMs). */
  runUsPerReport: number;
  commitsPerSec: number;
  startToReadyMs: number;
  rssReadyMiB: number;
  rss5sMiB: number;
  peakRssMiB: number;
  lost: number;
  daemonPid: number;
  /** The measured window on CLOCK_MONOTONIC in µs, the clock of V8 CPU profiles: with
   * `@--cpu-prof --cpu-prof-dir=DIR` on a build, cpu-profile-summary.ts --from/--to cuts to it. */
  windowUs: [number, number];
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-e2e-processes-'));
const stateFile = path.join(dir, 'stick.json');
progress(`seeding ${args.devices} devices in ${dir}`);
const devices = await seedDevices({ dir, stateFile, gatewayId: GATEWAY, daemonConfig, devices: Number(args.devices), plugShare: 0.2 });
const coordinator = HelperProcess.start<ToCoordinator, FromCoordinator>(path.join(HERE, 'processes/coordinator-host.ts'), [stateFile]);
const cloud = HelperProcess.start<ToCloud, FromCloud>(path.join(HERE, 'processes/cloud-host.ts'), [GATEWAY]);
const matcher = new ArrivalMatcher(devices);
coordinator.on((m) => m.kind === 'sent' && matcher.onSent(m.records));
cloud.on((m) => m.kind === 'arrived' && matcher.onArrived(m.events));
const mqtt = zigbee2mqtt ? HelperProcess.start<ToMqtt, FromMqtt>(path.join(HERE, 'processes/mqtt-host.ts'), [zigbee2mqtt.dir]) : undefined;
// Only one of the hub and Zigbee2MQTT runs at a time, so both feed the one matcher.
mqtt?.on((m) => m.kind === 'arrived' && matcher.onArrived(m.events));
const mqttListening = mqtt?.next('listening');
const z2mDataDir = path.join(dir, 'zigbee2mqtt');
const lanWatcher = withLan ? HelperProcess.start<ToLanWatcher, FromLanWatcher>(path.join(HERE, 'processes/lan-watcher-host.ts'), []) : undefined;
const lanMatcher = new ArrivalMatcher(devices);
if (lanWatcher) {
  coordinator.on((m) => m.kind === 'sent' && lanMatcher.onSent(m.records));
  lanWatcher.on((m) => {
    if (m.kind === 'arrived') lanMatcher.onArrived(m.events);
    else if (m.kind === 'ended') progress(`  the LAN watcher's stream ended: ${m.reason}`);
  });
}
// Waits for what is in flight to arrive (the sends themselves go to the emulator in chunks).
const drainOnly: Pipeline = { send: () => undefined, inFlight: () => matcher.inFlight(), progress: matcher.progress };

try {
  const [{ port: coordinatorPort }, { port: cloudPort }] = await Promise.all([coordinator.next('listening'), cloud.next('listening')]);
  coordinator.send({ kind: 'devices', devices });
  // The first start imports the seeded clones into the store; not measured.
  const hubBuild = builds.find((b) => !b.zigbee2mqtt && !b.floor)!;
  await startSubject(hubBuild, coordinatorPort, cloudPort).then((running) => running.stop());
  if (mqtt) {
    const { port: mqttPort } = (await mqttListening)!;
    prepareZigbee2mqtt({ dataDir: z2mDataDir, hubDataDir: path.join(dir, 'data'), channel: 11, coordinatorPort, mqttPort, logLevel: args['z2m-log-level'] });
    // Zigbee2MQTT's first start configures the plugs, and each weather sensor when it first speaks
    // (one report from every device); not measured.
    const running = await startSubject(builds.find((b) => b.zigbee2mqtt)!, coordinatorPort, cloudPort);
    const warm = await paced(100, Math.ceil(devices.length / 100) + 1);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    await running.stop();
    // Not carried into the measured phases (they would each wait for it and count it lost).
    if (warm.lost > 0) progress(`  zigbee2mqtt's first start: ${warm.lost} of ${warm.sent} reports did not reach MQTT`);
    matcher.requested = matcher.arrived;
  }

  const phases: PhaseFigures[] = [];
  for (let run = 1; run <= Number(args.runs); run++) {
    for (const rate of RATES) {
      for (const build of builds) {
        phases.push(await phase(build, labelled(build, `paced ${rate}/s`), coordinatorPort, cloudPort, () => paced(rate, Number(args.warmup)), () => paced(rate, SECONDS)));
      }
    }
    for (const build of args['paced-only'] ? [] : builds) {
      phases.push(await phase(build, labelled(build, 'unpaced'), coordinatorPort, cloudPort, () => unpaced(2000), () => unpaced(Number(args.reports))));
    }
  }
  const summary = summarise(phases);
  // `summary` in the shape `npm run bench` prints (scripts/bench/run.ts); `medians` as measured.
  const rows = summary.map((r) => ({ metric: `${r.phase} ${r.metric}`, value: `${r.median} (${r.range})` }));
  if (args.json) console.log(JSON.stringify({ bench: 'end-to-end-processes', devices: devices.length, machine: machine(), phases, medians: summary, summary: rows }));
  else {
    console.log(`end-to-end, separate processes, ${devices.length} devices; ${machine()}`);
    console.table(phases.map((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === 'number' ? round(v, v >= 100 ? 0 : 2) : v]))));
    console.table(summary);
  }
} finally {
  await coordinator.stop({ kind: 'stop' });
  await cloud.stop({ kind: 'stop' });
  await lanWatcher?.stop({ kind: 'stop' });
  await mqtt?.stop({ kind: 'stop' });
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A hub build or Zigbee2MQTT, started and ready: the hub connected to the cloud, Zigbee2MQTT
 * online on MQTT. */
interface RunningSubject {
  pid: number;
  startToReadyMs: number;
  /** The hub's metrics endpoint (commits/s, the LAN port); Zigbee2MQTT has none. */
  daemon?: DaemonProcess;
  stop(): Promise<void>;
}

async function startSubject(build: Build, coordinatorPort: number, cloudPort: number): Promise<RunningSubject> {
  if (build.floor) {
    const started = performance.now();
    const floor = HelperProcess.start<ToHerdsmanFloor, FromHerdsmanFloor>(path.join(HERE, 'processes/herdsman-floor-host.mjs'), [
      path.join(dir, 'herdsman-floor'),
      path.join(dir, 'data'),
      String(coordinatorPort),
    ]);
    floor.on((m) => m.kind === 'arrived' && matcher.onArrived(m.events));
    await floor.next('ready', 180_000);
    return { pid: floor.child.pid!, startToReadyMs: performance.now() - started, stop: () => floor.stop({ kind: 'stop' }) };
  }
  if (build.zigbee2mqtt) {
    // The previous run's "offline" may still be on its way: wait for "online".
    let off: () => unknown = () => undefined;
    const online = new Promise<void>((resolve) => (off = mqtt!.on((m) => m.kind === 'bridge' && m.state === 'online' && (resolve(), true))));
    const started = performance.now();
    const child = startZigbee2mqtt(zigbee2mqtt!.entry, z2mDataDir);
    const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`zigbee2mqtt exited (${code}) before it was online:\n${consoleTail(z2mDataDir)}`))));
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`zigbee2mqtt was not online within 180 s:\n${consoleTail(z2mDataDir)}`)), 180_000).unref());
    await Promise.race([online, exited, timeout]).finally(off);
    const startToReadyMs = performance.now() - started;
    exited.catch(() => undefined);
    return { pid: child.pid!, startToReadyMs, stop: () => stopZigbee2mqtt(child) };
  }
  const connected = cloud.next('connected', 180_000);
  const started = performance.now();
  const daemon = DaemonProcess.start({ dir, config: daemonConfig(coordinatorPort, cloudPort), ...build.runtime });
  await daemon.ready(180_000);
  const startToReadyMs = performance.now() - started;
  await connected;
  return { pid: daemon.child.pid!, startToReadyMs, daemon, stop: async () => void (await daemon.stop()) };
}

async function phase(build: Build, name: string, coordinatorPort: number, cloudPort: number, warmUp: () => Promise<LoopResult>, measure: () => Promise<LoopResult>): Promise<PhaseFigures> {
  progress(`phase ${name}`);
  const running = await startSubject(build, coordinatorPort, cloudPort);
  const { daemon, pid, startToReadyMs } = running;
  const rssReadyMiB = sampleProcess(pid)?.rssMiB ?? NaN;
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const rss5sMiB = sampleProcess(pid)?.rssMiB ?? NaN;
  const metricsPort = daemon ? Number((await daemon.waitForLog((l) => l.msg === 'metrics listening')).port) : undefined;
  const watching = daemon ? lanWatcher : undefined;
  if (daemon && watching) {
    const lanPort = Number((await daemon.waitForLog((l) => l.msg === 'lan api listening')).port);
    const attached = watching.next('watching', 60_000);
    watching.send({ kind: 'attach', address: `127.0.0.1:${lanPort}`, adminSocket: path.join(dir, 'data', 'admin', 'lan.sock') });
    await attached;
  }
  await warmUp();
  matcher.resetLatencies();
  lanMatcher.resetLatencies();
  const arrivedBefore = matcher.arrived;
  const lanArrivedBefore = lanMatcher.arrived;
  const commitsBefore = await commits(metricsPort);
  const cpuBefore = sampleProcess(pid)!;
  const windowStart = monotonicUs();
  const result = await measure();
  const windowEnd = monotonicUs();
  const cpuAfter = sampleProcess(pid)!;
  const commitsAfter = await commits(metricsPort);
  const arrived = matcher.arrived - arrivedBefore;
  if (watching) {
    // The two helpers report over separate IPC channels: let the watcher's last stamps land.
    const deadline = Date.now() + 10_000;
    while (lanMatcher.arrived - lanArrivedBefore < arrived && Date.now() < deadline) await lanMatcher.progress.next(1000);
    if (lanMatcher.arrived - lanArrivedBefore < arrived) progress(`  the LAN watcher got ${lanMatcher.arrived - lanArrivedBefore} of ${arrived} reports`);
    watching.send({ kind: 'detach' });
  }
  await running.stop();
  const figures: PhaseFigures = {
    phase: name,
    reportsPerSec: arrived / result.seconds,
    latencyP50Ms: quantile(matcher.latencies, 0.5),
    latencyP99Ms: quantile(matcher.latencies, 0.99),
    lanLatencyP50Ms: watching ? quantile(lanMatcher.latencies, 0.5) : NaN,
    lanLatencyP99Ms: watching ? quantile(lanMatcher.latencies, 0.99) : NaN,
    cpuUsPerReport: ((cpuAfter.cpuMs - cpuBefore.cpuMs) * 1000) / Math.max(arrived, 1),
    runUsPerReport: ((cpuAfter.runMs - cpuBefore.runMs) * 1000) / Math.max(arrived, 1),
    commitsPerSec: (commitsAfter - commitsBefore) / result.seconds,
    startToReadyMs,
    rssReadyMiB,
    rss5sMiB,
    peakRssMiB: cpuAfter.peakRssMiB,
    lost: result.lost,
    daemonPid: pid,
    windowUs: [windowStart, windowEnd],
  };
  progress(`  ${JSON.stringify(Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, typeof v === 'number' ? round(v, 2) : v])))}`);
  return figures;
}

function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

async function paced(rate: number, seconds: number): Promise<LoopResult> {
  const done = coordinator.next('paced', (seconds + 60) * 1000);
  matcher.requested += Math.round(rate * seconds);
  coordinator.send({ kind: 'pace', rate, seconds });
  const t0 = performance.now();
  await done;
  const drained = await sendUnpaced(drainOnly, 0, 1);
  return { sent: Math.round(rate * seconds), seconds: (performance.now() - t0) / 1000, lost: drained.lost };
}

async function unpaced(count: number): Promise<LoopResult> {
  const window = Number(args.window);
  const t0 = performance.now();
  let sent = 0;
  while (sent < count) {
    const n = Math.min(count - sent, window - matcher.inFlight());
    if (n > 0) {
      matcher.requested += n;
      coordinator.send({ kind: 'send', count: n });
      sent += n;
    }
    if (!(await matcher.progress.next(10_000))) break;
  }
  const drained = await sendUnpaced(drainOnly, 0, 1);
  return { sent, seconds: (performance.now() - t0) / 1000, lost: drained.lost };
}

async function commits(metricsPort: number | undefined): Promise<number> {
  if (metricsPort === undefined) return NaN;
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  return Number(/^zigbee_hubd_sqlite_commits_total (\d+)/m.exec(text)?.[1] ?? NaN);
}

function summarise(phases: PhaseFigures[]): Array<{ phase: string; metric: string; median: number; range: string }> {
  const rows: Array<{ phase: string; metric: string; median: number; range: string }> = [];
  for (const name of [...new Set(phases.map((p) => p.phase))]) {
    const of = phases.filter((p) => p.phase === name);
    const lanMetrics = withLan ? (['lanLatencyP50Ms', 'lanLatencyP99Ms'] as const) : [];
    for (const metric of ['reportsPerSec', 'latencyP50Ms', 'latencyP99Ms', ...lanMetrics, 'cpuUsPerReport', 'runUsPerReport', 'commitsPerSec', 'startToReadyMs', 'rssReadyMiB', 'rss5sMiB', 'peakRssMiB', 'lost'] as const) {
      const values = of.map((p) => p[metric]);
      const digits = /^(lanL|l)atency/.test(metric) ? 1 : 0;
      rows.push({ phase: name, metric, median: round(median(values), digits), range: `${round(Math.min(...values), digits)}-${round(Math.max(...values), digits)}` });
    }
  }
  return rows;
}

function machine(): string {
  return `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`;
}
