// Removing a device from the network: a leave request it confirms, or, forced, forgetting a
// device that is gone without asking it. Either way everything the network kept for it is
// dropped and one `device_left` says so (the device's own leave indication during our request
// is not a second one: the translator's whileRemoving).
import type { Ieee } from '../domain/events.js';
import type { DeviceLookup } from './device-lookup.js';
import { describeError, ZigbeeError } from './errors.js';
import type { HerdsmanEventTranslator } from './herdsman-event-translator.js';
import type { RemoveOptions, ZigbeeLogger, ZigbeeNetworkEvents } from './types.js';

export interface DeviceRemovalOptions {
  lookup: DeviceLookup;
  /** Set while the network runs. */
  translator: () => HerdsmanEventTranslator | undefined;
  log: ZigbeeLogger;
  emit: (kind: 'device_left', payload: ZigbeeNetworkEvents['device_left']) => void;
}

export class DeviceRemoval {
  constructor(private readonly o: DeviceRemovalOptions) {}

  async remove(ieee: Ieee, options: RemoveOptions): Promise<void> {
    const device = this.o.lookup.device(ieee);
    if (options.force) {
      device.removeFromDatabase();
    } else {
      const controller = this.o.lookup.started();
      const translator = this.o.translator()!;
      try {
        await translator.whileRemoving(ieee, () => device.removeFromNetwork());
      } catch (error) {
        // The answer may be lost although the device did leave (herdsman saw its leave
        // indication and forgot it): that is a removal, not an error.
        if (controller.getDeviceByIeeeAddr(ieee)) {
          throw new ZigbeeError('device_error', `${ieee} did not confirm the leave request (${describeError(error)}); remove it with force if it is gone`, { cause: error });
        }
      }
    }
    this.o.translator()?.forgetDevice(ieee);
    this.o.log.info('device removed', { ieee, force: options.force === true });
    this.o.emit('device_left', { ieee, reason: options.force ? 'force_removed' : 'removed' });
  }
}
