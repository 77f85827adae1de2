// One fleet-sim run: the reference cloud as its own process (SQLite file, quiet), N simulated
// gateways in this process, each on its own connection, generating reports at a steady rate
// with random uplink drops and periodic reconnect storms; then the fleet drains and the cloud's
// SQLite file is asked whether every event arrived exactly once.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { CloudProcess } from '../lib/reference-cloud-process.js';
import { SimulatedGateway } from './gateway.js';
import type { FleetOptions } from './options.js';
import { seededRandom } from './options.js';
import { recoveryAfter, startStorms, type StormRecovery } from './storms.js';
import { startTraffic } from './traffic.js';
import { tallyDeliveries, type DeliveryTally } from './verify.js';
import { mib, round, sleep, waitUntil } from './wait.js';

export interface FleetReport {
  options: FleetOptions;
  cores: number;
  /** Events committed by the fleet and stored by the cloud per second of generation. */
  offeredPerSecond: number;
  storedPerSecond: number;
  /** Seconds from the end of generation until every event was acked. */
  drainS: number;
  cloud: { baselineRssMiB: number; connectedRssMiB: number; peakRssMiB: number; rssPerStreamKiB: number; cpuPercent: number; cpuUsPerEvent: number };
  /** First connect of the whole fleet at once, then every storm: seconds until every gateway was back. */
  storms: { count: number; recovery: StormRecovery[] };
  /** This process (the simulated gateways): CPU and how late its event loop ran, to tell whether the simulator was the limit. */
  simulator: { cpuPercent: number; loopDelayP99Ms: number; loopDelayMaxMs: number };
  drops: number;
  reconnects: number;
  resent: number;
  tally: DeliveryTally;
  /** Gateways with events still unacknowledged when the drain timed out (empty = all drained). */
  undrained: string[];
  exactlyOnce: boolean;
}

export async function runFleet(options: FleetOptions, progress: (line: string) => void): Promise<FleetReport> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'fleet-sim-'));
  const database = join(dir, 'cloud.db');
  const random = seededRandom(options.seed);
  const cloud = await CloudProcess.start([
    ...['--port', '0', '--db', database, '--control-port', '0', '--quiet'],
    ...(options.ackDelayMs ? ['--ack-delay-ms', String(options.ackDelayMs)] : []),
  ]);
  const timers: NodeJS.Timeout[] = [];
  const gateways: SimulatedGateway[] = [];
  let traffic: ReturnType<typeof startTraffic> | undefined;
  let storms: ReturnType<typeof startStorms> | undefined;
  try {
    const baseline = cloud.usage();
    let peakRss = baseline.rssBytes;
    timers.push(
      setInterval(() => {
        const { rssBytes } = cloud.usage();
        if (Number.isFinite(rssBytes)) peakRss = Math.max(peakRss, rssBytes);
      }, 500),
    );
    for (let i = 0; i < options.gateways; i++) {
      const id = `sim-${String(i).padStart(6, '0')}`;
      gateways.push(new SimulatedGateway({ id, target: `127.0.0.1:${cloud.port}`, ignoreWelcome: random() < options.resendFraction, random }));
    }

    // The whole fleet connects at once (a cloud coming back after an outage): the first storm.
    const connectAll = Date.now();
    for (const gateway of gateways) gateway.connect();
    const firstConnect = await recoveryAfter(gateways, connectAll, gateways.map(() => 0));
    const connected = cloud.usage();
    progress(`all ${gateways.length} gateways connected in ${firstConnect.all} s; cloud RSS ${mib(connected.rssBytes)} MiB (${mib(baseline.rssBytes)} before)`);

    const generationStart = Date.now();
    const cpuStart = cloud.usage().cpuMs;
    const simCpuStart = process.cpuUsage();
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    traffic = startTraffic(gateways, options, random);
    storms = startStorms(cloud, gateways, options.stormEveryS, progress);
    timers.push(
      setInterval(() => {
        const acked = gateways.reduce((sum, g) => sum + g.lastAcked, 0);
        const committed = gateways.reduce((sum, g) => sum + g.lastSeq, 0);
        progress(`${Math.round((Date.now() - generationStart) / 1000)} s: ${committed} committed, ${acked} acked, ${gateways.filter((g) => g.connected).length} connected, cloud RSS ${mib(cloud.usage().rssBytes)} MiB`);
      }, 5000),
    );

    await sleep(options.durationS * 1000);
    traffic.stop();
    const generationEnd = Date.now();
    const recoveries = [firstConnect, ...(await storms.stop())];
    const drained = await waitUntil(() => gateways.every((g) => g.drained()), options.drainTimeoutS * 1000, false);
    const undrained = drained ? [] : gateways.filter((g) => !g.drained()).map((g) => g.describe());
    const drainEnd = Date.now();
    const cpuMs = cloud.usage().cpuMs - cpuStart;
    const simCpu = process.cpuUsage(simCpuStart);
    loopDelay.disable();

    for (const timer of timers.splice(0)) clearInterval(timer);
    const expected = gateways.map((g) => ({ id: g.id, epoch: g.epoch, lastSeq: g.lastSeq }));
    for (const gateway of gateways) gateway.stop();
    await cloud.stop('SIGTERM');
    const tally = tallyDeliveries(database, expected);
    const committed = tally.expected;
    const generationS = (generationEnd - generationStart) / 1000;
    return {
      options,
      cores: cpus().length,
      offeredPerSecond: round(committed / generationS),
      storedPerSecond: round(tally.stored / ((drainEnd - generationStart) / 1000)),
      drainS: round((drainEnd - generationEnd) / 1000),
      cloud: {
        baselineRssMiB: mib(baseline.rssBytes),
        connectedRssMiB: mib(connected.rssBytes),
        peakRssMiB: mib(peakRss),
        rssPerStreamKiB: round((connected.rssBytes - baseline.rssBytes) / 1024 / gateways.length),
        cpuPercent: round((100 * cpuMs) / (drainEnd - generationStart)),
        cpuUsPerEvent: round((1000 * cpuMs) / Math.max(1, tally.stored)),
      },
      storms: { count: recoveries.length, recovery: recoveries },
      simulator: {
        cpuPercent: round((100 * (simCpu.user + simCpu.system)) / 1000 / (drainEnd - generationStart)),
        loopDelayP99Ms: round(loopDelay.percentile(99) / 1e6),
        loopDelayMaxMs: round(loopDelay.max / 1e6),
      },
      drops: traffic.counts.drops,
      reconnects: gateways.reduce((sum, g) => sum + g.connects, 0) - gateways.length,
      resent: gateways.reduce((sum, g) => sum + g.sent, 0) - committed,
      tally,
      undrained,
      exactlyOnce: undrained.length === 0 && tally.problems.length === 0 && tally.stored === committed,
    };
  } finally {
    traffic?.stop();
    // Storms still recovering when the run failed: their outcome no longer matters.
    storms?.stop().catch(() => undefined);
    for (const timer of timers) clearInterval(timer);
    for (const gateway of gateways) gateway.stop();
    await cloud.stop('SIGKILL');
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  }
}
