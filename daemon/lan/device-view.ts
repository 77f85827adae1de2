// A device as the LAN API shows it: the store's record, its latest state and what its
// definition exposes. Transport-neutral plain data; the gRPC codec turns it into messages.
import type { DeviceState } from '../domain/events.js';
import type { DeviceRecord } from '../store/index.js';
import type { BindingDescription, ExposeDescription, ReportingDescription } from '../zigbee/index.js';

export interface LanDevice {
  record: DeviceRecord;
  state: DeviceState;
  exposes: ExposeDescription[];
}

/** Exposes by ieee: empty for a device whose definition is not known (or the coordinator is down). */
export type ExposeLookup = (ieee: string) => Promise<ExposeDescription[]>;

/** A device's bindings and reporting configuration, as the zigbee edge lists them. */
export interface DeviceBindings {
  bindings: BindingDescription[];
  reporting: ReportingDescription[];
}

export type BindingLookup = (ieee: string) => DeviceBindings;

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
