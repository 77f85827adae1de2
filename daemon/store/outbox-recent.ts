// The newest durable outbox rows, kept in memory so that readers that keep up (the cloud link,
// LAN watchers) are served without reading back what was just written; older ones come from
// the table (outbox.ts).
import type { SequencedEvent } from '../domain/events.js';
import { decodeEvent } from './event-codec.js';

/** One outbox row as stored: the payload is decoded only when a reader asks for it. */
export interface OutboxRow {
  seq: number;
  at: number;
  payload: string;
}

/** How many rows are kept; a reader further behind reads the table. */
const RECENT_MAX = 4096;

export class RecentRows {
  /** In seq order: every row the table holds from rows[0] on. */
  private rows: OutboxRow[] = [];

  /** Durable rows, in seq order, following the ones already kept. */
  add(rows: readonly OutboxRow[]): void {
    for (const row of rows) this.rows.push(row);
    if (this.rows.length > RECENT_MAX) this.rows.splice(0, this.rows.length - RECENT_MAX);
  }

  /** The table no longer matches memory (rows shed, a lost transaction): the table decides. */
  clear(): void {
    this.rows = [];
  }

  /** Rows deleted from the table (acknowledged) leave memory too. */
  forgetUpTo(seq: number): void {
    let n = 0;
    while (n < this.rows.length && this.rows[n]!.seq <= seq) n++;
    if (n > 0) this.rows.splice(0, n);
  }

  /**
   * What `SELECT ... WHERE seq > afterSeq ORDER BY seq LIMIT limit` would return, from memory;
   * undefined when memory does not hold every row after `afterSeq`.
   */
  readAfter(afterSeq: number, limit: number): SequencedEvent[] | undefined {
    const first = this.rows[0];
    if (!first || afterSeq < first.seq - 1) return undefined;
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.rows[mid]!.seq <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    const out: SequencedEvent[] = [];
    for (let i = lo; i < this.rows.length && out.length < limit; i++) {
      const row = this.rows[i]!;
      out.push({ seq: row.seq, at: row.at, event: decodeEvent(row.payload) });
    }
    return out;
  }
}
