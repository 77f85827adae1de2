// Retries failed and incomplete interviews. herdsman interviews a device once, when it joins,
// and only tries again if the device joins again; a device that was busy, out of range or
// asleep at that moment would stay half known. Here each such device gets a bounded number
// of further attempts with growing delays. A device that listens all the time (a router,
// anything mains powered) is retried when its delay has passed; a sleepy one hears nothing
// while it sleeps, so once its delay has passed it is retried on its next sign of life.
import type { Ieee } from '../domain/events.js';
import type { Clock, Timers, ZigbeeLogger } from './types.js';

export type InterviewOutcome = 'successful' | 'failed' | 'incomplete';

export interface InterviewRetryOptions {
  /** Automatic attempts per device after the one that failed (per session). */
  maxRetries: number;
  /** Wait before retry n (1-based) is delaysMs[n - 1]; the last entry repeats. */
  delaysMs: readonly number[];
  clock: Clock;
  timers: Timers;
  log: ZigbeeLogger;
  /** Whether the device listens all the time, so that a retry can reach it unprompted. */
  listens: (ieee: Ieee) => boolean;
  /**
   * Interviews the device once. Its outcome is reported back through onOutcome (the network
   * emits the interview's events either way); resolves false when nothing was started
   * (another interview is running, or the device is gone).
   */
  retry: (ieee: Ieee, attempt: number) => Promise<boolean>;
}

interface PendingRetry {
  /** Automatic attempts made so far. */
  retries: number;
  /** Not retried before this time (ms since the epoch). */
  notBefore: number;
  timer?: unknown;
  /** The delay has passed; waiting for the (sleepy) device to speak. */
  due: boolean;
  running: boolean;
}

export class InterviewRetry {
  private readonly pending = new Map<Ieee, PendingRetry>();

  constructor(private readonly o: InterviewRetryOptions) {}

  /** Every interview's end, whoever ran it (herdsman at join, a retry, a person's request). */
  onOutcome(ieee: Ieee, outcome: InterviewOutcome): void {
    if (outcome === 'successful') {
      const entry = this.pending.get(ieee);
      if (entry && entry.retries > 0) this.o.log.info('interview succeeded on retry', { ieee, attempt: entry.retries });
      this.forget(ieee);
      return;
    }
    const entry = this.pending.get(ieee) ?? { retries: 0, notBefore: 0, due: false, running: false };
    this.pending.set(ieee, entry);
    this.clearTimer(entry);
    entry.due = false;
    if (entry.retries >= this.o.maxRetries) {
      this.o.log.warn('interview retries used up; re-interview the device on request', { ieee, outcome, attempts: entry.retries });
      entry.notBefore = Number.POSITIVE_INFINITY;
      return;
    }
    const delay = this.o.delaysMs[Math.min(entry.retries, this.o.delaysMs.length - 1)] ?? 0;
    entry.notBefore = this.o.clock.now() + delay;
    entry.timer = this.o.timers.setTimeout(() => this.onDelayPassed(ieee), delay);
    this.o.log.info('interview will be retried', { ieee, outcome, attempt: entry.retries + 1, of: this.o.maxRetries, inMs: delay });
  }

  /** The device spoke (message, announce, rejoin): a sleepy device listens right now. */
  onSignOfLife(ieee: Ieee): void {
    const entry = this.pending.get(ieee);
    if (!entry || entry.running) return;
    if (!entry.due && this.o.clock.now() < entry.notBefore) return;
    entry.due = false;
    // One turn later: when the sign of life is a rejoin, herdsman re-interviews a failed device
    // by itself in the same turn, and the retry then sees that interview running and stands back.
    this.clearTimer(entry);
    entry.timer = this.o.timers.setTimeout(() => this.start(ieee), 0);
  }

  /** A person asked for an interview: the automatic budget starts afresh after it. */
  reset(ieee: Ieee): void {
    this.forget(ieee);
  }

  forget(ieee: Ieee): void {
    const entry = this.pending.get(ieee);
    if (entry) this.clearTimer(entry);
    this.pending.delete(ieee);
  }

  /** Drops every pending retry (the network stops; a start resumes from herdsman's states). */
  stop(): void {
    for (const ieee of [...this.pending.keys()]) this.forget(ieee);
  }

  /** Devices waiting for a retry, for logs and tests. */
  waiting(): Ieee[] {
    return [...this.pending.entries()].filter(([, e]) => e.notBefore !== Number.POSITIVE_INFINITY).map(([ieee]) => ieee);
  }

  private onDelayPassed(ieee: Ieee): void {
    const entry = this.pending.get(ieee);
    if (!entry) return;
    entry.timer = undefined;
    if (this.o.listens(ieee)) {
      this.start(ieee);
      return;
    }
    entry.due = true;
    this.o.log.info('interview retry due; waiting for the device to wake up', { ieee, attempt: entry.retries + 1 });
  }

  private start(ieee: Ieee): void {
    const entry = this.pending.get(ieee);
    if (!entry || entry.running) return;
    entry.timer = undefined;
    entry.retries++;
    entry.running = true;
    this.o.log.info('retrying interview', { ieee, attempt: entry.retries, of: this.o.maxRetries });
    this.o
      .retry(ieee, entry.retries)
      .then(
        (started) => {
          // Someone else's interview is running: its outcome arrives through onOutcome.
          if (!started) entry.retries--;
        },
        (error: unknown) => {
          this.o.log.error('interview retry failed to run', { ieee, error: error instanceof Error ? error.message : String(error) });
        },
      )
      .finally(() => {
        entry.running = false;
      });
  }

  private clearTimer(entry: PendingRetry): void {
    if (entry.timer !== undefined) this.o.timers.clearTimeout(entry.timer);
    entry.timer = undefined;
  }
}
