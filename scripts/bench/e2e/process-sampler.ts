// What a process costs, read from /proc (Linux): CPU time, current and peak resident memory.
// The daemon runs as a child process, so process.cpuUsage()/memoryUsage() cannot see it.
import fs from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat utime/stime; 100 on every Linux we run on. */
const CLK_TCK = 100;

export interface ProcessSample {
  /** user + system CPU since the process started, in ms (tick-sampled: 4 ms ticks here). */
  cpuMs: number;
  /**
   * Time on a CPU of all its live threads, in ms, from the scheduler's own clock
   * (/proc/<pid>/task/<tid>/schedstat, ns): exact, where cpuMs is charged per tick to whoever
   * runs at that instant and can be biased for a process that runs in short bursts.
   */
  runMs: number;
  rssMiB: number;
  /** Peak resident set size since the process started (VmHWM). */
  peakRssMiB: number;
}

export function sampleProcess(pid: number): ProcessSample | undefined {
  try {
    // Fields after the command name (which may contain spaces), 0-based: utime = 11, stime = 12.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return { cpuMs, runMs: runMsOf(pid), rssMiB: kib(status, 'VmRSS') / 1024, peakRssMiB: kib(status, 'VmHWM') / 1024 };
  } catch {
    return undefined; // not Linux, or the process is gone
  }
}

function runMsOf(pid: number): number {
  let ns = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return ns / 1e6;
}

function kib(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : NaN;
}

/** Samples RSS every intervalMs, keeping the highest value: bounded memory shows as a plateau. */
export class RssWatcher {
  private timer: NodeJS.Timeout | undefined;
  maxRssMiB = 0;

  constructor(private readonly pid: number, private readonly intervalMs = 200) {}

  start(): this {
    this.timer = setInterval(() => {
      const sample = sampleProcess(this.pid);
      if (sample) this.maxRssMiB = Math.max(this.maxRssMiB, sample.rssMiB);
    }, this.intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): number {
    clearInterval(this.timer);
    return this.maxRssMiB;
  }
}
