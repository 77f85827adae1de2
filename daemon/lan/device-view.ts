// A device as the LAN API shows it: the store's record, its latest state and what its
// definition exposes. Transport-neutral plain data; the gRPC codec turns it into messages.
import type { DeviceState } from '../domain/events.js';
import type { DeviceRecord } from '../store/index.js';
import type { ExposeDescription } from '../zigbee/index.js';

export interface LanDevice {
  record: DeviceRecord;
  state: DeviceState;
  exposes: ExposeDescription[];
}

/** Exposes by ieee: empty for a device whose definition is not known (or the coordinator is down). */
export type ExposeLookup = (ieee: string) => Promise<ExposeDescription[]>;

export async function viewDevice(record: DeviceRecord, state: DeviceState | undefined, exposes: ExposeLookup): Promise<LanDevice> {
  let list: ExposeDescription[] = [];
  if (record.leftAt === undefined) {
    try {
      list = await exposes(record.ieee);
    } catch {
      // Interviewing, unknown to herdsman, coordinator down: the device is still worth listing.
    }
  }
  return { record, state: state ?? {}, exposes: list };
}
