// Offline bounds of the outbox: when the cloud is away long enough for the outbox to pass its
// count, byte or age bound, the oldest telemetry is deleted (never "keep" events) down to a
// fraction of the bounds, and the caller records one gap event for the whole chunk.
import type Database from 'better-sqlite3';
import type { OutboxBounds } from './types.js';

export const DEFAULT_OUTBOX_BOUNDS: OutboxBounds = {
  maxEvents: 500_000,
  maxBytes: 100 * 1024 * 1024,
  maxAgeMs: 7 * 24 * 3600_000,
  shedToFraction: 0.9,
};

export interface OutboxSize {
  events: number;
  bytes: number;
}

export interface ShedResult {
  fromSeq: number;
  toSeq: number;
  dropped: number;
  bytes: number;
  reason: string;
}

/**
 * How often the age bound is looked up: at most once a minute, and at least 100 times per bound.
 * The default bound is a week; a query per commit (about 50 a second under load) bought nothing
 * but CPU (about 20 µs per report at 100/s, docs/BENCHMARKS.md).
 */
const AGE_CHECK_INTERVAL_MS = 60_000;

export class TelemetryShedder {
  /** When the age bound was last looked up, and whether it was crossed then. */
  private ageCheckedAt = -Infinity;
  private ageCrossed = false;
  private readonly oldestTelemetryAt: Database.Statement<[], { at: number }>;
  private readonly telemetryInOrder: Database.Statement<[], { seq: number; bytes: number; at: number }>;
  private readonly deleteTelemetryUpTo: Database.Statement<[number]>;

  constructor(
    db: Database.Database,
    private readonly bounds: OutboxBounds,
  ) {
    this.oldestTelemetryAt = db.prepare(`SELECT at FROM outbox WHERE class = 'telemetry' ORDER BY seq LIMIT 1`);
    this.telemetryInOrder = db.prepare(`SELECT seq, bytes, at FROM outbox WHERE class = 'telemetry' ORDER BY seq`);
    this.deleteTelemetryUpTo = db.prepare(`DELETE FROM outbox WHERE class = 'telemetry' AND seq <= ?`);
  }

  /** Which bounds are crossed now; empty when none. */
  crossed(size: OutboxSize, now: number): string[] {
    const reasons: string[] = [];
    if (size.events > this.bounds.maxEvents) reasons.push(`more than ${this.bounds.maxEvents} events`);
    if (size.bytes > this.bounds.maxBytes) reasons.push(`more than ${this.bounds.maxBytes} bytes`);
    const interval = Math.min(AGE_CHECK_INTERVAL_MS, this.bounds.maxAgeMs / 100);
    if (this.ageCrossed || Math.abs(now - this.ageCheckedAt) >= interval) {
      const oldest = this.oldestTelemetryAt.get();
      this.ageCheckedAt = now;
      this.ageCrossed = oldest !== undefined && now - oldest.at > this.bounds.maxAgeMs;
    }
    if (this.ageCrossed) reasons.push(`telemetry older than ${this.bounds.maxAgeMs} ms`);
    return reasons;
  }

  /**
   * Deletes the oldest telemetry until every bound is under its shed-to mark. Must run in a
   * transaction. `reasons` lists the crossed bounds; `shed` is absent when none was crossed or
   * there was no telemetry left to drop.
   */
  shed(size: OutboxSize, now: number): { reasons: string[]; shed?: ShedResult } {
    const reasons = this.crossed(size, now);
    if (reasons.length === 0) return { reasons };
    const f = this.bounds.shedToFraction;
    const targetEvents = Math.floor(this.bounds.maxEvents * f);
    const targetBytes = Math.floor(this.bounds.maxBytes * f);
    const ageCutoff = now - Math.floor(this.bounds.maxAgeMs * f);
    let events = size.events;
    let bytes = size.bytes;
    let fromSeq = 0;
    let toSeq = 0;
    let dropped = 0;
    let droppedBytes = 0;
    // Collect first, delete after: SQLite statements cannot run while this one iterates.
    for (const row of this.telemetryInOrder.iterate()) {
      if (events <= targetEvents && bytes <= targetBytes && row.at >= ageCutoff) break;
      if (dropped === 0) fromSeq = row.seq;
      toSeq = row.seq;
      dropped++;
      droppedBytes += row.bytes;
      events--;
      bytes -= row.bytes;
    }
    if (dropped === 0) return { reasons };
    this.deleteTelemetryUpTo.run(toSeq);
    return { reasons, shed: { fromSeq, toSeq, dropped, bytes: droppedBytes, reason: `outbox bounds: ${reasons.join(', ')}` } };
  }
}
