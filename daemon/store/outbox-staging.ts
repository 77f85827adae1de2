// Where each outbox event stands between its INSERT and its fsync, and who has been told of it.
// An event is uncommitted (in the open group transaction; handed to onUncommittedAppend
// listeners when its write returns), then staged (COMMIT returned: no rollback can take it,
// but a power cut still can), then durable (an fsync covered it: readers and onAppend listeners
// may have it). Readers only ever see durable events, so a seq handed to the cloud is never
// reused after a crash. If a transaction is lost, onRollback listeners are told which seqs they
// were shown in vain, and those seqs are never given to other events while the process runs.
// The outbox table itself is outbox.ts's: this file holds no SQL.
import type { HubEvent, SequencedEvent } from '../domain/events.js';
import { type OutboxRow, RecentRows } from './outbox-recent.js';
import type { RolledBackSeqs, StoreLog } from './types.js';

/** A committed transaction waiting for its fsync. */
interface StagedCommit {
  /** Its rows; undefined once shedding or a reload made memory unfit to serve them. */
  rows: OutboxRow[] | undefined;
  /** The last seq assigned when it committed. */
  lastSeq: number;
}

export class OutboxStaging {
  /** Highest seq assigned, possibly not yet committed. */
  private lastSeq = 0;
  /** Highest seq durable; what readers may see. */
  private durableSeq = 0;
  /** Events inserted into the open group transaction: what a failed commit takes with it. */
  private uncommitted: HubEvent[] = [];
  /** The rows of `uncommitted` (one per event); once durable, the tail of `recent`. */
  private uncommittedRows: OutboxRow[] = [];
  /** Committed transactions waiting for their fsync, oldest first. */
  private staged: StagedCommit[] = [];
  /** Rows of the open transaction were shed: its rows do not go to `recent`. */
  private rowsShed = false;
  /** How many of `uncommittedRows` were handed to uncommittedListeners. */
  private handedOut = 0;
  /** Highest seq ever handed to uncommittedListeners: no later event may take it or one below. */
  private shownSeq = 0;
  private readonly recent = new RecentRows();
  private readonly listeners = new Set<(lastSeq: number) => void>();
  private readonly uncommittedListeners = new Set<(events: readonly SequencedEvent[]) => void>();
  private readonly rollbackListeners = new Set<(lost: RolledBackSeqs) => void>();

  constructor(private readonly log: StoreLog) {}

  /** At open, after the first reload: everything the table holds is durable. */
  opened(): void {
    this.durableSeq = this.lastSeq;
  }

  lastDurableSeq(): number {
    return this.durableSeq;
  }

  /**
   * Before an INSERT: the seq floor the table must be raised to first, when a lost commit
   * rolled sqlite_sequence back below seqs LAN watchers were shown (so a seq a watcher saw
   * never names another event); undefined when none is needed.
   */
  seqFloorNeeded(): number | undefined {
    return this.lastSeq < this.shownSeq ? this.shownSeq : undefined;
  }

  /** An event inserted into the open group transaction. */
  inserted(row: OutboxRow, event: HubEvent): void {
    this.lastSeq = row.seq;
    this.uncommittedRows.push(row);
    this.uncommitted.push(event);
  }

  /** Durable events, from memory; undefined when memory does not hold them all (read the table). */
  readDurable(afterSeq: number, limit: number): SequencedEvent[] | undefined {
    return this.recent.readAfter(afterSeq, limit);
  }

  /** Rows up to `seq` were acknowledged and deleted. */
  acked(seq: number): void {
    this.recent.forgetUpTo(seq);
  }

  /**
   * Rows were shed (deleted), some perhaps of the open transaction: the table decides what
   * readers get, until the next commit starts a new run of rows in memory.
   */
  rowsDeleted(): void {
    this.recent.clear();
    this.rowsShed = true;
    for (const commit of this.staged) commit.rows = undefined;
  }

  /** The table was read again (at open, after a lost transaction): `lastSeq` is its seq. */
  reloaded(lastSeq: number): void {
    this.recent.clear();
    for (const commit of this.staged) commit.rows = undefined;
    this.lastSeq = lastSeq;
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
    this.tell(this.uncommittedListeners, events);
  }

  /**
   * After a lost transaction and the table's reload: tells onRollback listeners which seqs they
   * were shown that went with it (and will not be reused). Commits before it whose fsync is
   * still to come (staged: the reload read their seqs back as committed) were not lost: they
   * are reported durable later, so their seqs are not revoked.
   */
  rolledBack(error: Error): void {
    this.handedOut = 0;
    const kept = Math.max(this.durableSeq, this.lastSeq);
    if (this.shownSeq <= kept) return;
    this.tell(this.rollbackListeners, { fromSeq: kept + 1, toSeq: this.shownSeq, reason: error.message });
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
    queueMicrotask(() => this.tell(this.listeners, lastSeq));
  }

  /** A listener that throws is logged and does not keep the others from being told. */
  private tell<T>(listeners: ReadonlySet<(arg: T) => void>, arg: T): void {
    for (const listener of listeners) {
      try {
        listener(arg);
      } catch (err) {
        this.log.error('store: outbox listener threw', { err: String(err) });
      }
    }
  }
}
