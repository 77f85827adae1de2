// Reading the daemon's JSON log lines case by case: a cursor that survives trimming (the
// long run must not keep every line ever written), and what counts as "logged with a reason".
import type { DaemonProcess, LogLine } from '../lib/daemon-process.js';

const KEEP_LINES = 20_000;

export class DaemonLog {
  /** Lines dropped from the front of daemon.lines so far. */
  private dropped = 0;

  constructor(readonly daemon: DaemonProcess) {}

  /** A position to read from later. */
  mark(): number {
    return this.dropped + this.daemon.lines.length;
  }

  since(mark: number): LogLine[] {
    return this.daemon.lines.slice(Math.max(0, mark - this.dropped));
  }

  /** Forget old lines; marks taken before stay valid (they just see fewer lines). */
  trim(): void {
    const excess = this.daemon.lines.length - KEEP_LINES;
    if (excess <= 0) return;
    this.daemon.lines.splice(0, excess);
    this.dropped += excess;
  }
}

/** A line saying why something was refused or dropped: warn/error, or any line with a reason. */
export function isRefusalLine(line: LogLine): boolean {
  if (line.level === 'raw') return false;
  if (typeof line.reason === 'string' && line.reason !== '') return true;
  return line.level === 'warn' || line.level === 'error';
}

/** A refusal line about this device (its IEEE address in a field or in the message). */
export function namesDevice(line: LogLine, ieee: string): boolean {
  const lower = ieee.toLowerCase();
  if (typeof line.ieee === 'string' && line.ieee.toLowerCase() === lower) return true;
  return line.msg.toLowerCase().includes(lower) || JSON.stringify(line).toLowerCase().includes(lower);
}

/** Counter key for a refusal: the message plus its reason with numbers blanked out. */
export function refusalCategory(line: LogLine): string {
  const reason = typeof line.reason === 'string' ? line.reason : typeof line.error === 'string' ? line.error : '';
  const text = reason ? `${line.msg}: ${reason}` : line.msg;
  return blankNumbers(text).slice(0, 160);
}

export function blankNumbers(text: string): string {
  return text.replace(/0x[0-9a-f]+|-?\d+(\.\d+)?(e[+-]?\d+)?/gi, '#');
}
