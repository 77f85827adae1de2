// Repeated log lines, limited in one place. A device sending garbage ten times a second, or a
// link failing in a tight loop, would otherwise fill the journal (and wear an SD card) with the
// same line, and push out everything else. Per kind of line (level, namespace, message), the
// first `burst` lines of a window are written; the rest are only counted, and one line per
// window says how many were suppressed, with the fields of the last one.

export interface RepeatLimit {
  /** Lines of one kind written per window before the rest are suppressed. */
  burst: number;
  windowMs: number;
}

export const DEFAULT_REPEAT_LIMIT: RepeatLimit = { burst: 10, windowMs: 60_000 };

/** A window that ended with lines suppressed: what its summary line says. */
export interface SuppressedLines<T> {
  key: string;
  suppressed: number;
  /** The last suppressed line's payload (its level, namespace, message and fields). */
  last: T;
}

interface Tally<T> {
  windowStart: number;
  written: number;
  suppressed: number;
  last?: T;
}

// Message texts are fixed (values go in fields), so kinds are few; the cap only guards against
// a caller that builds messages from data.
const MAX_KINDS = 1000;

export class RepeatLimiter<T> {
  private readonly tallies = new Map<string, Tally<T>>();

  constructor(
    private readonly limit: RepeatLimit,
    private readonly now: () => number,
  ) {}

  /**
   * Whether a line of kind `key` is written now. `ended` is the summary owed for this kind's
   * previous window, if it suppressed lines: write it first.
   */
  admit(key: string, line: T): { write: boolean; ended?: SuppressedLines<T> } {
    const now = this.now();
    let tally = this.tallies.get(key);
    let ended: SuppressedLines<T> | undefined;
    if (tally && now - tally.windowStart >= this.limit.windowMs) {
      ended = summary(key, tally);
      tally = undefined;
    }
    if (!tally) {
      if (this.tallies.size >= MAX_KINDS) this.forgetQuietKinds(now);
      tally = { windowStart: now, written: 0, suppressed: 0 };
      this.tallies.delete(key); // re-inserted last: the map stays in window order
      this.tallies.set(key, tally);
    }
    if (tally.written < this.limit.burst) {
      tally.written++;
      return { write: true, ...(ended ? { ended } : {}) };
    }
    tally.suppressed++;
    tally.last = line;
    return { write: false, ...(ended ? { ended } : {}) };
  }

  /** Summaries of windows that have ended (all windows with `all`), each reported once. */
  takeEnded(all = false): Array<SuppressedLines<T>> {
    const now = this.now();
    const out: Array<SuppressedLines<T>> = [];
    for (const [key, tally] of this.tallies) {
      if (!all && now - tally.windowStart < this.limit.windowMs) continue;
      const ended = summary(key, tally);
      if (ended) out.push(ended);
      this.tallies.delete(key);
    }
    return out;
  }

  /** When the earliest window holding suppressed lines ends (for a timer), if any. */
  nextSummaryAt(): number | undefined {
    let next: number | undefined;
    for (const tally of this.tallies.values()) {
      if (tally.suppressed === 0) continue;
      const end = tally.windowStart + this.limit.windowMs;
      if (next === undefined || end < next) next = end;
    }
    return next;
  }

  private forgetQuietKinds(now: number): void {
    for (const [key, tally] of this.tallies) {
      if (tally.suppressed === 0 && now - tally.windowStart >= this.limit.windowMs) this.tallies.delete(key);
    }
    // Still full: the oldest window goes (its count with it; memory stays bounded).
    if (this.tallies.size >= MAX_KINDS) this.tallies.delete(this.tallies.keys().next().value!);
  }
}

function summary<T>(key: string, tally: Tally<T>): SuppressedLines<T> | undefined {
  return tally.suppressed > 0 && tally.last !== undefined ? { key, suppressed: tally.suppressed, last: tally.last } : undefined;
}
