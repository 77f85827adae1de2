// The single place where converted state and rejections are screened, counted and emitted,
// so that a message, a command's result and a converter publishing late (a timer) all go
// through the same checks. The device's last state, which converters read back (to count
// clicks or restore brightness), is not kept here: it is asked of the state source, which in
// the daemon is the store's state cache (one cache, owned by the store). Without one (the
// network used on its own, in tests) a small in-memory source stands in.
import type { DeviceState, Ieee } from '../domain/events.js';
import { screenState, type ExposeRange } from './sanitizer.js';
import type { ZigbeeLogger, ZigbeeNetworkEvents, ZigbeeNetworkStats } from './types.js';

type Emit = <K extends 'state' | 'rejected'>(kind: K, payload: ZigbeeNetworkEvents[K]) => void;

/** Where the last known state of a device lives; updated by whoever listens to `state` events. */
export interface StateSource {
  get(ieee: Ieee): DeviceState | undefined;
}

/** Where a published state came from, for the rejection log and event. */
export interface StateOrigin {
  linkquality?: number;
  cluster?: string;
  model?: string;
}

export interface NetworkStateOptions {
  log: ZigbeeLogger;
  emit: Emit;
  /** The device's last known state; without one, what this network published is remembered. */
  source?: StateSource;
  deviceOptions?: (ieee: Ieee) => Record<string, unknown>;
  /** The value ranges the device's definition gives its numeric state, when known. */
  rangesOf?: (ieee: Ieee) => ReadonlyMap<string, ExposeRange> | undefined;
}

type StateCounters = Pick<ZigbeeNetworkStats, 'messages' | 'states' | 'rejected' | 'rejectedByReason'>;

/** Distinct reason categories kept in the counters; the rest count as "other". */
const MAX_REASON_CATEGORIES = 100;

export class NetworkState {
  /** Only without a source: what was published (the network used without a store). */
  private readonly remembered: Map<Ieee, DeviceState> | undefined;
  private readonly counters: StateCounters = { messages: 0, states: 0, rejected: 0, rejectedByReason: {} };
  private stopped = false;
  /** Reads waiting for their answers (readState), told of every accepted state of their device. */
  private readonly readers = new Set<{ ieee: Ieee; accept: (state: DeviceState) => void }>();

  constructor(private readonly options: NetworkStateOptions) {
    this.remembered = options.source ? undefined : new Map();
  }

  /** A copy of the device's last known state, for converters to read. */
  of(ieee: Ieee): DeviceState {
    const state = this.options.source ? this.options.source.get(ieee) : this.remembered!.get(ieee);
    return { ...state };
  }

  optionsOf(ieee: Ieee): Record<string, unknown> {
    return this.options.deviceOptions?.(ieee) ?? {};
  }

  rangesOf(ieee: Ieee): ReadonlyMap<string, ExposeRange> | undefined {
    return this.options.rangesOf?.(ieee);
  }

  countMessage(): void {
    this.counters.messages++;
  }

  /** Screens, remembers and emits converted state; implausible keys become rejections. */
  publish(ieee: Ieee, payload: DeviceState, origin: StateOrigin = {}): void {
    if (this.stopped) return; // a converter's timer firing after stop
    const { accepted, rejected } = screenState(payload, undefined, this.rangesOf(ieee));
    for (const r of rejected) this.reject(ieee, r.reason, origin.cluster, origin.model);
    if (Object.keys(accepted).length === 0) return;
    if (this.remembered) this.remembered.set(ieee, { ...this.remembered.get(ieee), ...accepted });
    this.counters.states++;
    for (const reader of this.readers) if (reader.ieee === ieee) reader.accept(accepted);
    const { linkquality } = origin;
    this.options.emit('state', linkquality === undefined ? { ieee, state: accepted } : { ieee, state: accepted, linkquality });
  }

  /**
   * Collects the values of `keys` that the device's next accepted states carry (the answers to a
   * read arrive as ordinary messages). `settled(ms)` resolves once all arrived or after ms.
   */
  collect(ieee: Ieee, keys: readonly string[]): { fresh: DeviceState; settled(ms: number): Promise<void>; stop(): void } {
    const fresh: DeviceState = {};
    let allArrived: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (allArrived = resolve));
    const reader = {
      ieee,
      accept: (state: DeviceState) => {
        for (const key of keys) if (key in state) fresh[key] = state[key];
        if (keys.every((key) => key in fresh)) allArrived();
      },
    };
    this.readers.add(reader);
    let timer: NodeJS.Timeout | undefined;
    return {
      fresh,
      settled: (ms) => Promise.race([arrived, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]),
      stop: () => {
        clearTimeout(timer);
        this.readers.delete(reader);
      },
    };
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
    this.remembered?.delete(ieee);
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
