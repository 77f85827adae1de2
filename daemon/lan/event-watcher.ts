// One client's view of the feed: a bounded queue read as an async iterator. A client that lags
// more than `maxQueued` items behind (slow network, stalled app) is ended with
// RESOURCE_EXHAUSTED instead of making the hub buffer without bound; it can resume from the
// last seq it received.
import { LanError } from './errors.js';
import type { LanDevice } from './device-view.js';
import type { DeviceState, SequencedEvent } from '../domain/events.js';
import type { GroupRecord } from '../store/index.js';

/** A group with its state derived from its members, as ListGroups shows it. */
export type LanGroup = GroupRecord & { state: DeviceState };

/**
 * What a watcher is handed: the snapshot, or the events of one commit (in seq order, never
 * empty). The feed shares one `events` array between all watchers, so the transport can
 * encode it once for all of them.
 */
export type WatchItem =
  | { kind: 'snapshot'; devices: LanDevice[]; groups: LanGroup[]; seq: number; epoch: string }
  | { kind: 'events'; events: readonly SequencedEvent[] };

export class EventWatcher implements AsyncIterable<WatchItem> {
  private readonly queue: WatchItem[] = [];
  /** Events in `queue`: the bound is in events, whatever the commits they came in. */
  private queuedEvents = 0;
  private wake: (() => void) | undefined;
  private ended = false;
  private failure: LanError | undefined;
  private lastSeq = 0;
  /** The highest seq this client was sent or queued, or that its snapshot includes. */
  private covered = 0;
  private readonly endListeners: Array<() => void> = [];

  constructor(
    private readonly maxQueued: number,
    private readonly onClose: () => void,
  ) {}

  push(item: WatchItem): void {
    if (this.ended) return;
    const count = item.kind === 'events' ? item.events.length : 0;
    if (this.queuedEvents + count > this.maxQueued) {
      this.fail(new LanError('resource_exhausted', `this client fell more than ${this.maxQueued} events behind; resume with after_seq ${this.lastSeq}`));
      return;
    }
    this.queue.push(item);
    this.queuedEvents += count;
    if (item.kind === 'events') this.covered = Math.max(this.covered, item.events.at(-1)!.seq);
    this.wake?.();
  }

  coversUpTo(seq: number): void {
    this.covered = Math.max(this.covered, seq);
  }

  coveredUpTo(): number {
    return this.covered;
  }

  /**
   * Takes every commit's events queued right now (none if the snapshot is next): a transport
   * sending batches puts them in the message it is about to send instead of one more each.
   */
  takeQueuedEvents(): Array<readonly SequencedEvent[]> {
    const taken: Array<readonly SequencedEvent[]> = [];
    for (let item = this.queue[0]; item?.kind === 'events'; item = this.queue[0]) {
      this.take();
      taken.push(item.events);
    }
    return taken;
  }

  /** Puts the snapshot ahead of events queued while it was being built. */
  pushFirst(item: WatchItem): void {
    if (this.ended) return;
    this.queue.unshift(item);
    this.wake?.();
  }

  onEnd(listener: () => void): void {
    if (this.ended) listener();
    else this.endListeners.push(listener);
  }

  /** Ends the stream with an error (after what is queued is dropped: the client resumes). */
  fail(error: LanError): void {
    if (this.ended) return;
    this.failure = error;
    this.queue.length = 0;
    this.queuedEvents = 0;
    this.end();
  }

  /** Ends the stream normally (hub stopping, client gone). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onClose();
    for (const listener of this.endListeners.splice(0)) listener();
    this.wake?.();
  }

  /**
   * A plain iterator, not an async generator: with 20 watchers every event passes through 20 of
   * these, and a generator costs a resumption and extra promise turns per item. An item already
   * queued is handed over at once; the stream ends (end()) when the consumer stops or the
   * queue is finished.
   */
  [Symbol.asyncIterator](): AsyncIterator<WatchItem> {
    const finished: IteratorReturnResult<undefined> = { done: true, value: undefined };
    const next = (): Promise<IteratorResult<WatchItem>> => {
      const item = this.take();
      if (item) return Promise.resolve({ done: false, value: item });
      if (this.failure) {
        this.end();
        return Promise.reject(this.failure);
      }
      if (this.ended) return Promise.resolve(finished);
      return new Promise<void>((resolve) => (this.wake = resolve)).then(() => {
        this.wake = undefined;
        return next();
      });
    };
    return {
      next,
      return: () => {
        this.end();
        return Promise.resolve(finished);
      },
    };
  }

  private take(): WatchItem | undefined {
    const item = this.queue.shift();
    if (!item) return undefined;
    if (item.kind === 'events') {
      this.queuedEvents -= item.events.length;
      this.lastSeq = item.events.at(-1)!.seq;
    } else {
      this.lastSeq = item.seq;
    }
    return item;
  }
}
