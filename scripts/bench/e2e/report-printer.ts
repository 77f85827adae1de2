// The end-to-end benchmark's human-readable output.
import type { PhaseFigures } from './daemon-phase.js';

export interface EndToEndResult {
  bench: 'end-to-end';
  devices: number;
  phases: PhaseFigures[];
  baselines: { frameBytes: number; serialCeilingPerSec: number; emulatorAlonePerSec: number; sqliteRawPerSec: number; sqliteRawBatch: number };
  ratios: { timesSerialCeiling: number; ofEmulatorAlone: number; ofSqliteRaw: number; pacedTimesSerialCeiling: number };
  target: { reportsPerSec: number; maxCommitsPerSec: number; met: boolean };
}

export function printReport(r: EndToEndResult): void {
  const [unpaced, paced] = r.phases as [PhaseFigures, PhaseFigures];
  const b = r.baselines;
  console.log(`end-to-end: ${r.devices} simulated devices -> virtual CC2652 (TCP) -> zigbee-herdsman -> daemon -> SQLite -> reference cloud`);
  console.table(r.phases.map(({ phase, reports, seconds, reportsPerSec, committedEventsPerSec, commitsPerSec, latencyP50Ms, latencyP99Ms, daemonCpuUsPerReport, daemonCores, daemonPeakRssMiB, lost }) => ({
    phase, reports, seconds, reportsPerSec, committedEventsPerSec, commitsPerSec, latencyP50Ms, latencyP99Ms, daemonCpuUsPerReport, daemonCores, daemonPeakRssMiB, lost,
  })));
  console.log(
    `unpaced: ${unpaced.reportsPerSec} reports/s committed and at the cloud, ${unpaced.commitsPerSec} commits (fsyncs)/s ` +
      `(${unpaced.writesPerCommit} writes per commit, worst commit ${unpaced.maxCommitMs} ms), ${unpaced.daemonCpuUsPerReport} µs daemon CPU per report`,
  );
  console.log(`paced ${paced.phase.replace('paced ', '')}: latency device -> cloud p50 ${paced.latencyP50Ms} ms, p99 ${paced.latencyP99Ms} ms, ${paced.commitsPerSec} commits/s`);
  console.log(
    `serial ceiling: a report is a ${b.frameBytes}-byte MT frame; 115200 baud carries ${b.serialCeilingPerSec}/s -> ` +
      `end to end is ${r.ratios.timesSerialCeiling}x the serial ceiling (paced phase: ${r.ratios.pacedTimesSerialCeiling}x)`,
  );
  console.log(
    `same machine: emulator alone ${b.emulatorAlonePerSec} reports/s (end to end = ${r.ratios.ofEmulatorAlone} of it); ` +
      `raw better-sqlite3 ${b.sqliteRawPerSec} reports/s at ${b.sqliteRawBatch} per transaction (end to end = ${r.ratios.ofSqliteRaw} of it)`,
  );
  console.log(
    r.target.met
      ? `target met: >= ${r.target.reportsPerSec} reports/s with < ${r.target.maxCommitsPerSec} commits/s`
      : `TARGET MISSED: want >= ${r.target.reportsPerSec} reports/s with < ${r.target.maxCommitsPerSec} commits/s and nothing lost`,
  );
}
