// Forwards lifecycle events to the converters (their generic handler and the device's
// definition), which use them for device quirks such as custom read responses. A quirk
// that throws is logged; it must not break the network.
import * as zhc from 'zigbee-herdsman-converters';
import { describeError } from './errors.js';
import type { ConverterDefinition, HerdsmanDevice } from './herdsman-types.js';
import type { ZigbeeLogger } from './types.js';

export type LifecycleEvent = 'start' | 'deviceJoined' | 'deviceAnnounce' | 'deviceNetworkAddressChanged';

export async function notifyConverters(
  type: LifecycleEvent | { interview: 'started' | 'successful' | 'failed' },
  device: HerdsmanDevice,
  definition: ConverterDefinition | undefined,
  context: { state: Record<string, unknown>; options: Record<string, unknown>; log: ZigbeeLogger },
): Promise<void> {
  const data = { device, deviceExposesChanged: () => {}, state: context.state, options: context.options };
  const event: zhc.OnEvent.Event =
    typeof type === 'string'
      ? { type, data }
      : { type: 'deviceInterview', data: { ...data, status: type.interview } };
  try {
    await zhc.onEvent(event);
    await definition?.onEvent?.(event);
  } catch (error) {
    context.log.warn('converter event handler failed', { ieee: device.ieeeAddr, event: event.type, error: describeError(error) });
  }
}

/** Tells the device's definition that we stop (it clears its timers). */
export async function notifyConvertersStop(ieee: string, definition: ConverterDefinition | undefined, log: ZigbeeLogger): Promise<void> {
  try {
    await definition?.onEvent?.({ type: 'stop', data: { ieeeAddr: ieee } });
  } catch (error) {
    log.warn('converter stop handler failed', { ieee, error: describeError(error) });
  }
}
