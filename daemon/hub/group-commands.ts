// Group commands: the radio first (herdsman's group, the member told), then our table, so the
// table never claims a membership a device was not told about.
import { labelProblem } from '../domain/device-names.js';
import type { GroupCommand } from '../domain/events.js';
import type { CommandExecution } from '../cloud/index.js';
import type { GroupStateFollower } from './group-state.js';
import type { GroupRecord, Store } from '../store/index.js';
import { MAX_GROUP_ID, MIN_GROUP_ID, type ZigbeeNetwork } from '../zigbee/index.js';

export async function executeGroupCommand(command: GroupCommand, network: ZigbeeNetwork, store: Store, groupState: GroupStateFollower): Promise<CommandExecution> {
  if (command.kind === 'create_group') {
    const problem = labelProblem(command.name);
    if (problem) return { ok: false, error: `group name ${problem}`, failure: 'invalid' };
    const name = command.name.trim();
    const taken = store.groups.get(name);
    if (taken) return { ok: false, error: `group name "${name}" is already used by group ${taken.id}`, failure: 'invalid' };
    const id = command.groupId ?? freeGroupId(network, store);
    if (id === undefined) return { ok: false, error: 'no free group id left', failure: 'invalid' };
    if (store.groups.get(id)) return { ok: false, error: `group ${id} exists already`, failure: 'invalid' };
    network.groups.create(id);
    store.groups.create(id, name);
    return { ok: true, state: { group_id: id } };
  }
  const group = store.groups.get(command.group);
  if (!group) return { ok: false, error: `unknown group ${JSON.stringify(command.group)}`, failure: 'invalid' };
  switch (command.kind) {
    case 'delete_group':
      await network.groups.remove(group.id);
      store.groups.remove(group.id);
      return { ok: true };
    case 'rename_group': {
      const problem = labelProblem(command.name);
      if (problem) return { ok: false, error: `group name ${problem}`, failure: 'invalid' };
      // StoreError name_taken names the group holding it: passed on as the error.
      store.groups.rename(group.id, command.name.trim());
      return { ok: true };
    }
    case 'add_group_member':
    case 'remove_group_member': {
      const device = store.devices.get(command.ieee) ?? store.devices.getByName(command.ieee);
      if (!device) return { ok: false, error: `unknown device ${JSON.stringify(command.ieee)}`, failure: 'unknown_device' };
      if (command.kind === 'add_group_member') {
        const member = await network.groups.addMember(group.id, device.ieee, command.endpoint);
        store.groups.addMember(group.id, member.ieee, member.endpoint);
      } else {
        const member = await network.groups.removeMember(group.id, device.ieee, command.endpoint);
        store.groups.removeMember(group.id, member.ieee, member.endpoint);
      }
      return { ok: true, state: { members: membersOf(store.groups.get(group.id)) } };
    }
    case 'set_group_state': {
      // The members' optimistic state was published (and their groups followed) meanwhile.
      const state = await network.groups.setState(group.id, command.state);
      groupState.commanded(group.id, state);
      return { ok: true, state };
    }
  }
}

function membersOf(group: GroupRecord | undefined): string[] {
  return (group?.members ?? []).map((m) => `${m.ieee}/${m.endpoint}`);
}

function freeGroupId(network: ZigbeeNetwork, store: Store): number | undefined {
  const used = new Set([...network.groups.list().map((g) => g.id), ...store.groups.list().map((g) => g.id)]);
  for (let id = MIN_GROUP_ID; id <= MAX_GROUP_ID; id++) if (!used.has(id)) return id;
  return undefined;
}
