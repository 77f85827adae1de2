// The outbox: events waiting for the cloud, numbered in commit order. Readers only ever see
// events that are durable, so a seq handed to the cloud is never reused after a crash.
// Consumers that do not need durability (LAN watchers) may ask for each write's events before
// its COMMIT (onUncommittedAppend); if that commit fails they are told (onRollback), and the
// seqs they saw are never given to other events while the process runs.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { HubEvent, SequencedEvent } from '../domain/events.js';
import { decodeEvent, encodeEvent, eventClass } from './event-codec.js';
import type { TelemetryShedder } from './outbox-bounds.js';
import { type OutboxRow, RecentRows } from './outbox-recent.js';
import { SNAPSHOT_OWED_KEY } from './snapshot.js';
import type { OutboxReader, OutboxStats, RolledBackSeqs, StoreLog } from './types.js';
import type { WriteBatch } from './write-batch.js';

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
  /** Highest seq assigned, possibly not yet committed. */
  private lastSeq = 0;
  /** Highest seq committed; what readers may see. */
  private durableSeq = 0;
  private acked = 0;
  private events = 0;
  private bytes = 0;
  private droppedSinceOpen = 0;
  private overBoundsLogged = false;
  /** Events inserted into the open group transaction: what a failed commit takes with it. */
  private uncommitted: HubEvent[] = [];
  /** The rows of `uncommitted` (one per event); once committed, the tail of `recent`. */
  private uncommittedRows: OutboxRow[] = [];
  /**
   * Committed transactions waiting for their fsync, oldest first: their rows (undefined once
   * shedding deleted rows meanwhile) and the last seq each assigned.
   */
  private staged: { rows: OutboxRow[] | undefined; lastSeq: number }[] = [];
  /** The newest durable rows, so readers that keep up are served without a read-back. */
  private readonly recent = new RecentRows();
  /** Rows of the open transaction were shed: its rows do not go to `recent`. */
  private rowsShed = false;
  private readonly listeners = new Set<(lastSeq: number) => void>();
  private readonly uncommittedListeners = new Set<(events: readonly SequencedEvent[]) => void>();
  private readonly rollbackListeners = new Set<(lost: RolledBackSeqs) => void>();
  /** How many of `uncommittedRows` were handed to uncommittedListeners. */
  private handedOut = 0;
  /** Highest seq ever handed to uncommittedListeners: no later event may take it or one below. */
  private shownSeq = 0;
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
    this.durableSeq = this.lastSeq;
  }

  /** Adds an event to the current transaction. Only for code already inside batch.run(). */
  insert(event: HubEvent): number {
    // From here the platform's copy is stale: a snapshot is owed (see snapshot.ts).
    if (event.kind === 'gap' || event.kind === 'resync_requested') this.markSnapshotOwed.run(SNAPSHOT_OWED_KEY, `${event.kind}: ${event.reason}`, this.now());
    const payload = encodeEvent(event);
    const bytes = Buffer.byteLength(payload);
    const at = this.now();
    // A lost commit rolled sqlite_sequence back below seqs LAN watchers were shown: skip them,
    // in this same transaction, so a seq a watcher saw never names another event.
    if (this.lastSeq < this.shownSeq) raiseSeqFloor(this.db, this.shownSeq);
    const seq = Number(this.insertStmt.run(at, event.kind, eventClass(event), payload, bytes).lastInsertRowid);
    this.lastSeq = seq;
    this.uncommittedRows.push({ seq, at, payload });
    this.events++;
    this.bytes += bytes;
    this.uncommitted.push(event);
    return seq;
  }

  append(event: HubEvent): void {
    this.batch.run(() => this.insert(event));
  }

  readAfter(afterSeq: number, limit: number): SequencedEvent[] {
    // A reader that has everything (the cloud link's last read of every pump): no query.
    if (!(limit > 0) || afterSeq >= this.durableSeq) return [];
    const fromMemory = this.recent.readAfter(afterSeq, Math.floor(limit));
    if (fromMemory) return fromMemory;
    return this.readStmt.all(afterSeq, this.durableSeq, Math.floor(limit)).map((row) => ({
      seq: row.seq,
      at: row.at,
      event: decodeEvent(row.payload),
    }));
  }

  ack(uptoSeq: number): void {
    // Never beyond what was handed out; never backwards (a late, stale ack is harmless).
    const upto = Math.min(Math.floor(uptoSeq), this.durableSeq);
    if (!(upto > this.acked)) return;
    this.batch.run(() => {
      const size = this.sizeUpTo.get(upto)!;
      this.deleteUpTo.run(upto);
      this.saveCursor.run(CLOUD_STREAM, upto, this.now());
      this.events -= size.n;
      this.bytes -= size.bytes;
      this.recent.forgetUpTo(upto);
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
    return this.durableSeq;
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
      lastSeq: this.durableSeq,
      lastAcked: this.acked,
      droppedSinceOpen: this.droppedSinceOpen,
    };
  }

  onAppend(listener: (lastSeq: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * `listener` gets each write's events as soon as the write returned, before their COMMIT (in
   * seq order, never empty; also the events committed without a write of their own, such as a
   * gap, just after the commit). Not durable: see onRollback.
   */
  onUncommittedAppend(listener: (events: readonly SequencedEvent[]) => void): () => void {
    this.uncommittedListeners.add(listener);
    return () => this.uncommittedListeners.delete(listener);
  }

  /** `listener` is told when events handed to onUncommittedAppend listeners were lost with their transaction. */
  onRollback(listener: (lost: RolledBackSeqs) => void): () => void {
    this.rollbackListeners.add(listener);
    return () => this.rollbackListeners.delete(listener);
  }

  /** After each outermost write (WriteBatch afterWrite): hands its events to onUncommittedAppend listeners. */
  handOutUncommitted(): void {
    if (this.handedOut >= this.uncommittedRows.length) return;
    if (this.uncommittedListeners.size === 0) {
      this.handedOut = this.uncommittedRows.length;
      return;
    }
    const events: SequencedEvent[] = [];
    for (let i = this.handedOut; i < this.uncommittedRows.length; i++) {
      const row = this.uncommittedRows[i]!;
      events.push({ seq: row.seq, at: row.at, event: this.uncommitted[i]! });
    }
    this.handedOut = this.uncommittedRows.length;
    this.shownSeq = Math.max(this.shownSeq, events.at(-1)!.seq);
    for (const listener of this.uncommittedListeners) {
      try {
        listener(events);
      } catch (err) {
        this.log.error('store: outbox listener threw', { err: String(err) });
      }
    }
  }

  /**
   * After a lost transaction and reload(): tells onRollback listeners which seqs they were
   * shown that went with it (and will not be reused). Commits before it whose fsync is still
   * to come (staged: reload() read their seqs back as committed) were not lost: they are
   * reported durable later, so their seqs are not revoked.
   */
  rolledBack(error: Error): void {
    this.handedOut = 0;
    const kept = Math.max(this.durableSeq, this.lastSeq);
    if (this.shownSeq <= kept) return;
    const lost: RolledBackSeqs = { fromSeq: kept + 1, toSeq: this.shownSeq, reason: error.message };
    for (const listener of this.rollbackListeners) {
      try {
        listener(lost);
      } catch (err) {
        this.log.error('store: outbox listener threw', { err: String(err) });
      }
    }
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
    // Rows were deleted, some perhaps of this very transaction: the table decides again what
    // readers get, until the next commit starts a new run of rows in memory.
    this.recent.clear();
    this.rowsShed = true;
    for (const commit of this.staged) commit.rows = undefined;
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

  /** Mark before one write, so that undoing that write alone forgets its events. */
  uncommittedMark(): number {
    return this.uncommitted.length;
  }

  forgetUncommittedAfter(mark: number): void {
    this.uncommitted.length = Math.min(mark, this.uncommitted.length);
    this.handedOut = Math.min(this.handedOut, this.uncommitted.length);
    // One row per event: the undone write's rows are gone from the table too.
    this.uncommittedRows.length = this.uncommitted.length;
  }

  /** The events the failed group transaction held (called once it was rolled back). */
  takeUncommitted(): HubEvent[] {
    const events = this.uncommitted;
    this.uncommitted = [];
    this.handedOut = 0;
    this.uncommittedRows = [];
    this.rowsShed = false;
    return events;
  }

  /** After COMMIT and its fsync (no WalSync): what was assigned is durable now; wake readers. */
  committed(): void {
    this.commitStaged();
    this.durable(this.staged.length);
  }

  /**
   * After COMMIT returned, before its fsync: the transaction's rows can no longer be lost to a
   * rollback, but readers (the cloud link) see them only once `durable` says so.
   */
  commitStaged(): void {
    // Events that no write handed out (the gap event shedding added before COMMIT).
    this.handOutUncommitted();
    this.handedOut = 0;
    this.uncommitted = [];
    this.staged.push({ rows: this.rowsShed ? undefined : this.uncommittedRows, lastSeq: this.lastSeq });
    this.uncommittedRows = [];
    this.rowsShed = false;
  }

  /** The oldest `commits` staged commits are on the medium: readers may have their events. */
  durable(commits: number): void {
    const done = this.staged.splice(0, commits);
    const lastDone = done.at(-1);
    if (!lastDone) return;
    for (const commit of done) {
      // Rows shed while staged are gone from the table: the table decides what readers get.
      if (commit.rows) this.recent.add(commit.rows);
      else this.recent.clear();
    }
    if (lastDone.lastSeq <= this.durableSeq) return;
    this.durableSeq = lastDone.lastSeq;
    const lastSeq = this.durableSeq;
    // Not synchronously: a commit can happen inside a caller's write (full group), and a
    // listener that reads or writes the store must not run in the middle of that call.
    queueMicrotask(() => {
      for (const listener of this.listeners) {
        try {
          listener(lastSeq);
        } catch (err) {
          this.log.error('store: outbox listener threw', { err: String(err) });
        }
      }
    });
  }

  /** Re-reads counters from the database (at open, and after a lost transaction). */
  reload(): void {
    this.recent.clear();
    for (const commit of this.staged) commit.rows = undefined;
    this.lastSeq = this.loadSeq.get()?.seq ?? 0;
    this.acked = this.loadCursor.get(CLOUD_STREAM)?.acked_seq ?? 0;
    this.epochId = this.loadEpoch.get(EPOCH_KEY)?.value ?? this.epochId;
    const size = this.loadSize.get()!;
    this.events = size.n;
    this.bytes = size.bytes;
  }
}
