// A reference-cloud event store that also remembers every delivery, duplicates included, so a
// test can prove what de-duplication would hide: a seq handed out twice with different content
// (a reused seq), and holes in the seqs a gateway delivered.
import type { HubEvent } from '../../daemon/domain/events.js';
import { CloudEventStore, type StoredEvent } from '../../scripts/reference-cloud/event-store.js';

export interface AcceptedDelivery {
  epoch: string;
  seq: number;
  event: HubEvent | undefined;
}

export class DeliveryRecorder extends CloudEventStore {
  /** Deliveries the cloud kept (first time it saw their seq), in arrival order. */
  readonly accepted: AcceptedDelivery[] = [];
  /** Seqs delivered again with other content than the first time: must stay empty. */
  readonly conflicts: string[] = [];
  private readonly firstContent = new Map<string, string>();

  override accept(entry: Omit<StoredEvent, 'event'> & { event: HubEvent | undefined }): boolean {
    const key = `${entry.gatewayId}\u0000${entry.epoch}\u0000${entry.seq}`;
    const content = JSON.stringify({ at: entry.at, event: entry.event ?? null });
    const first = this.firstContent.get(key);
    if (first === undefined) this.firstContent.set(key, content);
    else if (first !== content) this.conflicts.push(`seq ${entry.seq} (epoch ${entry.epoch}): first ${first}, now ${content}`);
    const kept = super.accept(entry);
    if (kept) this.accepted.push({ epoch: entry.epoch, seq: entry.seq, event: entry.event });
    return kept;
  }
}

/**
 * Seq holes in one epoch's accepted deliveries that no gap event explains. A gap event says
 * which seqs the gateway dropped (fromSeq..toSeq); anything else missing is lost data.
 */
export function unexplainedHoles(deliveries: AcceptedDelivery[]): string[] {
  const explained: Array<[number, number]> = [];
  for (const d of deliveries) if (d.event?.kind === 'gap') explained.push([d.event.fromSeq, d.event.toSeq]);
  const isExplained = (seq: number) => explained.some(([from, to]) => seq >= from && seq <= to);
  const holes: string[] = [];
  for (let i = 1; i < deliveries.length; i++) {
    const previous = deliveries[i - 1]!.seq;
    const current = deliveries[i]!.seq;
    if (current <= previous) holes.push(`seq ${current} after ${previous}: not increasing`);
    for (let missing = previous + 1; missing < current && holes.length < 20; missing++) {
      if (!isExplained(missing)) holes.push(`seq ${missing} missing (between ${previous} and ${current})`);
    }
  }
  return holes;
}
