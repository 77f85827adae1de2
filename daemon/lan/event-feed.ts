// The LAN's live event feed. One owner of "what happened": the store's outbox (the same numbered
// events the cloud gets). The feed takes each write's new events once, as soon as the write is
// decided and before its COMMIT (a watcher does not wait for the fsync; the cloud still does),
// fans them out to every watcher, and keeps the most recent ones so a client that reconnects
// can resume from the last seq it saw instead of starting over. (The outbox itself cannot serve
// that: it deletes what the cloud acknowledged.)
//
// Early delivery has a price: a commit can fail (disk full, I/O error). Then every watcher that
// was sent (or got a snapshot including) an event of the lost transaction is ended with ABORTED
// telling it to watch again for a fresh snapshot, and those seqs never resume: the outbox does
// not give them to other events, and a resume from one of them gets a snapshot. A daemon that
// dies before its commit cannot say so: the feed's epoch names its run, and a client of an
// earlier run resumes only from what that run had committed.
import { randomBytes } from 'node:crypto';
import type { SequencedEvent } from '../domain/events.js';
import type { OutboxReader, RolledBackSeqs } from '../store/index.js';
import { LanError } from './errors.js';
import { EventWatcher, type WatchItem } from './event-watcher.js';

export type FeedOutbox = Pick<OutboxReader, 'readAfter' | 'onAppend' | 'onUncommittedAppend' | 'onRollback' | 'lastCommittedSeq' | 'epoch'>;

export interface EventFeedOptions {
  /** Events kept for resuming. */
  keep?: number;
  /** Per-watcher queue bound (see EventWatcher). */
  watcherQueue?: number;
  onListenerError?: (error: unknown) => void;
}

const READ_CHUNK = 1000;

export class LanEventFeed {
  private cursor: number;
  /** Every event with floor < seq <= cursor is in `recent`. */
  private floor: number;
  private recent: SequencedEvent[] = [];
  private readonly watchers = new Set<EventWatcher>();
  private unsubscribe: Array<() => void> = [];
  private readonly keep: number;
  /** What was committed when this run started: all a client of an earlier run can resume from. */
  private readonly startSeq: number;
  /** Names this run of the hub in the epoch clients resume with (see the top of the file). */
  private readonly run = randomBytes(4).toString('hex');
  /**
   * Seqs sent to watchers and then lost with their transaction: never resumable. In seq order,
   * disjoint; forgotten once below the floor (a resume from there gets a snapshot anyway).
   */
  private revoked: Array<{ fromSeq: number; toSeq: number }> = [];

  constructor(
    private readonly outbox: FeedOutbox,
    private readonly options: EventFeedOptions = {},
  ) {
    this.cursor = outbox.lastCommittedSeq();
    this.floor = this.cursor;
    this.startSeq = this.cursor;
    this.keep = options.keep ?? 5000;
  }

  start(): void {
    if (this.unsubscribe.length > 0) return;
    this.unsubscribe = [
      this.outbox.onUncommittedAppend((events) => this.deliver(events)),
      // Anything committed that was not handed out before (a safety net: normally nothing).
      this.outbox.onAppend(() => this.pull()),
      this.outbox.onRollback((lost) => this.revoke(lost)),
    ];
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    this.unsubscribe = [];
    // UNAVAILABLE, not a normal end: clients reconnect and resume once the hub is back.
    for (const watcher of this.watchers) watcher.fail(new LanError('unavailable', 'the hub is stopping; reconnect and resume from your last seq'));
    this.watchers.clear();
  }

  /**
   * The seq the feed has delivered up to (perhaps not yet committed), and the epoch clients
   * resume with (the outbox's epoch and this run): what a snapshot taken now is "as of".
   */
  position(): { seq: number; epoch: string } {
    return { seq: this.cursor, epoch: this.epoch() };
  }

  private epoch(): string {
    return `${this.outbox.epoch()}.${this.run}`;
  }

