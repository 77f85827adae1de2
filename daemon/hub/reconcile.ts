// At start, herdsman's own database and ours are compared. herdsman is the authority on what is
// paired (it holds the network's device table); ours holds names, rooms, state and history.
import type { DeviceDescription } from '../domain/events.js';
import type { Logger } from '../ops/logger.js';
import type { Store } from '../store/index.js';

export interface ReconcileResult {
  /** Known to herdsman, missing from our table: imported. */
  imported: string[];
  /** In our table, unknown to herdsman: kept and flagged unavailable, never silently dropped. */
  orphaned: string[];
}

export function reconcileDevices(radioDevices: DeviceDescription[], store: Store, log: Logger): ReconcileResult {
  const ours = new Map(store.devices.list().map((d) => [d.ieee, d]));
  const result: ReconcileResult = { imported: [], orphaned: [] };
  for (const device of radioDevices) {
    const known = ours.get(device.ieee);
    if (!known) {
      store.devices.upsert(device);
      result.imported.push(device.ieee);
    } else if (known.interview !== device.interview || known.model !== device.model || known.nwk !== device.nwk) {
      store.devices.upsert(device);
    }
    ours.delete(device.ieee);
  }
  for (const orphan of ours.values()) {
    if (orphan.leftAt !== undefined) continue;
    store.devices.setAvailability(orphan.ieee, false);
    result.orphaned.push(orphan.ieee);
  }
  if (result.imported.length > 0) log.info('devices imported from the coordinator database', { devices: result.imported });
  if (result.orphaned.length > 0) {
    log.warn('devices in our table that the coordinator does not know (flagged unavailable; pair them again or remove them)', {
      devices: result.orphaned,
    });
  }
  return result;
}
