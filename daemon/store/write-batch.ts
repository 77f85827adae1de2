// Group commit. Every write runs at once inside one long transaction (each in its own savepoint,
// or the transaction itself for the write that opens it, so a failing write undoes only itself).
// Reads on the connection see queued writes immediately, so "compare with the stored value"
// stays correct. Nothing written here is reported durable (flush, afterCommit) before its
// COMMIT returned.
//
// When to commit (one WAL fsync each): as soon as possible, but never sooner than `minSpacingMs`
// after the previous COMMIT started. At low load a change therefore waits for one fsync, not for
// a window: the commit runs in the same event-loop turn's check phase (setImmediate), after the
// I/O callbacks of that turn queued what they had. At high load, the writes that arrive while a
// commit blocks the loop or while the spacing runs share the next commit, so an SD card sees at
// most 1000 / minSpacingMs fsyncs a second whatever the load. `maxPending` writes commit at once.
// A lazy write (a cloud ack: losing it costs a re-send, never data) does not ask for a commit
// of its own: it rides with the next one, or commits after `lazyCommitMs`.
//
// With a WalSync (the daemon's store: synchronous=NORMAL) the COMMIT does not fsync: it only
// writes the WAL frames, and the fsync runs on the thread pool (wal-sync.ts), so a COMMIT no
// longer blocks the event loop for the disk. A commit is then "staged" until an fsync that
// started after it completes; only then is it durable: afterCommit runs and flush() resolves.
// One fsync at a time: the commits staged while one runs share the next.
import type Database from 'better-sqlite3';
import { StoreError } from './errors.js';
import type { CommitStats, StoreLog } from './types.js';
import type { WalSync } from './wal-sync.js';

export interface WriteBatchHooks {
  /**
   * Runs inside the transaction just before COMMIT (outbox bounds). Errors are logged, not fatal.
   * True: this commit must be made durable at once (with a WalSync), because readers of the
   * table would otherwise see its effect (rows shed) before it is durable.
   */
  beforeCommit(): boolean | void;
  /**
   * Runs right after a successful COMMIT returned, before it is durable (with a WalSync). Its
   * writes are readable and can no longer be rolled back.
   */
  afterCommitStaged?(): void;
  /**
   * Runs once committed writes are durable: after the COMMIT (without a WalSync), or after the
   * fsync that covers `commits` staged commits, oldest first.
   */
  afterCommit(commits?: number): void;
  /**
   * Runs after each outermost write that succeeded, before its COMMIT (outbox-staging.ts hands
   * its new, not yet durable events to the consumers that asked for them). Errors are logged, not fatal.
   */
  afterWrite?(): void;
  /**
   * Runs after the transaction was lost (COMMIT failed or SQLite rolled it back): drop caches,
   * account for what was lost. Logging is the hook's job: once per episode, not per commit.
   */
  afterRollback(error: Error, writes: number): void;
  /** Before each write: a mark to pass to writeUndone if that write alone is undone. */
  writeMark?(): number;
  writeUndone?(mark: number): void;
}

/** How soon a write needs its commit. */
export type WriteUrgency = 'soon' | 'lazy';

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

/** A commit whose COMMIT returned, waiting for its fsync. */
interface StagedCommit {
  no: number;
  waiters: Waiter[];
}

/** After a failed fsync, the next try (the frames stay in the page cache meanwhile). */
const SYNC_RETRY_MS = 1000;

