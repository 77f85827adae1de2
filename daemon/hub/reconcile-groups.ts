// At start, herdsman's groups and ours are compared. herdsman holds what the devices were told
// (which endpoints are members); ours holds the names. A group only herdsman knows is imported
// under a generated name; one only we know is created in herdsman again (empty: its members
// are re-added by a person, as the devices no longer have it); members follow herdsman's.
import type { Logger } from '../ops/logger.js';
import type { Store } from '../store/index.js';
import type { ZigbeeNetwork } from '../zigbee/index.js';

export interface GroupReconcileResult {
  imported: number[];
  recreated: number[];
}

export function reconcileGroups(network: ZigbeeNetwork, store: Store, log: Logger): GroupReconcileResult {
  const result: GroupReconcileResult = { imported: [], recreated: [] };
  const radio = new Map(network.groups.list().map((g) => [g.id, g]));
  for (const ours of store.groups.list()) {
    if (radio.has(ours.id)) continue;
    try {
      network.groups.create(ours.id);
    } catch (error) {
      // One group must not stop the hub from starting: it stays ours, herdsman without it.
      log.warn('group could not be created in the coordinator database', { group: ours.id, error: String(error) });
      continue;
    }
    radio.set(ours.id, { id: ours.id, members: [] });
    result.recreated.push(ours.id);
    log.warn('group missing from the coordinator database: created again, without members', { group: ours.id, name: ours.name, members: ours.members.length });
  }
  for (const group of radio.values()) {
    if (!store.groups.get(group.id)) {
      store.groups.create(group.id, uniqueName(store, `group ${group.id}`));
      result.imported.push(group.id);
      log.info('group known only to the coordinator: imported', { group: group.id, members: group.members.length });
    }
    store.groups.replaceMembers(group.id, group.members, (ieee) => store.devices.has(ieee));
  }
  return result;
}

function uniqueName(store: Store, base: string): string {
  let name = base;
  for (let n = 2; store.groups.get(name); n++) name = `${base} (${n})`;
  return name;
}
