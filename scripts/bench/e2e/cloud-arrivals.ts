// The reference cloud's event store, instrumented: every state_changed event that arrives is
// counted and handed to a listener at once (with a monotonic timestamp), so the bench can match
// it to the report that caused it without scanning the stored events.
import type { HubEvent } from '../../../daemon/domain/events.js';
import { CloudEventStore } from '../../reference-cloud/event-store.js';

type StateChanged = Extract<HubEvent, { kind: 'state_changed' }>;

export class ArrivalCountingStore extends CloudEventStore {
  stateChangeCount = 0;
  eventCount = 0;
  onStateChanged: ((event: StateChanged, arrivedAt: number) => void) | undefined;

  override accept(entry: Parameters<CloudEventStore['accept']>[0]): boolean {
    const fresh = super.accept(entry);
    if (!fresh) return false;
    this.eventCount++;
    if (entry.event?.kind === 'state_changed') {
      this.stateChangeCount++;
      this.onStateChanged?.(entry.event, performance.now());
    }
    return true;
  }
}