export class WriteBatch {
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  /** What the scheduled commit was scheduled for: a lazy one is brought forward by a 'soon' write. */
  private scheduled: WriteUrgency | undefined;
  /** performance.now() when the last COMMIT started; spacing is measured from there. */
  private lastCommitStartedAt = -Infinity;
  private pending = 0;
  /** Writes running inside writes: only the outermost one is decided when it returns. */
  private depth = 0;
  private waiters: Waiter[] = [];
  private closed = false;
  /** close() could not make the last commits durable: flush() after close says so. */
  private closeError: Error | undefined;
  private readonly stats = { commits: 0, committedWrites: 0, failedCommits: 0, commitMsTotal: 0, commitMsMax: 0, syncs: 0, failedSyncs: 0, syncMsMax: 0 };
  private staged: StagedCommit[] = [];
  private stagedNo = 0;
  private syncing = false;
  private syncRetry: NodeJS.Timeout | undefined;
  /** A failed fsync is logged once per episode, not per try. */
  private syncFailing = false;
  private readonly begin: Database.Statement;
  private readonly commitStmt: Database.Statement;
  private readonly rollback: Database.Statement;
  private readonly savepoint: Database.Statement;
  private readonly release: Database.Statement;
  private readonly rollbackTo: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly hooks: WriteBatchHooks,
    private readonly log: StoreLog,
    private readonly minSpacingMs: number,
    private readonly maxPending: number,
    private readonly lazyCommitMs = 1000,
    private readonly walSync?: WalSync,
  ) {
    // IMMEDIATE takes the write lock up front, so a commit cannot fail with SQLITE_BUSY later.
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commitStmt = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.savepoint = db.prepare('SAVEPOINT write');
    this.release = db.prepare('RELEASE write');
    this.rollbackTo = db.prepare('ROLLBACK TO write');
  }

  /** Runs `write` inside the open group transaction (opening one if needed). */
  run<T>(write: () => T, urgency: WriteUrgency = 'soon'): T {
    if (this.closed) throw new StoreError('closed', 'store is closed');
    // The write that opens the transaction needs no savepoint: undoing it is a ROLLBACK of a
    // transaction that holds nothing else. Saves a SAVEPOINT and a RELEASE per commit.
    const opens = !this.db.inTransaction;
    if (opens) this.begin.run();
    else this.savepoint.run();
    const mark = this.hooks.writeMark?.() ?? 0;
    let result: T;
    this.depth++;
    try {
      result = write();
    } catch (err) {
      this.undoWrite(mark, err, opens);
      throw err;
    } finally {
      this.depth--;
    }
    if (!opens) this.release.run();
    if (this.depth === 0) this.wrote();
    this.pending++;
    if (this.pending >= this.maxPending) this.commit();
    else this.schedule(urgency);
    return result;
  }

  /** Resolves once everything queued so far is committed and durable; rejects if that commit fails. */
  flush(): Promise<void> {
    if (this.closed && this.closeError) return Promise.reject(this.closeError);
    if (!this.db.inTransaction) {
      const last = this.staged.at(-1);
      if (!last) return Promise.resolve();
      return new Promise((resolve, reject) => last.waiters.push({ resolve, reject }));
    }
    // Someone waits for it: lazy writes alone must not hold them for lazyCommitMs.
    this.schedule('soon');
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private schedule(urgency: WriteUrgency): void {
    if (this.scheduled === 'soon' || this.scheduled === urgency) return;
    this.cancelScheduled();
    this.scheduled = urgency;
    const commit = () => {
      this.timer = this.immediate = this.scheduled = undefined;
      this.commit();
    };
    const spacingLeft = this.lastCommitStartedAt + this.minSpacingMs - performance.now();
    if (urgency === 'lazy') this.timer = setTimeout(commit, Math.max(this.lazyCommitMs, spacingLeft));
    else if (spacingLeft > 0) this.timer = setTimeout(commit, spacingLeft);
    else this.immediate = setImmediate(commit);
  }

  private cancelScheduled(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = this.immediate = this.scheduled = undefined;
  }

  /** Commits now (shutdown, before a backup). False when the commit failed and its writes are lost. */
  commit(): boolean {
    return this.commitQueued() === undefined;
  }

  /** Commits now and waits (blocking) for the fsync. False when either failed; the failure is logged. */
  commitDurable(): boolean {
    try {
      this.commitNow();
      return true;
    } catch (err) {
      this.log.debug('store: durable commit failed', { err: String(err) });
      return false;
    }
  }

  /**
   * Commits now and throws a StoreError when that fails: for a write that must be durable
   * before the caller goes on (a command's started record, before the command reaches the radio).
   */
  commitNow(): void {
    const failure = this.commitQueued();
    if (failure) throw failure;
    this.syncStagedNow();
  }

  private commitQueued(): StoreError | undefined {
    this.cancelScheduled();
    if (!this.db.inTransaction) return this.settle();
    let syncAtOnce = false;
    try {
      syncAtOnce = this.hooks.beforeCommit() === true;
    } catch (err) {
      this.log.error('store: pre-commit step failed; committing the writes anyway', { err: String(err) });
    }
    const started = performance.now();
    this.lastCommitStartedAt = started;
    try {
      this.commitStmt.run();
    } catch (err) {
      this.stats.failedCommits++;
      if (this.db.inTransaction) this.rollback.run();
      this.settleStagedBeforeRollback();
      const writes = this.pending;
      this.pending = 0;
      const error = new StoreError('commit_failed', `commit failed: ${(err as Error).message}`, { cause: err });
      this.log.debug('store: commit failed; queued writes are lost', { err: String(err), writes });
      this.hooks.afterRollback(error, writes);
      this.settle(error);
      return error;
    }
    // The event loop is blocked for this long: the WAL writes, now and then a checkpoint, and
    // the fsync too when there is no WalSync.
    const took = performance.now() - started;
    this.stats.commitMsTotal += took;
    this.stats.commitMsMax = Math.max(this.stats.commitMsMax, took);
    this.stats.commits++;
    this.stats.committedWrites += this.pending;
    this.pending = 0;
    this.hooks.afterCommitStaged?.();
    if (!this.walSync) {
      this.hooks.afterCommit(1);
      return this.settle();
    }
    this.staged.push({ no: ++this.stagedNo, waiters: this.waiters });
    this.waiters = [];
    if (syncAtOnce) {
      try {
        this.syncStagedNow();
      } catch (err) {
        this.log.error('store: a commit that shed outbox rows could not be made durable at once', { err: String(err) });
      }
    }
    this.startSync();
    return undefined;
  }

  close(): void {
    this.commit();
    try {
      this.syncStagedNow();
    } catch (err) {
      this.log.error('store: the last commits could not be made durable at close', { err: String(err) });
      // Nobody will sync them any more: whoever waits is told they are not known to be kept.
      this.closeError = err as Error;
      for (const commit of this.staged) {
        for (const w of commit.waiters) w.reject(this.closeError);
        commit.waiters = [];
      }
    }
    if (this.syncRetry) clearTimeout(this.syncRetry);
    this.walSync?.close();
    this.closed = true;
  }

  commitStats(): CommitStats {
    return { ...this.stats, pendingWrites: this.pending, stagedCommits: this.staged.length };
  }

  /** One fsync on the thread pool for every commit staged so far; the next starts when it ends. */
  private startSync(): void {
    if (!this.walSync || this.syncing || this.syncRetry || this.staged.length === 0) return;
    this.syncing = true;
    const upTo = this.stagedNo;
    const started = performance.now();
    this.walSync.sync((err) => {
      this.syncing = false;
      if (this.closed) return;
      if (err) {
        this.stats.failedSyncs++;
        // The commits stay staged: nobody is told they are kept, and the next try covers them.
        if (!this.syncFailing) this.log.error('store: cannot make commits durable; retrying', { err: err.message });
        this.syncFailing = true;
        this.syncRetry = setTimeout(() => {
          this.syncRetry = undefined;
          this.startSync();
        }, SYNC_RETRY_MS).unref();
        return;
      }
      if (this.syncFailing) this.log.info('store: commits are durable again');
      this.syncFailing = false;
      this.stats.syncMsMax = Math.max(this.stats.syncMsMax, performance.now() - started);
      this.durableUpTo(upTo);
      this.startSync();
    });
  }

  /** Blocking fsync of everything staged: the caller needs it kept before it goes on. */
  private syncStagedNow(): void {
    if (!this.walSync || this.staged.length === 0) return;
    try {
      this.walSync.syncNow();
    } catch (err) {
      this.stats.failedSyncs++;
      throw new StoreError('commit_failed', `commit not durable: ${(err as Error).message}`, { cause: err });
    }
    this.durableUpTo(this.stagedNo);
  }

  /**
   * A lost transaction is accounted against what is durable: commits before it are kept (their
   * COMMIT returned), so they are made durable first, in order.
   */
  private settleStagedBeforeRollback(): void {
    try {
      this.syncStagedNow();
    } catch (err) {
      this.log.error('store: earlier commits could not be made durable', { err: String(err) });
    }
  }

  private durableUpTo(no: number): void {
    let n = 0;
    while (n < this.staged.length && this.staged[n]!.no <= no) n++;
    if (n === 0) return;
    const done = this.staged.splice(0, n);
    this.stats.syncs++;
    this.hooks.afterCommit(n);
    for (const commit of done) for (const w of commit.waiters) w.resolve();
  }

  private wrote(): void {
    try {
      this.hooks.afterWrite?.();
    } catch (err) {
      this.log.error('store: after-write step failed', { err: String(err) });
    }
  }

  private undoWrite(mark: number, cause: unknown, openedTransaction: boolean): void {
    if (this.db.inTransaction) {
      if (openedTransaction) {
        this.rollback.run();
      } else {
        this.rollbackTo.run();
        this.release.run();
      }
      this.hooks.writeUndone?.(mark);
      return;
    }
    // SQLite rolled back the whole group (e.g. disk full, I/O error): earlier writes are gone too.
    this.cancelScheduled();
    this.stats.failedCommits++;
    const writes = this.pending + 1;
    this.pending = 0;
    this.settleStagedBeforeRollback();
    const error = new StoreError('commit_failed', `transaction rolled back by SQLite: ${String(cause)}`, { cause });
    this.log.debug('store: transaction rolled back by SQLite; queued writes are lost', { err: String(cause), writes });
    this.hooks.afterRollback(error, writes);
    this.settle(error);
  }

  private settle(err?: Error): undefined {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      if (err) w.reject(err);
      else w.resolve();
    }
  }
}
