// A group's state, derived from its members as Zigbee2MQTT's groups extension does: when a
// member endpoint's state changes, each group holding that endpoint takes the changed group
// keys (state, brightness, color_temp, color, color_mode; last report wins), except that
// "OFF" is taken only once no member endpoint is still "ON" (Zigbee2MQTT's default off_state,
// all_members_off). A group command's result is the group's state at once. The one writer of
// the group_state table.
import type { DeviceState, Ieee } from '../domain/events.js';
import { isGroupStateKey } from '../domain/group-state-keys.js';
import type { Store } from '../store/index.js';
import type { MemberKey } from '../zigbee/index.js';

export interface GroupStateFollowerDeps {
  store: Pick<Store, 'groups' | 'groupState' | 'state'>;
  /** The member endpoint and plain key a device's state key speaks for (the zigbee edge knows endpoint names). */
  memberKey: (ieee: Ieee, key: string) => MemberKey | undefined;
}

export class GroupStateFollower {
  constructor(private readonly deps: GroupStateFollowerDeps) {}

  /** A member device's state changed (only the changed keys, as stored). */
  memberChanged(ieee: Ieee, changed: DeviceState): void {
    const memberships = this.deps.store.groups.ofDevice(ieee);
    if (memberships.length === 0) return;
    const byEndpoint = new Map<number, DeviceState>();
    for (const [key, value] of Object.entries(changed)) {
      const resolved = this.deps.memberKey(ieee, key);
      if (!resolved || !isGroupStateKey(resolved.baseKey)) continue;
      const update = byEndpoint.get(resolved.endpoint) ?? {};
      update[resolved.baseKey] = value;
      byEndpoint.set(resolved.endpoint, update);
    }
    for (const { groupId, endpoint } of memberships) {
      const update = byEndpoint.get(endpoint);
      if (!update) continue;
      // Zigbee2MQTT publishes nothing for the group then (not even the brightness of that report).
      if (update['state'] === 'OFF' && this.anyMemberOn(groupId)) continue;
      this.deps.store.groupState.apply(groupId, update);
    }
  }

  /** A group command succeeded: its result (the group keys of it) is the group's state. */
  commanded(groupId: number, result: DeviceState): void {
    const update = Object.fromEntries(Object.entries(result).filter(([key]) => isGroupStateKey(key)));
    if (Object.keys(update).length > 0) this.deps.store.groupState.apply(groupId, update);
  }

  private anyMemberOn(groupId: number): boolean {
    const group = this.deps.store.groups.get(groupId);
    for (const member of group?.members ?? []) {
      const state = this.deps.store.state.get(member.ieee) ?? {};
      for (const [key, value] of Object.entries(state)) {
        if (value !== 'ON') continue;
        const resolved = this.deps.memberKey(member.ieee, key);
        if (resolved?.baseKey === 'state' && resolved.endpoint === member.endpoint) return true;
      }
    }
    return false;
  }
}