  /**
   * A watcher receiving every event after this moment. With `resume` (the seq and epoch a client
   * last saw) it first gets the events it missed; `resumed` is false when they are not all
   * here any more (hub restarted, gone too long, other epoch), one of them was lost with a
   * failed commit, or they are more than half its queue: the caller then sends a snapshot.
   * Call it in the same tick as the snapshot is read, so no event falls between the two.
   */
  watch(resume?: { afterSeq: number; epoch: string }): { watcher: EventWatcher; resumed: boolean } {
    const maxQueued = this.options.watcherQueue ?? 1000;
    const watcher = new EventWatcher(maxQueued, () => this.watchers.delete(watcher));
    let missed: SequencedEvent[] | undefined;
    if (resume !== undefined && this.resumable(resume)) {
      missed = this.recent.filter((event) => event.seq > resume.afterSeq);
      // More than the queue holds would end the stream at once, and the client would come back
      // for the same: a snapshot is the smaller answer.
      if (missed.length > maxQueued / 2) missed = undefined;
    }
    if (missed?.length) watcher.push({ kind: 'events', events: missed });
    // Its snapshot (read now) or resume covers everything up to the cursor.
    watcher.coversUpTo(this.cursor);
    this.watchers.add(watcher);
    return { watcher, resumed: missed !== undefined };
  }

  watcherCount(): number {
    return this.watchers.size;
  }

  private resumable(resume: { afterSeq: number; epoch: string }): boolean {
    const { afterSeq, epoch } = resume;
    if (!(afterSeq > 0 && afterSeq >= this.floor && afterSeq <= this.cursor)) return false;
    if (this.revoked.some((lost) => afterSeq >= lost.fromSeq && afterSeq <= lost.toSeq)) return false;
    if (epoch === this.epoch()) return true;
    // An earlier run (or a client that kept the bare outbox epoch): seqs above what that run
    // committed may have named events it lost when it stopped, and this run reuses them.
    return epoch.split('.')[0] === this.outbox.epoch() && afterSeq <= this.startSeq;
  }

  /** A write's events, before their commit. */
  private deliver(events: readonly SequencedEvent[]): void {
    const fresh = events[0]!.seq > this.cursor ? events : events.filter((event) => event.seq > this.cursor);
    if (fresh.length === 0) return;
    for (const event of fresh) this.remember(event);
    this.cursor = fresh.at(-1)!.seq;
    const item: WatchItem = { kind: 'events', events: fresh };
    for (const watcher of this.watchers) watcher.push(item);
  }

  /** A commit failed: events already sent did not happen durably. */
  private revoke(lost: RolledBackSeqs): void {
    // A disk that stays full loses commit after commit with the same durable seq below them:
    // one growing range, not one per commit.
    const last = this.revoked.at(-1);
    if (last && lost.fromSeq <= last.toSeq + 1) last.toSeq = Math.max(last.toSeq, lost.toSeq);
    else this.revoked.push({ fromSeq: lost.fromSeq, toSeq: lost.toSeq });
    while (this.recent.length > 0 && this.recent.at(-1)!.seq >= lost.fromSeq) this.recent.pop();
    this.cursor = Math.min(this.cursor, lost.fromSeq - 1);
    this.floor = Math.min(this.floor, this.cursor);
    const error = new LanError(
      'aborted',
      `the hub could not store events ${lost.fromSeq}..${lost.toSeq} it had already sent (${lost.reason}); ` +
        'they did not happen: watch again without after_seq for a fresh snapshot',
    );
    for (const watcher of this.watchers) if (watcher.coveredUpTo() >= lost.fromSeq) watcher.fail(error);
  }

  private pull(): void {
    try {
      for (;;) {
        const batch = this.outbox.readAfter(this.cursor, READ_CHUNK);
        if (batch.length === 0) break;
        for (const event of batch) this.remember(event);
        this.cursor = batch.at(-1)!.seq;
        // One item per commit (or per chunk of one), shared by every watcher: the transport
        // encodes it once for all of them and sends it as one message to clients taking batches.
        const item: WatchItem = { kind: 'events', events: batch };
        for (const watcher of this.watchers) watcher.push(item);
        if (batch.length < READ_CHUNK) break;
      }
    } catch (error) {
      this.options.onListenerError?.(error);
    }
  }

  private remember(event: SequencedEvent): void {
    this.recent.push(event);
    if (this.recent.length > this.keep * 1.25) {
      // Trimmed in chunks: one copy per keep/4 events, not one shift per event.
      const dropped = this.recent.length - this.keep;
      this.floor = this.recent[dropped - 1]!.seq;
      this.recent = this.recent.slice(dropped);
      if (this.revoked.length > 0) this.revoked = this.revoked.filter((lost) => lost.toSeq >= this.floor);
    }
  }
}
