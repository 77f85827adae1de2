// Benchmark: how fast a backlog reaches the cloud after an outage (issue 13). Every part is its
// own process, as in end-to-end-processes.ts: the virtual coordinator, the daemon
// (bin/zigbee-hubd.js) and the reference cloud. Per run: the daemon starts with its cloud
// target on a port where nothing listens; --events reports (each a state change, so each one
// committed event) go through the radio until the daemon's outbox holds them all; then the
// reference cloud starts on that port. Replay is timed from the gateway's connection to the
// arrival of the last of those events (the daemon's reconnect backoff is not counted). Also:
// reports/s committed while offline, daemon and cloud CPU µs per replayed event, the daemon's
// peak RSS.
//
//   npx tsx scripts/bench/backlog-replay.ts [--devices 200] [--events 100000] [--runs 3]
//     [--window 2000] [--bin DIR/bin/zigbee-hubd.js] [--json]
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DaemonProcess } from '../lib/daemon-process.js';
import { reportKind } from './e2e/report-kinds.js';
import { sampleProcess } from './e2e/process-sampler.js';
import { median, round } from './e2e/stats.js';
import { HelperProcess } from './processes/helper-process.js';
import { type FromCloud, type FromCoordinator, type ToCloud, type ToCoordinator, wallClockMs } from './processes/messages.js';
import { BENCH_GATEWAY, benchDaemonConfig } from './processes/bench-daemon-config.js';
import { seedDevices } from './processes/seed-devices.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const GATEWAY = BENCH_GATEWAY;
const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '200' },
    events: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
    window: { type: 'string', default: '2000' },
    bin: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const EVENTS = Number(args.events);
const progress = (line: string) => void process.stderr.write(`${line}\n`);
const runtime = args.bin ? { bin: path.resolve(args.bin), env: { ZIGBEE_HUBD_RUNTIME: 'dist' } } : {};

const daemonConfig = (coordinatorPort: number, cloudPort: number) => benchDaemonConfig(coordinatorPort, cloudPort);

interface RunFigures {
  run: number;
  /** Reports/s from the first sent to the last committed, cloud unreachable. */
  offlineIngestPerSec: number;
  /** Outbox events waiting when the cloud came back. */
  backlog: number;
  replayEventsPerSec: number;
  replaySeconds: number;
  /** From the cloud's start to the gateway's connection: the daemon's reconnect backoff. */
  reconnectSeconds: number;
  cpuUsPerEvent: number;
  /** The reference cloud's CPU per event in the replay (decode, store, ack): the other end. */
  cloudCpuUsPerEvent: number;
  peakRssMiB: number;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-backlog-replay-'));
const stateFile = path.join(dir, 'stick.json');
progress(`seeding ${args.devices} devices in ${dir}`);
const devices = await seedDevices({ dir, stateFile, gatewayId: GATEWAY, daemonConfig, devices: Number(args.devices), plugShare: 0.2 });
const stateKeyOf = new Map(devices.map((d) => [d.ieee, reportKind(d.catalogueId).stateKey]));
const coordinator = HelperProcess.start<ToCoordinator, FromCoordinator>(path.join(HERE, 'processes/coordinator-host.ts'), [stateFile]);
const cloudPort = await freePort();

try {
  const { port: coordinatorPort } = await coordinator.next('listening');
  coordinator.send({ kind: 'devices', devices });
  // The first start imports the seeded clones; its events are delivered and acked, not measured.
  await withCloud(async () => {
    const daemon = await startDaemon(coordinatorPort);
    await waitForOutbox(daemon.metricsPort, (n) => n === 0, 180_000);
    await daemon.process.stop();
  });

  const runs: RunFigures[] = [];
  for (let run = 1; run <= Number(args.runs); run++) runs.push(await oneRun(run, coordinatorPort));
  const summary = (['replayEventsPerSec', 'offlineIngestPerSec', 'cpuUsPerEvent', 'cloudCpuUsPerEvent', 'peakRssMiB', 'reconnectSeconds'] as const).map((metric) => {
    const values = runs.map((r) => r[metric]);
    return { metric, median: round(median(values), 1), range: `${round(Math.min(...values), 1)}-${round(Math.max(...values), 1)}` };
  });
  const rows = summary.map((r) => ({ metric: `backlog replay ${r.metric}`, value: `${r.median} (${r.range})` }));
  if (args.json) console.log(JSON.stringify({ bench: 'backlog-replay', devices: devices.length, events: EVENTS, machine: machine(), runs, medians: summary, summary: rows }));
  else {
    console.log(`backlog replay after a ${EVENTS}-event outage, separate processes, ${devices.length} devices; ${machine()}`);
    console.table(runs.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v, 1)]))));
    console.table(summary);
  }
} finally {
  await coordinator.stop({ kind: 'stop' });
  fs.rmSync(dir, { recursive: true, force: true });
}

