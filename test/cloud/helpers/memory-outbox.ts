// An in-memory OutboxReader + event appender for cloud link tests: the edge the design lets
// tests swap. It behaves like the store's outbox: seqs increase, ack deletes cumulatively.
import type { HubEvent, SequencedEvent } from '../../../daemon/domain/events.js';
import type { OutboxReader } from '../../../daemon/cloud/types.js';

export class MemoryOutbox implements OutboxReader {
  private events: SequencedEvent[] = [];
  private nextSeq = 1;
  private acked = 0;
  private readonly listeners = new Set<() => void>();
  private readonly ackWaiters: Array<{ seq: number; resolve: () => void }> = [];
  /** Every ack call, in order, for assertions. */
  readonly acks: number[] = [];

  constructor(private epochId = 'test-epoch') {}

  append(event: HubEvent, at = Date.now()): number {
    const seq = this.nextSeq++;
    this.events.push({ seq, at, event });
    for (const listener of this.listeners) listener();
    return seq;
  }

  readAfter(seq: number, limit: number): SequencedEvent[] {
    return this.events.filter((e) => e.seq > seq).slice(0, limit);
  }

  ack(uptoSeq: number): void {
    this.acks.push(uptoSeq);
    if (uptoSeq <= this.acked) return;
    this.acked = uptoSeq;
    this.events = this.events.filter((e) => e.seq > uptoSeq);
    for (const waiter of [...this.ackWaiters]) {
      if (waiter.seq <= uptoSeq) {
        this.ackWaiters.splice(this.ackWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  /** Resolves once everything up to seq is acknowledged. */
  waitUntilAcked(seq: number, timeoutMs = 10_000): Promise<void> {
    if (this.acked >= seq) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`outbox: seq ${seq} not acked within ${timeoutMs} ms (acked ${this.acked})`)), timeoutMs);
      this.ackWaiters.push({ seq, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  lastAcked(): number {
    return this.acked;
  }

  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  epoch(): string {
    return this.epochId;
  }

  lastCommittedSeq(): number {
    return this.nextSeq - 1;
  }

  startNewEpoch(aboveSeq: number, reason: string): string {
    this.epochId = `${this.epochId}+`;
    this.nextSeq = Math.max(this.nextSeq, aboveSeq + 1);
    this.acked = 0;
    this.append({ kind: 'resync_requested', reason });
    return this.epochId;
  }

  /** Events still held (not acknowledged). */
  pending(): SequencedEvent[] {
    return [...this.events];
  }
}
