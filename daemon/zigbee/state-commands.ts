// Setting and reading a device's named state: the device and its definition looked up, the
// context its converters get (last state, the device's options, a publish for what they
// report on their own), then the policy of state-setter.ts / state-reader.ts. A read's answers
// arrive as ordinary messages, so they are waited for here, bounded. Also the re-read of a
// device that came back (state-refresh.ts), which never throws.
import type { DeviceState, Ieee } from '../domain/events.js';
import type { DefinitionCache } from './definition-cache.js';
import type { DeviceFaults } from './device-faults.js';
import type { DeviceLookup } from './device-lookup.js';
import { ZigbeeError } from './errors.js';
import type { HerdsmanDevice } from './herdsman-types.js';
import type { NetworkState } from './network-state.js';
import { requestState } from './state-reader.js';
import type { StateRefresh } from './state-refresh.js';
import { applyState, type SetStateContext } from './state-setter.js';

export interface StateCommandsOptions {
  lookup: DeviceLookup;
  state: NetworkState;
  definitions: DefinitionCache;
  faults: DeviceFaults;
  refresher: StateRefresh;
}

export class StateCommands {
  constructor(private readonly o: StateCommandsOptions) {}

  /** Resolves with the state the converters report, published like any report. */
  async set(ieee: Ieee, request: DeviceState): Promise<DeviceState> {
    const result = await applyState(request, await this.context(ieee));
    this.o.state.publish(ieee, result);
    return result;
  }

  /** Resolves with the fresh values of the keys that arrived; rejects when none did. */
  async read(ieee: Ieee, keys: string[], settleMs: number): Promise<DeviceState> {
    const device = this.o.lookup.device(ieee);
    const definition = await this.o.lookup.definitionOf(device);
    const answers = this.o.state.collect(ieee, keys);
    try {
      await requestState(keys, this.contextOf(ieee, device, definition));
      // The read is answered before its message has gone through fromZigbee: wait, bounded.
      await answers.settled(settleMs);
    } finally {
      answers.stop();
    }
    const { fresh } = answers;
    if (Object.keys(fresh).length === 0) {
      throw new ZigbeeError('device_error', `${ieee} answered the read but reported none of: ${keys.join(', ')}`);
    }
    return fresh;
  }

  /** Re-reads the device's main state; a quarantined device, or one not resolved yet, is left alone. */
  async refresh(device: HerdsmanDevice, debounce: boolean): Promise<void> {
    if (this.o.faults.isQuarantined(device.ieeeAddr)) return;
    const definition = await this.o.definitions.resolve(device).catch(() => undefined);
    if (!definition || !this.o.lookup.current()) return;
    await this.o.refresher.refresh(device, definition, debounce);
  }

  private async context(ieee: Ieee): Promise<SetStateContext> {
    const device = this.o.lookup.device(ieee);
    return this.contextOf(ieee, device, await this.o.lookup.definitionOf(device));
  }

  private contextOf(ieee: Ieee, device: HerdsmanDevice, definition: SetStateContext['definition']): SetStateContext {
    return {
      device,
      definition,
      state: this.o.state.of(ieee),
      options: this.o.state.optionsOf(ieee),
      publish: (payload) => this.o.state.publish(ieee, payload),
    };
  }
}
