// Workarounds for zigbee-herdsman behaviour we depend on, each kept small and defensive
// (they reach into private fields, so each checks the shape and does nothing otherwise).

import type { HerdsmanDevice } from './herdsman-types.js';

interface Clearable {
  clear(): void;
}

/**
 * Timers a stopped herdsman 10.9.x controller leaves running; each keeps the process (and a
 * test) alive long after a clean shutdown, and none has work left to do:
 *  - the z-stack adapter debounces a route discovery per end device that announced itself,
 *    with a 60 s timer that stop() does not clear (the debouncer already ran at once; the
 *    timer only re-arms it);
 *  - after the adapter was lost, stop() skips permitJoin(0), which is what clears the
 *    permit-join timer (up to 254 s; it would only emit "permit join closed" to nobody).
 */
export function releaseTimersAfterStop(controller: object): void {
  const c = controller as { permitJoinTimer?: unknown; adapter?: unknown };
  if (c.permitJoinTimer !== undefined) {
    clearTimeout(c.permitJoinTimer as ReturnType<typeof setTimeout>);
    c.permitJoinTimer = undefined;
  }
  const debouncers = (c.adapter as { deviceAnnounceRouteDiscoveryDebouncers?: unknown } | undefined)
    ?.deviceAnnounceRouteDiscoveryDebouncers;
  if (!(debouncers instanceof Map)) return;
  for (const debouncer of debouncers.values()) {
    if (typeof (debouncer as Partial<Clearable>).clear === 'function') (debouncer as Clearable).clear();
  }
  debouncers.clear();
}

const CONTAINED = Symbol('zigbee-hubd.frame-handling-contained');

/**
 * herdsman 10.9.x awaits `Device.onZclData` (default responses, check-ins, time and Basic
 * reads answered for the device) at the end of `Controller.onZclOrRawData`, which the adapter's
 * 'zclPayload' event starts without a catch: anything the device's data makes it throw becomes
 * an unhandled rejection, i.e. a process-wide failure for one device's frame. Wrapping the
 * method on the device object (not the prototype) turns that into a failure of this device,
 * reported to `onFailure`; `onDone` runs after each frame either way. Idempotent; does nothing
 * if herdsman's shape changed.
 */
export function containFrameHandling(device: HerdsmanDevice, onFailure: (error: unknown) => void, onDone: () => void = () => undefined): void {
  const target = device as unknown as Record<PropertyKey, unknown>;
  const original = target.onZclData;
  if (target[CONTAINED] === true || typeof original !== 'function') return;
  target[CONTAINED] = true;
  target.onZclData = async function containedOnZclData(this: unknown, ...args: unknown[]): Promise<void> {
    try {
      await (original as (...a: unknown[]) => Promise<void>).apply(this, args);
    } catch (error) {
      onFailure(error);
    } finally {
      onDone();
    }
  };
}
