// What the network remembers per device between messages: the last converted state (the
// converters read it back, e.g. to count clicks or restore brightness) and the counters.
// Also the single place where state and rejections are screened, counted and emitted, so
// that a converter publishing late (a timer) goes through the same checks as a message.
import type { DeviceState, Ieee } from '../domain/events.js';
import { screenState, type ExposeRange } from './sanitizer.js';
import type { ZigbeeLogger, ZigbeeNetworkEvents, ZigbeeNetworkStats } from './types.js';

type Emit = <K extends 'state' | 'rejected'>(kind: K, payload: ZigbeeNetworkEvents[K]) => void;

export interface NetworkStateOptions {
  log: ZigbeeLogger;
  emit: Emit;
  deviceOptions?: (ieee: Ieee) => Record<string, unknown>;
  /** The value ranges the device's definition gives its numeric state, when known. */
  rangesOf?: (ieee: Ieee) => ReadonlyMap<string, ExposeRange> | undefined;
}

type StateCounters = Pick<ZigbeeNetworkStats, 'messages' | 'states' | 'rejected' | 'rejectedByReason'>;

/** Distinct reason categories kept in the counters; the rest count as "other". */
const MAX_REASON_CATEGORIES = 100;

export class NetworkState {
  private readonly states = new Map<Ieee, DeviceState>();
  private readonly counters: StateCounters = { messages: 0, states: 0, rejected: 0, rejectedByReason: {} };
  private stopped = false;

  constructor(private readonly options: NetworkStateOptions) {}

  /** The device's last known state (the live object handed to converters). */
  of(ieee: Ieee): DeviceState {
    let state = this.states.get(ieee);
    if (!state) {
      state = {};
      this.states.set(ieee, state);
    }
    return state;
  }

  optionsOf(ieee: Ieee): Record<string, unknown> {
    return this.options.deviceOptions?.(ieee) ?? {};
  }

  rangesOf(ieee: Ieee): ReadonlyMap<string, ExposeRange> | undefined {
    return this.options.rangesOf?.(ieee);
  }

  seed(ieee: Ieee, state: DeviceState): void {
    Object.assign(this.of(ieee), state);
  }

  countMessage(): void {
    this.counters.messages++;
  }

  /** Screens, remembers and emits converted state; implausible keys become rejections. */
  publish(ieee: Ieee, payload: DeviceState, linkquality?: number): void {
    if (this.stopped) return; // a converter's timer firing after stop
    const { accepted, rejected } = screenState(payload, undefined, this.rangesOf(ieee));
    for (const r of rejected) this.reject(ieee, r.reason);
    if (Object.keys(accepted).length === 0) return;
    Object.assign(this.of(ieee), accepted);
    this.counters.states++;
    this.options.emit('state', linkquality === undefined ? { ieee, state: accepted } : { ieee, state: accepted, linkquality });
  }

  /** Counts, logs and emits one refused input from a device. */
  reject(ieee: Ieee, reason: string, cluster?: string, model?: string): void {
    if (this.stopped) return;
    this.counters.rejected++;
    const category = reasonCategory(reason);
    const byReason = this.counters.rejectedByReason;
    const key = category in byReason || Object.keys(byReason).length < MAX_REASON_CATEGORIES ? category : 'other';
    byReason[key] = (byReason[key] ?? 0) + 1;
    this.options.log.warn('rejected input from device', { ieee, model, cluster, reason });
    this.options.emit('rejected', cluster === undefined ? { ieee, reason } : { ieee, reason, cluster });
  }

  forget(ieee: Ieee): void {
    this.states.delete(ieee);
  }

  /** After stop nothing is emitted any more (converters may still hold timers). */
  stop(): void {
    this.stopped = true;
  }

  resume(): void {
    this.stopped = false;
  }

  stats(): StateCounters {
    return { ...this.counters, rejectedByReason: { ...this.counters.rejectedByReason } };
  }
}

/** "humidity 140 is above 100" -> "humidity # is above #": a bounded set of counter keys. */
function reasonCategory(reason: string): string {
  return reason.replace(/0x[0-9a-f]+|-?\d+(\.\d+)?(e[+-]?\d+)?/gi, '#');
}
