// The end-to-end benchmark's output: a table per phase and the headline figures with their
// ratios, and the rows `npm run bench` puts in its summary.
import type { PhaseFigures } from './daemon-phase.js';
import type { PhaseProfile } from './profile-report.js';
import { range, round } from './stats.js';

export interface EndToEndResult {
  bench: 'end-to-end';
  devices: number;
  phases: PhaseFigures[];
  baselines: { frameBytes: number; serialCeilingPerSec: number; emulatorAlonePerSec: number; sqliteRawPerSec: number; sqliteRawBatch: number };
  ratios: { timesSerialCeiling: number; ofEmulatorAlone: number; ofSqliteRaw: number; pacedTimesSerialCeiling: number };
  target: { reportsPerSec: number; maxCommitsPerSec: number; met: boolean };
  profiles?: PhaseProfile[];
}

/** One line of the `npm run bench` summary table. */
export interface SummaryRow {
  metric: string;
  value: string;
  /** The same machine's figure this is compared with, and the ratio. */
  versus?: string;
}

const unpacedPhases = (r: EndToEndResult) => r.phases.filter((p) => p.phase.startsWith('unpaced'));
const pacedPhase = (r: EndToEndResult) => r.phases.find((p) => p.phase.startsWith('paced'))!;

export function summaryRows(r: EndToEndResult): SummaryRow[] {
  const u = unpacedPhases(r);
  const p = pacedPhase(r);
  const b = r.baselines;
  const of = (pick: (f: PhaseFigures) => number, digits = 0) => range(u.map(pick), digits);
  return [
    {
      metric: 'e2e reports/s committed + at cloud (unpaced)',
      value: of((f) => f.reportsPerSec),
      versus: `${r.ratios.timesSerialCeiling}x serial ceiling (${b.serialCeilingPerSec}/s); ${r.ratios.ofEmulatorAlone} of emulator alone (${b.emulatorAlonePerSec}/s); ${r.ratios.ofSqliteRaw} of raw SQLite (${b.sqliteRawPerSec}/s)`,
    },
    { metric: 'e2e commits (fsyncs)/s at that load', value: of((f) => f.commitsPerSec, 1), versus: `target < ${r.target.maxCommitsPerSec}` },
    {
      metric: 'e2e daemon CPU µs/report (unpaced)',
      value: of((f) => f.daemonCpuUsPerReport),
      versus: `one core's worth: ${of((f) => 1e6 / f.daemonCpuUsPerReport)} reports/s`,
    },
    {
      metric: 'e2e daemon RSS MiB: ready -> max in phase',
      value: `${range(u.map((f) => f.daemonRssStartMiB))} -> ${range(u.map((f) => f.daemonRssMaxMiB))}`,
      versus: `peak ever (VmHWM) ${range([...u, p].map((f) => f.daemonPeakRssMiB))}`,
    },
    { metric: `e2e latency p50/p99 ms at ${p.phase.replace('paced ', '')}`, value: `${p.latencyP50Ms} / ${p.latencyP99Ms}`, versus: `${r.ratios.pacedTimesSerialCeiling}x serial ceiling` },
    { metric: `e2e commits/s at ${p.phase.replace('paced ', '')}`, value: String(p.commitsPerSec) },
    { metric: 'e2e target (>= 5000/s, < 100 commits/s)', value: r.target.met ? 'met' : 'MISSED' },
  ];
}

export function printReport(r: EndToEndResult): void {
  const b = r.baselines;
  console.log(`end-to-end: ${r.devices} simulated devices -> virtual CC2652 (TCP) -> zigbee-herdsman -> daemon process -> SQLite -> reference cloud`);
  console.table(
    r.phases.map((f) => ({
      phase: f.phase,
      reports: f.reports,
      'reports/s': f.reportsPerSec,
      'committed/s': f.committedEventsPerSec,
      'commits/s': f.commitsPerSec,
      'in COMMIT %': f.commitBlockedPct,
      'worst commit ms': f.maxCommitMs,
      'p50 ms': f.latencyP50Ms,
      'p99 ms': f.latencyP99Ms,
      'CPU µs/report': f.daemonCpuUsPerReport,
      cores: f.daemonCores,
      'bench cores': f.benchCores,
      'RSS ready/max MiB': `${f.daemonRssStartMiB}/${f.daemonRssMaxMiB}`,
      lost: f.lost,
    })),
  );
  console.log(
    `a report is a ${b.frameBytes}-byte MT frame: 115200 baud carries ${b.serialCeilingPerSec}/s; ` +
      `emulator alone ${b.emulatorAlonePerSec}/s; raw better-sqlite3 ${b.sqliteRawPerSec}/s at ${b.sqliteRawBatch} per transaction`,
  );
  for (const profile of r.profiles ?? []) {
    console.log(`daemon CPU by part in the measured window of ${profile.phase} (time blocked in fsync counts too):`);
    console.table(profile.shares);
    console.log(
      `by function: npx tsx scripts/bench/cpu-profile-summary.ts ${profile.file} ` +
        `--from ${profile.windowUs[0]} --to ${profile.windowUs[1]} --reports ${profile.reports}`,
    );
  }
  console.table(summaryRows(r));
  const latency = unpacedPhases(r).map((f) => round(f.latencyP50Ms, 0));
  console.log(`(unpaced latency is queueing behind the window of reports in flight: p50 ${range(latency)} ms; the paced phase shows the latency of the pipeline itself)`);
}
