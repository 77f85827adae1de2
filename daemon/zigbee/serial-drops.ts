// Counts what the UNPI parser drops on the coordinator link (unpi-parser-fix.ts emits it) and says
// so at info level: a line at the first drop, then at most one summary line per window, so a noisy
// link (a failing USB cable, EMI, a wrong baud rate) is visible without flooding the journal.
import type { DroppedSerialInput } from './unpi-parser-fix.js';
import type { SerialDropStats, Timers, ZigbeeLogger } from './types.js';

export const SERIAL_DROP_LOG_WINDOW_MS = 60_000;

export class SerialDropCounter {
  private readonly totals: SerialDropStats = { badChecksum: 0, noise: 0, noiseBytes: 0 };
  /** Drops since the last line, summarised when the window ends. */
  private pending: SerialDropStats = { badChecksum: 0, noise: 0, noiseBytes: 0 };
  private windowTimer: unknown;

  constructor(
    private readonly o: { log: ZigbeeLogger; timers: Timers; windowMs?: number },
  ) {}

  record(dropped: DroppedSerialInput): void {
    if (dropped.kind === 'bad_checksum') {
      this.totals.badChecksum++;
      this.pending.badChecksum++;
    } else {
      this.totals.noise++;
      this.totals.noiseBytes += dropped.bytes;
      this.pending.noise++;
      this.pending.noiseBytes += dropped.bytes;
    }
    if (this.windowTimer !== undefined) return;
    this.o.log.info('dropped malformed serial input from the coordinator (bad checksum or noise); the link may be unreliable', {
      kind: dropped.kind,
      bytes: dropped.bytes,
      total: { ...this.totals },
    });
    this.pending = { badChecksum: 0, noise: 0, noiseBytes: 0 };
    this.openWindow();
  }

  stats(): SerialDropStats {
    return { ...this.totals };
  }

  /** Clears the window timer (the daemon must be able to exit). */
  stop(): void {
    if (this.windowTimer !== undefined) this.o.timers.clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
  }

  private openWindow(): void {
    this.windowTimer = this.o.timers.setTimeout(() => {
      this.windowTimer = undefined;
      if (this.pending.badChecksum + this.pending.noise === 0) return;
      this.o.log.info('dropped malformed serial input from the coordinator (bad checksum or noise); the link may be unreliable', {
        sinceLastLine: { ...this.pending },
        total: { ...this.totals },
        windowMs: this.o.windowMs ?? SERIAL_DROP_LOG_WINDOW_MS,
      });
      this.pending = { badChecksum: 0, noise: 0, noiseBytes: 0 };
      this.openWindow();
    }, this.o.windowMs ?? SERIAL_DROP_LOG_WINDOW_MS);
  }
}

/** Subscribes to the drops of this controller's parser (a private field: checked; undefined without one). */
export function watchSerialDrops(controller: object, onDrop: (dropped: DroppedSerialInput) => void): (() => void) | undefined {
  const parser = (controller as { adapter?: { znp?: { unpiParser?: unknown } } }).adapter?.znp?.unpiParser as
    | { on?: unknown; off?: unknown }
    | undefined;
  if (typeof parser?.on !== 'function' || typeof parser.off !== 'function') return undefined;
  const emitter = parser as { on(e: 'dropped', l: (d: DroppedSerialInput) => void): void; off(e: 'dropped', l: (d: DroppedSerialInput) => void): void };
  emitter.on('dropped', onDrop);
  return () => emitter.off('dropped', onDrop);
}
