// The outbox table: events waiting for the cloud, numbered in commit order. This is its one
// reader and writer (inserts, reads, acks, bounds, the epoch); which of its events are staged
// or durable, and which listeners were told of them before COMMIT, is outbox-staging.ts's
// bookkeeping: readers only ever see durable events.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { HubEvent, SequencedEvent } from '../domain/events.js';
import { decodeEvent, encodeEvent, eventClass } from './event-codec.js';
import type { TelemetryShedder } from './outbox-bounds.js';
import type { OutboxStaging } from './outbox-staging.js';
import type { OutboxReader, OutboxStats, RolledBackSeqs, StoreLog } from './types.js';
import type { WriteBatch } from './write-batch.js';

/** Settings key holding why a snapshot is owed (set with a gap or a resync, cleared by snapshot.ts); absent when none is. */
export const SNAPSHOT_OWED_KEY = 'store.snapshot_owed';

const CLOUD_STREAM = 'cloud';
/** Settings key of the outbox epoch; the public settings API refuses the `store.` prefix. */
export const EPOCH_KEY = 'store.outbox_epoch';

/**
 * The id of this outbox's seq sequence, created with the database. The cloud de-duplicates by
 * (gateway, epoch, seq): a rebuilt database, or a restored backup, gets a different epoch.
 */
export function ensureEpoch(db: Database.Database, now: number): string {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(EPOCH_KEY) as { value: string } | undefined;
  if (row) return row.value;
  return writeNewEpoch(db, now);
}

export function writeNewEpoch(db: Database.Database, now: number): string {
  const epoch = randomUUID();
  db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(EPOCH_KEY, epoch, now);
  return epoch;
}

/** The next outbox seq will be above `floor` (never lowers it). */
export function raiseSeqFloor(db: Database.Database, floor: number): void {
  // sqlite_sequence has no key on name: update the row if the table has one, else add it.
  if (db.prepare(`UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'outbox'`).run(floor).changes === 0) {
    db.prepare(`INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)`).run(floor);
  }
}

export class Outbox implements OutboxReader {
  private acked = 0;
  private events = 0;
  private bytes = 0;
  private droppedSinceOpen = 0;
  private overBoundsLogged = false;
  private readonly insertStmt: Database.Statement<[number, string, string, string, number]>;
  private readonly readStmt: Database.Statement<[number, number, number], { seq: number; at: number; payload: string }>;
  private readonly sizeUpTo: Database.Statement<[number], { n: number; bytes: number }>;
  private readonly deleteUpTo: Database.Statement<[number]>;
  private readonly saveCursor: Database.Statement<[string, number, number]>;
  private readonly loadCursor: Database.Statement<[string], { acked_seq: number }>;
  private readonly loadSeq: Database.Statement<[], { seq: number }>;
  private readonly loadSize: Database.Statement<[], { n: number; bytes: number }>;
  private readonly loadEpoch: Database.Statement<[string], { value: string }>;
  private readonly oldest: Database.Statement<[], { at: number }>;
  private readonly markSnapshotOwed: Database.Statement<[string, string, number]>;

