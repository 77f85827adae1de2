// What the platform has received, per gateway: events de-duplicated by (gateway id, outbox
// epoch, seq), in memory, optionally appended to a JSON-lines file and reloaded from it, so
// a restarted reference cloud still answers Welcome with what it has.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { HubEvent } from '../../daemon/domain/events.js';

export interface StoredEvent {
  gatewayId: string;
  /** The gateway's outbox epoch (Hello.outbox_epoch); '' when the gateway does not track it. */
  epoch: string;
  seq: number;
  /** When the gateway committed it (ms since epoch). */
  at: number;
  /** When the platform received it (ms since epoch). */
  receivedAt: number;
  event: HubEvent;
}

/** One JSON line of the events file; event null = a payload this platform did not understand. */
type FileLine = Omit<StoredEvent, 'event'> & { event: HubEvent | null };

export class CloudEventStore {
  private readonly cursors = new Map<string, number>();
  private readonly byGateway = new Map<string, StoredEvent[]>();
  private readonly duplicateCounts = new Map<string, number>();

  /** file: JSON-lines path to append to and to reload at construction. */
  constructor(private readonly file?: string) {
    if (file && existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line.trim() !== '') this.remember(JSON.parse(line) as FileLine);
      }
    }
  }

  /** The highest seq stored for this gateway's outbox epoch (0 = none): Welcome.last_seq_seen. */
  lastSeq(gatewayId: string, epoch: string): number {
    return this.cursors.get(cursorKey(gatewayId, epoch)) ?? 0;
  }

  /**
   * Stores an event unless its seq was seen already. Returns false for a duplicate.
   * `event` undefined records the seq as received without a readable payload.
   */
  accept(entry: Omit<StoredEvent, 'event'> & { event: HubEvent | undefined }): boolean {
    if (entry.seq <= this.lastSeq(entry.gatewayId, entry.epoch)) {
      this.duplicateCounts.set(entry.gatewayId, this.duplicates(entry.gatewayId) + 1);
      return false;
    }
    const line: FileLine = { ...entry, event: entry.event ?? null };
    if (this.file) appendFileSync(this.file, JSON.stringify(line) + '\n');
    this.remember(line);
    return true;
  }

  /** A gateway's stored events in arrival (= seq) order, all epochs. */
  events(gatewayId: string): StoredEvent[] {
    return [...(this.byGateway.get(gatewayId) ?? [])];
  }

  all(): StoredEvent[] {
    return [...this.byGateway.values()].flat();
  }

  /** How many duplicate deliveries were dropped for this gateway. */
  duplicates(gatewayId: string): number {
    return this.duplicateCounts.get(gatewayId) ?? 0;
  }

  private remember(line: FileLine): void {
    this.cursors.set(cursorKey(line.gatewayId, line.epoch), line.seq);
    if (line.event === null) return;
    let list = this.byGateway.get(line.gatewayId);
    if (!list) this.byGateway.set(line.gatewayId, (list = []));
    list.push({ ...line, event: line.event });
  }
}

function cursorKey(gatewayId: string, epoch: string): string {
  return `${gatewayId}\u0000${epoch}`;
}
