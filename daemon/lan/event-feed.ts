// The LAN's live event feed. One owner of "what happened": the store's outbox (the same numbered
// events the cloud gets). The feed reads each commit's new events once and fans them out to
// every watcher, and keeps the most recent ones so a client that reconnects can resume from
// the last seq it saw instead of starting over. (The outbox itself cannot serve that: it
// deletes what the cloud acknowledged.)
import type { SequencedEvent } from '../domain/events.js';
import type { OutboxReader } from '../store/index.js';
import { LanError } from './errors.js';
import { EventWatcher, type WatchItem } from './event-watcher.js';

export type FeedOutbox = Pick<OutboxReader, 'readAfter' | 'onAppend' | 'lastCommittedSeq' | 'epoch'>;

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
  private unsubscribe: (() => void) | undefined;
  private readonly keep: number;

  constructor(
    private readonly outbox: FeedOutbox,
    private readonly options: EventFeedOptions = {},
  ) {
    this.cursor = outbox.lastCommittedSeq();
    this.floor = this.cursor;
    this.keep = options.keep ?? 5000;
  }

  start(): void {
    this.unsubscribe ??= this.outbox.onAppend(() => this.pull());
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    // UNAVAILABLE, not a normal end: clients reconnect and resume once the hub is back.
    for (const watcher of this.watchers) watcher.fail(new LanError('unavailable', 'the hub is stopping; reconnect and resume from your last seq'));
    this.watchers.clear();
  }

  /** The seq the feed has delivered up to, and the outbox epoch: what a snapshot taken now is "as of". */
  position(): { seq: number; epoch: string } {
    return { seq: this.cursor, epoch: this.outbox.epoch() };
  }

  /**
   * A watcher receiving every event after this moment. With `resume` (the seq and epoch a client
   * last saw) it first gets the events it missed; `resumed` is false when they are not all
   * here any more (hub restarted, gone too long, other epoch) or are more than half its queue:
   * the caller then sends a snapshot.
   * Call it in the same tick as the snapshot is read, so no event falls between the two.
   */
  watch(resume?: { afterSeq: number; epoch: string }): { watcher: EventWatcher; resumed: boolean } {
    const maxQueued = this.options.watcherQueue ?? 1000;
    const watcher = new EventWatcher(maxQueued, () => this.watchers.delete(watcher));
    let missed: SequencedEvent[] | undefined;
    if (resume !== undefined && resume.afterSeq > 0 && resume.epoch === this.outbox.epoch() && resume.afterSeq >= this.floor && resume.afterSeq <= this.cursor) {
      missed = this.recent.filter((event) => event.seq > resume.afterSeq);
      // More than the queue holds would end the stream at once, and the client would come back
      // for the same: a snapshot is the smaller answer.
      if (missed.length > maxQueued / 2) missed = undefined;
    }
    if (missed?.length) watcher.push({ kind: 'events', events: missed });
    this.watchers.add(watcher);
    return { watcher, resumed: missed !== undefined };
  }

  watcherCount(): number {
    return this.watchers.size;
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
    }
  }
}
