// Re-reads a device's main state after it comes back (it was unavailable, or it announced
// itself again, as a bulb does after a power cut): what it reports then is its real state,
// not what the hub last knew. As in Zigbee2MQTT's availability extension: on/off first, then
// brightness and colour only when it is on (a bulb that is off may not answer them). The
// answers arrive as ordinary read responses and become state like any report.
import type { DeviceState, Ieee } from '../domain/events.js';
import { describeError } from './errors.js';
import type { ConverterDefinition, HerdsmanDevice, HerdsmanEndpoint } from './herdsman-types.js';
import type { ZigbeeLogger } from './types.js';

const RETRIEVE_ON_RETURN: ReadonlyArray<{ keys: string[]; onlyWhenOn?: boolean }> = [
  { keys: ['state'] },
  { keys: ['brightness'], onlyWhenOn: true },
  // The colour converters read both at once.
  { keys: ['color', 'color_temp'], onlyWhenOn: true },
];

/** A device announcing itself several times in a row is read once. */
const QUIET_MS = 5_000;

export interface StateRefreshOptions {
  state: (ieee: Ieee) => DeviceState;
  options: (ieee: Ieee) => Record<string, unknown>;
  publish: (ieee: Ieee, payload: DeviceState) => void;
  now: () => number;
  log: ZigbeeLogger;
}

export class StateRefresh {
  /** The read under way per device. */
  private readonly running = new Map<Ieee, Promise<void>>();
  private readonly lastAt = new Map<Ieee, number>();

  constructor(private readonly o: StateRefreshOptions) {}

  /**
   * Reads the device's state keys through the definition's convertGet; never throws. With
   * `debounce` (announces), a device being read or read less than QUIET_MS ago is not read
   * again; without, a read under way is waited for and then the device is read afresh.
   */
  async refresh(device: HerdsmanDevice, definition: ConverterDefinition, debounce: boolean): Promise<void> {
    const ieee = device.ieeeAddr;
    const current = this.running.get(ieee);
    if (current) {
      if (debounce) return current;
      await current;
      return this.refresh(device, definition, debounce);
    }
    const last = this.lastAt.get(ieee);
    if (debounce && last !== undefined && this.o.now() - last < QUIET_MS) return;
    this.lastAt.set(ieee, this.o.now());
    const read = this.read(device, definition);
    this.running.set(ieee, read);
    try {
      await read;
    } finally {
      this.running.delete(ieee);
    }
  }

  private async read(device: HerdsmanDevice, definition: ConverterDefinition): Promise<void> {
    const ieee = device.ieeeAddr;
    const endpoint = defaultEndpoint(device, definition);
    if (!endpoint) return;
    this.o.log.debug('reading state after the device came back', { ieee });
    for (const item of RETRIEVE_ON_RETURN) {
      // The state read just before may have changed it: ask afresh.
      const state = this.o.state(ieee);
      if (item.onlyWhenOn && state.state !== 'ON') continue;
      const converter = definition.toZigbee.find((c) => c.convertGet && c.key?.some((k) => item.keys.includes(k)));
      if (!converter) continue;
      const meta = {
        message: { ...state },
        mapped: definition,
        endpoint_name: undefined,
        options: this.o.options(ieee),
        state,
        device,
        deviceExposesChanged: () => {},
        publish: (payload: Record<string, unknown>) => this.o.publish(ieee, payload),
      };
      try {
        await converter.convertGet!(endpoint, item.keys[0]!, meta);
      } catch (error) {
        this.o.log.warn('reading state after the device came back failed', { ieee, key: item.keys[0], error: describeError(error) });
        return;
      }
    }
  }

  forget(ieee: Ieee): void {
    this.lastAt.delete(ieee);
  }
}

function defaultEndpoint(device: HerdsmanDevice, definition: ConverterDefinition): HerdsmanEndpoint | undefined {
  const id = definition.endpoint?.(device).default;
  return (id !== undefined ? device.getEndpoint(id) : undefined) ?? device.endpoints[0];
}
