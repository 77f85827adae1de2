// One measured phase on a fresh daemon process: start it (its commit counters start at zero),
// send reports, read what it cost from /proc and the SQLite file, stop it and take the group
// commit figures from its last log line. A fresh process per phase keeps each phase's commit
// count its own; the daemon only logs its commit counters when the store closes.
import type { BenchStack } from './bench-stack.js';
import { RssWatcher, sampleProcess } from './process-sampler.js';
import type { ReportTracker } from './report-tracker.js';
import type { LoopResult } from './send-loops.js';
import { quantile } from './stats.js';

export interface PhaseFigures {
  phase: string;
  daemonPid: number;
  reports: number;
  seconds: number;
  /** Reports whose state change reached the cloud, per second. */
  reportsPerSec: number;
  /** outbox seqs committed in SQLite per second (state changes plus any other event). */
  committedEventsPerSec: number;
  /** COMMITs (each one WAL fsync) per second over the daemon's busy time. */
  commitsPerSec: number;
  writesPerCommit: number;
  maxCommitMs: number;
  /** Share of the busy time the daemon's event loop spent blocked in COMMIT (fsync, checkpoints). */
  commitBlockedPct: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  /** Daemon CPU (all threads) per report, and in cores while busy. */
  daemonCpuUsPerReport: number;
  daemonCores: number;
  /** CPU of this process (emulator, reference cloud, bench) in cores: near 1, the sender is the limit. */
  benchCores: number;
  /** Resident memory when the daemon was ready, and the most seen while the phase ran. */
  daemonRssStartMiB: number;
  daemonRssMaxMiB: number;
  daemonPeakRssMiB: number;
  /** Daemon log lines per 1000 reports (0 at info level: nothing is logged per message). */
  logLinesPer1000: number;
  lost: number;
  unmatched: number;
  /** The measured window on the monotonic clock V8 profiles use (µs), to cut a CPU profile to it. */
  windowUs: [number, number];
}

export interface PhaseRun {
  /** Sends before measuring (JIT warm-up at the same load); counted in commits, not in rates. */
  warmUp?: () => Promise<LoopResult>;
  measure: () => Promise<LoopResult>;
}

export async function runDaemonPhase(stack: BenchStack, tracker: ReportTracker, phase: string, run: PhaseRun, profile = false): Promise<PhaseFigures> {
  const daemon = await stack.startDaemon(profile);
  const pid = daemon.child.pid!;
  const rssStart = sampleProcess(pid)?.rssMiB ?? NaN;
  const rss = new RssWatcher(pid).start();
  const busyStart = performance.now();
  if (run.warmUp) await run.warmUp();

  tracker.resetLatencies();
  const arrivedBefore = tracker.arrived;
  const unmatchedBefore = tracker.unmatched;
  const seqBefore = stack.lastCommittedSeq();
  const cpuBefore = sampleProcess(pid);
  const linesBefore = daemon.lines.length;
  const benchCpuBefore = process.cpuUsage();
  const windowStart = monotonicUs();
  const result = await run.measure();
  const windowEnd = monotonicUs();
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const cpuAfter = sampleProcess(pid);
  const seqAfter = stack.lastCommittedSeq();
  const busySeconds = (performance.now() - busyStart) / 1000;
  const logLines = daemon.lines.length - linesBefore;
  const rssMax = rss.stop();

  await daemon.stop();
  const closed = daemon.lines.find((l) => l.msg === 'store: closed');
  const commits = Number(closed?.commits ?? NaN);
  const writes = Number(closed?.committedWrites ?? NaN);
  const arrived = tracker.arrived - arrivedBefore;
  const cpuMs = cpuBefore && cpuAfter ? cpuAfter.cpuMs - cpuBefore.cpuMs : NaN;
  const lat = tracker.latencies;
  return {
    phase,
    daemonPid: pid,
    reports: result.sent,
    seconds: result.seconds,
    reportsPerSec: arrived / result.seconds,
    committedEventsPerSec: (seqAfter - seqBefore) / result.seconds,
    commitsPerSec: commits / busySeconds,
    writesPerCommit: writes / commits,
    maxCommitMs: Number(closed?.commitMsMax ?? NaN),
    commitBlockedPct: Number(closed?.commitMsTotal ?? NaN) / 10 / busySeconds,
    latencyP50Ms: quantile(lat, 0.5),
    latencyP99Ms: quantile(lat, 0.99),
    latencyMaxMs: quantile(lat, 1),
    daemonCpuUsPerReport: (cpuMs * 1000) / Math.max(arrived, 1),
    daemonCores: cpuMs / 1000 / result.seconds,
    benchCores: (benchCpu.user + benchCpu.system) / 1e6 / result.seconds,
    daemonRssStartMiB: rssStart,
    daemonRssMaxMiB: rssMax,
    daemonPeakRssMiB: cpuAfter?.peakRssMiB ?? NaN,
    logLinesPer1000: (logLines * 1000) / Math.max(result.sent, 1),
    lost: result.lost,
    unmatched: tracker.unmatched - unmatchedBefore,
    windowUs: [windowStart, windowEnd],
  };
}

/** CLOCK_MONOTONIC in µs: the clock of V8 CPU profile timestamps (startTime, timeDeltas). */
function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}
