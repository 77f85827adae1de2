// Benchmark: sustained ingestion end to end. The virtual coordinator's simulated devices send
// reports, each a real state change, through the real zigbee-herdsman into the daemon (a child
// process), which converts them, commits them to SQLite and streams them to the reference
// cloud. Not a test; `npm run bench` runs it, or by hand:
//
//   npx tsx scripts/bench/end-to-end.ts [--reports 30000] [--repeat 3] [--window 2000]
//     [--rate 1000] [--paced-seconds 5] [--weather 4] [--plugs 2] [--commit-interval-ms N]
//     [--log-level info] [--profile DIR] [--json]
//
// Phases: join the devices (one daemon process), then each phase on a fresh daemon process so
// its commit counters are its own: unpaced --repeat times (as fast as the pipeline takes them,
// at most --window reports in flight; a warm-up at the same load first) and paced (--rate
// reports/s: latency at a steady load). Then baselines on the same machine: the emulator alone
// into a counting sink, and raw better-sqlite3 inserts. --profile DIR adds V8 CPU profiles of the
// first unpaced and the paced daemon, cut to their measured windows.
import { parseArgs } from 'node:util';
import { BenchStack } from './e2e/bench-stack.js';
import { runDaemonPhase, type PhaseFigures } from './e2e/daemon-phase.js';
import { measureEmulatorAlone } from './e2e/emulator-baseline.js';
import { profileOfPhase } from './e2e/profile-report.js';
import { reportKind } from './e2e/report-kinds.js';
import { printReport, summaryRows, type EndToEndResult } from './e2e/report-printer.js';
import { type ReportingDevice, ReportTracker } from './e2e/report-tracker.js';
import { sendPaced, sendUnpaced } from './e2e/send-loops.js';
import { serialCeiling, watchIncomingMsgSizes } from './e2e/serial-ceiling.js';
import { measureRawSqlite } from './e2e/sqlite-baseline.js';
import { median, round } from './e2e/stats.js';

const { values: args } = parseArgs({
  options: {
    reports: { type: 'string', default: '30000' },
    repeat: { type: 'string', default: '3' },
    window: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '1000' },
    'paced-seconds': { type: 'string', default: '5' },
    weather: { type: 'string', default: '4' },
    plugs: { type: 'string', default: '2' },
    'commit-interval-ms': { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
    profile: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const REPORTS = Number(args.reports);
const WINDOW = Number(args.window);
const RATE = Number(args.rate);
const PACED_SECONDS = Number(args['paced-seconds']);
const progress = (line: string) => void (args.json ? process.stderr : process.stdout).write(`${line}\n`);

const stack = await BenchStack.start({
  logLevel: args['log-level'],
  ...(args['commit-interval-ms'] !== undefined ? { commitIntervalMs: Number(args['commit-interval-ms']) } : {}),
  ...(args.profile ? { cpuProfileDir: args.profile } : {}),
});
try {
  const ids = [...Array(Number(args.weather)).fill('aqara-weather'), ...Array(Number(args.plugs)).fill('aqara-plug')] as string[];
  progress(`end-to-end: joining ${ids.length} devices (${args.weather} aqara-weather, ${args.plugs} aqara-plug)`);
  const ieees = await stack.join(ids);
  const devices: ReportingDevice[] = ieees.map((ieee, i) => ({ ieee, kind: reportKind(ids[i]!), device: stack.coordinator.device(ieee) }));
  const tracker = new ReportTracker(devices);
  stack.arrivals.onStateChanged = (event, at) => tracker.onCloudState(event.ieee, event.state, at);

  // One report per device first: proves each kind converts, and gives the frame sizes on the wire.
  const frames = watchIncomingMsgSizes(stack.coordinator);
  const check = await sendUnpaced(tracker, devices.length, devices.length);
  frames.stop();
  if (check.lost > 0) throw new Error(`${check.lost} of ${devices.length} first reports never reached the cloud`);
  await stack.daemon.stop();

  const warmUp = Math.min(5000, Math.round(REPORTS / 5));
  const unpaced: PhaseFigures[] = [];
  for (let i = 1; i <= Number(args.repeat); i++) {
    progress(`phase unpaced #${i}: ${warmUp} warm-up + ${REPORTS} reports, window ${WINDOW}`);
    const phase = await runDaemonPhase(stack, tracker, `unpaced #${i}`, {
      warmUp: () => sendUnpaced(tracker, warmUp, WINDOW),
      measure: () => sendUnpaced(tracker, REPORTS, WINDOW),
    }, i === 1 && args.profile !== undefined);
    unpaced.push(phase);
    progress(`  ${Math.round(phase.reportsPerSec)} reports/s, ${round(phase.commitsPerSec, 1)} commits/s`);
  }
  progress(`phase paced: ${RATE}/s for ${PACED_SECONDS} s`);
  const paced = await runDaemonPhase(stack, tracker, `paced ${RATE}/s`, {
    warmUp: () => sendPaced(tracker, RATE, 1),
    measure: () => sendPaced(tracker, RATE, PACED_SECONDS),
  }, args.profile !== undefined);

  progress('baselines: emulator alone into a counting sink; raw better-sqlite3');
  const emulator = await measureEmulatorAlone(stack.coordinator, devices, REPORTS, WINDOW);
  const sqlite = measureRawSqlite(2, 500);
  const frameBytes = Math.max(...frames.sizes);
  const ceiling = serialCeiling(frameBytes);
  const emulatorPerSec = emulator.sent / emulator.seconds;
  const typical = median(unpaced.map((p) => p.reportsPerSec));

  const result: EndToEndResult = {
    bench: 'end-to-end',
    devices: ids.length,
    phases: [...unpaced, paced].map(rounded),
    baselines: {
      frameBytes,
      serialCeilingPerSec: round(ceiling),
      emulatorAlonePerSec: Math.round(emulatorPerSec),
      sqliteRawPerSec: Math.round(sqlite.reportsPerSec),
      sqliteRawBatch: sqlite.batch,
    },
    ratios: {
      timesSerialCeiling: round(typical / ceiling, 1),
      ofEmulatorAlone: round(typical / emulatorPerSec, 3),
      ofSqliteRaw: round(typical / sqlite.reportsPerSec, 3),
      pacedTimesSerialCeiling: round(RATE / ceiling, 1),
    },
    target: {
      reportsPerSec: 5000,
      maxCommitsPerSec: 100,
      met: typical >= 5000 && unpaced.every((p) => p.commitsPerSec < 100 && p.lost === 0),
    },
    ...(args.profile ? { profiles: [unpaced[0]!, paced].flatMap((phase) => profileOfPhase(args.profile!, phase) ?? []) } : {}),
  };
  if (args.json) console.log(JSON.stringify({ ...result, summary: summaryRows(result) }));
  else printReport(result);
} finally {
  await stack.stop();
}

function rounded(p: PhaseFigures): PhaseFigures {
  const out = { ...p };
  for (const [k, v] of Object.entries(out)) if (typeof v === 'number') (out as Record<string, unknown>)[k] = round(v, Math.abs(v) >= 100 ? 0 : 2);
  return out;
}