async function oneRun(run: number, coordinatorPort: number): Promise<RunFigures> {
  progress(`run ${run}: cloud down, ${EVENTS} reports`);
  const daemon = await startDaemon(coordinatorPort);
  const base = await outboxEvents(daemon.metricsPort);
  const ingestStart = performance.now();
  let sent = 0;
  let committed = 0;
  while (committed < EVENTS) {
    const n = Math.min(EVENTS - sent, Number(args.window) - (sent - committed));
    if (n > 0) {
      coordinator.send({ kind: 'send', count: n });
      sent += n;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    committed = (await outboxEvents(daemon.metricsPort)) - base;
  }
  const offlineIngestPerSec = (EVENTS / (performance.now() - ingestStart)) * 1000;
  const backlog = await outboxEvents(daemon.metricsPort);
  progress(`run ${run}: ${backlog} events waiting; cloud back`);

  const figures = await withCloud(async (cloud, cloudStartedAt) => {
    let arrived = 0;
    let lastArrivalAt = 0;
    const all = new Promise<void>((resolve) => {
      cloud.on((m) => {
        if (m.kind !== 'arrived') return;
        for (const [ieee, state, at] of m.events) {
          const key = stateKeyOf.get(ieee);
          if (key === undefined || !(key in state)) continue;
          arrived++;
          lastArrivalAt = Math.max(lastArrivalAt, at);
        }
        if (arrived >= EVENTS) resolve();
      });
    });
    await cloud.next('connected', 300_000);
    const connectedAt = wallClockMs();
    const cpuBefore = sampleProcess(daemon.process.child.pid!)!;
    const cloudCpuBefore = sampleProcess(cloud.child.pid!)!;
    await withTimeout(all, 600_000, () => `only ${arrived} of ${EVENTS} events arrived`);
    const cpuAfter = sampleProcess(daemon.process.child.pid!)!;
    const cloudCpuAfter = sampleProcess(cloud.child.pid!)!;
    const replaySeconds = (lastArrivalAt - connectedAt) / 1000;
    // Acked before the stop, so the next run's backlog is its own.
    await waitForOutbox(daemon.metricsPort, (n) => n === 0, 120_000);
    await daemon.process.stop();
    return {
      run,
      offlineIngestPerSec,
      backlog,
      replayEventsPerSec: arrived / replaySeconds,
      replaySeconds,
      reconnectSeconds: (connectedAt - cloudStartedAt) / 1000,
      cpuUsPerEvent: ((cpuAfter.cpuMs - cpuBefore.cpuMs) * 1000) / arrived,
      cloudCpuUsPerEvent: ((cloudCpuAfter.cpuMs - cloudCpuBefore.cpuMs) * 1000) / arrived,
      peakRssMiB: cpuAfter.peakRssMiB,
    };
  });
  progress(`run ${run}: ${JSON.stringify(Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, round(v, 1)])))}`);
  return figures;
}

async function startDaemon(coordinatorPort: number): Promise<{ process: DaemonProcess; metricsPort: number }> {
  const daemon = DaemonProcess.start({ dir, config: daemonConfig(coordinatorPort, cloudPort), ...runtime });
  await daemon.ready(180_000);
  const metricsPort = Number((await daemon.waitForLog((l) => l.msg === 'metrics listening')).port);
  return { process: daemon, metricsPort };
}

/** Runs fn with the reference cloud (its own process) listening on cloudPort, then stops it. */
async function withCloud<T>(fn: (cloud: HelperProcess<ToCloud, FromCloud>, startedAt: number) => Promise<T>): Promise<T> {
  const startedAt = wallClockMs();
  const cloud = HelperProcess.start<ToCloud, FromCloud>(path.join(HERE, 'processes/cloud-host.ts'), [GATEWAY, String(cloudPort)]);
  try {
    await cloud.next('listening');
    return await fn(cloud, startedAt);
  } finally {
    await cloud.stop({ kind: 'stop' });
  }
}

async function outboxEvents(metricsPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const value = /^zigbee_hubd_outbox_events (\d+)/m.exec(text)?.[1];
  if (value === undefined) throw new Error('the daemon\'s metrics have no zigbee_hubd_outbox_events');
  return Number(value);
}

async function waitForOutbox(metricsPort: number, done: (events: number) => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let events = await outboxEvents(metricsPort);
  while (!done(events)) {
    if (performance.now() > deadline) throw new Error(`the outbox still holds ${events} events after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    events = await outboxEvents(metricsPort);
  }
}

function withTimeout(promise: Promise<void>, ms: number, message: () => string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message())), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A port nothing listens on now (the cloud's, while it is down). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function machine(): string {
  return `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`;
}