  constructor(
    private readonly db: Database.Database,
    private readonly batch: WriteBatch,
    private readonly staging: OutboxStaging,
    private readonly shedder: TelemetryShedder,
    private readonly now: () => number,
    private readonly log: StoreLog,
    private epochId: string,
  ) {
    this.insertStmt = db.prepare('INSERT INTO outbox (at, kind, class, payload, bytes) VALUES (?, ?, ?, ?, ?)');
    this.readStmt = db.prepare('SELECT seq, at, payload FROM outbox WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?');
    this.sizeUpTo = db.prepare('SELECT count(*) AS n, total(bytes) AS bytes FROM outbox WHERE seq <= ?');
    this.deleteUpTo = db.prepare('DELETE FROM outbox WHERE seq <= ?');
    this.saveCursor = db.prepare(
      `INSERT INTO cloud_cursor (stream, acked_seq, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (stream) DO UPDATE SET acked_seq = excluded.acked_seq, updated_at = excluded.updated_at`,
    );
    this.loadCursor = db.prepare('SELECT acked_seq FROM cloud_cursor WHERE stream = ?');
    this.loadSeq = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'outbox'`);
    this.loadSize = db.prepare('SELECT count(*) AS n, total(bytes) AS bytes FROM outbox');
    this.loadEpoch = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.oldest = db.prepare('SELECT at FROM outbox ORDER BY seq LIMIT 1');
    this.markSnapshotOwed = db.prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    this.reload();
    this.staging.opened();
  }

  /** Adds an event to the current transaction. Only for code already inside batch.run(). */
  insert(event: HubEvent): number {
    // From here the platform's copy is stale: a snapshot is owed (see snapshot.ts).
    if (event.kind === 'gap' || event.kind === 'resync_requested') this.markSnapshotOwed.run(SNAPSHOT_OWED_KEY, `${event.kind}: ${event.reason}`, this.now());
    const payload = encodeEvent(event);
    const bytes = Buffer.byteLength(payload);
    const at = this.now();
    // Seqs LAN watchers were shown and a lost commit took back are skipped, never reused.
    const floor = this.staging.seqFloorNeeded();
    if (floor !== undefined) raiseSeqFloor(this.db, floor);
    const seq = Number(this.insertStmt.run(at, event.kind, eventClass(event), payload, bytes).lastInsertRowid);
    this.staging.inserted({ seq, at, payload }, event);
    this.events++;
    this.bytes += bytes;
    return seq;
  }

  append(event: HubEvent): void {
    this.batch.run(() => this.insert(event));
  }

  readAfter(afterSeq: number, limit: number): SequencedEvent[] {
    const durableSeq = this.staging.lastDurableSeq();
    // A reader that has everything (the cloud link's last read of every pump): no query.
    if (!(limit > 0) || afterSeq >= durableSeq) return [];
    const fromMemory = this.staging.readDurable(afterSeq, Math.floor(limit));
    if (fromMemory) return fromMemory;
    return this.readStmt.all(afterSeq, durableSeq, Math.floor(limit)).map((row) => ({
      seq: row.seq,
      at: row.at,
      event: decodeEvent(row.payload),
    }));
  }

  ack(uptoSeq: number): void {
    // Never beyond what was handed out; never backwards (a late, stale ack is harmless).
    const upto = Math.min(Math.floor(uptoSeq), this.staging.lastDurableSeq());
    if (!(upto > this.acked)) return;
    this.batch.run(() => {
      const size = this.sizeUpTo.get(upto)!;
      this.deleteUpTo.run(upto);
      this.saveCursor.run(CLOUD_STREAM, upto, this.now());
      this.events -= size.n;
      this.bytes -= size.bytes;
      this.staging.acked(upto);
      // Inside the write: if this write's own commit (a full group) fails, reload() restores
      // the cursor from the database after this closure ran, and nothing overwrites it again.
      this.acked = upto;
      // Lazy: an ack lost to a power cut only makes the cloud see those events again (it
      // de-duplicates by seq); it is not worth an fsync of its own.
    }, 'lazy');
  }

  lastAcked(): number {
    return this.acked;
  }

  epoch(): string {
    return this.epochId;
  }

  lastCommittedSeq(): number {
    return this.staging.lastDurableSeq();
  }

  startNewEpoch(aboveSeq: number, reason: string): string {
    this.batch.run(() => {
      this.epochId = writeNewEpoch(this.db, this.now());
      raiseSeqFloor(this.db, Math.floor(aboveSeq));
      // The cursor belongs to the old sequence: in the new one the platform has acked nothing.
      this.saveCursor.run(CLOUD_STREAM, 0, this.now());
      this.acked = 0;
      this.insert({ kind: 'resync_requested', reason });
    });
    // At once: a Hello must never name an epoch that a crash could still take back.
    this.batch.commitDurable();
    return this.epochId;
  }

  stats(): OutboxStats {
    const oldest = this.oldest.get();
    return {
      events: this.events,
      bytes: this.bytes,
      ...(oldest ? { oldestAt: oldest.at } : {}),
      lastSeq: this.staging.lastDurableSeq(),
      lastAcked: this.acked,
      droppedSinceOpen: this.droppedSinceOpen,
    };
  }

  onAppend(listener: (lastSeq: number) => void): () => void {
    return this.staging.onAppend(listener);
  }

  /** Each write's events before their COMMIT (not durable): see OutboxStaging.onUncommittedAppend. */
  onUncommittedAppend(listener: (events: readonly SequencedEvent[]) => void): () => void {
    return this.staging.onUncommittedAppend(listener);
  }

  onRollback(listener: (lost: RolledBackSeqs) => void): () => void {
    return this.staging.onRollback(listener);
  }

  /**
   * Inside the group transaction, before COMMIT: shed telemetry beyond the bounds. True when rows
   * were shed: the commit must then be durable at once, since readers of the table see the
   * deletion as soon as COMMIT returns, and a power cut must not take the gap event and leave
   * the cloud without the shed events and without word of them.
   */
  enforceBounds(): boolean {
    const { reasons, shed } = this.shedder.shed({ events: this.events, bytes: this.bytes }, this.now());
    if (reasons.length === 0) {
      this.overBoundsLogged = false;
      return false;
    }
    if (!shed) {
      // Only must-keep events left: they stay; say so once per episode, not per commit.
      if (!this.overBoundsLogged) this.log.error('store: outbox over its bounds with only must-keep events left', { reasons });
      this.overBoundsLogged = true;
      return false;
    }
    this.events -= shed.dropped;
    this.bytes -= shed.bytes;
    this.staging.rowsDeleted();
    this.droppedSinceOpen += shed.dropped;
    this.insert({ kind: 'gap', fromSeq: shed.fromSeq, toSeq: shed.toSeq, dropped: shed.dropped, reason: shed.reason });
    this.log.warn('store: outbox over its bounds, dropped oldest telemetry', {
      fromSeq: shed.fromSeq,
      toSeq: shed.toSeq,
      dropped: shed.dropped,
      reason: shed.reason,
    });
    return true;
  }

  /** Re-reads counters from the database (at open, and after a lost transaction). */
  reload(): void {
    this.staging.reloaded(this.loadSeq.get()?.seq ?? 0);
    this.acked = this.loadCursor.get(CLOUD_STREAM)?.acked_seq ?? 0;
    this.epochId = this.loadEpoch.get(EPOCH_KEY)?.value ?? this.epochId;
    const size = this.loadSize.get()!;
    this.events = size.n;
    this.bytes = size.bytes;
  }
}
