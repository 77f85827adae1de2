// Zigbee groups: herdsman's groups and their member endpoints (what the devices were told),
// and group commands through the members' converters, as Zigbee2MQTT sends them: one
// group-addressed frame per converter, which every member endpoint obeys at once. A key is
// accepted when at least one member's definition exposes it as settable; values are checked
// against that member's expose. Members report their new state themselves; meanwhile, as in
// Zigbee2MQTT, each member is given the result optimistically (the group keys its definition
// exposes, named for its endpoint), published like any state so the store and the group's
// derived state follow.
import type { DeviceState, Ieee } from '../domain/events.js';
import { GROUP_STATE_KEYS } from '../domain/group-state-keys.js';
import type { DefinitionCache } from './definition-cache.js';
import { describeError, ZigbeeError } from './errors.js';
import { endpointNamed } from './endpoint-keys.js';
import { exposedProperties, isSettable, valueProblem } from './expose-validation.js';
import type { ConverterDefinition, HerdsmanDevice, HerdsmanEndpoint, HerdsmanGroup } from './herdsman-types.js';
import type { Controller } from 'zigbee-herdsman';

import { MAX_GROUP_ID, MIN_GROUP_ID } from '../domain/group-ids.js';

export { MAX_GROUP_ID, MIN_GROUP_ID };

export interface GroupMember {
  ieee: Ieee;
  endpoint: number;
}

export interface GroupDescription {
  id: number;
  members: GroupMember[];
}

export interface GroupControlOptions {
  controller: () => Controller;
  device: (ieee: Ieee) => HerdsmanDevice;
  definitions: DefinitionCache;
  /** Publishes a member's optimistic state (screened and emitted like a report). */
  publish: (ieee: Ieee, state: DeviceState) => void;
}

/** Which member endpoint a device's state key speaks for: `state_left` -> state on endpoint 2. */
export interface MemberKey {
  baseKey: string;
  endpoint: number;
}

export class GroupControl {
  constructor(private readonly o: GroupControlOptions) {}

  list(): GroupDescription[] {
    return [...this.o.controller().getGroupsIterator()].map(describe).sort((a, b) => a.id - b.id);
  }

  create(id: number): GroupDescription {
    if (!Number.isInteger(id) || id < MIN_GROUP_ID || id > MAX_GROUP_ID) {
      throw new ZigbeeError('invalid_value', `a group id must be a whole number ${MIN_GROUP_ID}..${MAX_GROUP_ID}, got ${id}`);
    }
    const controller = this.o.controller();
    const existing = controller.getGroupByID(id);
    return describe(existing ?? controller.createGroup(id));
  }

  /** Tells every member to leave the group, then forgets it. */
  async remove(id: number): Promise<void> {
    const group = this.o.controller().getGroupByID(id);
    if (!group) return;
    try {
      await group.removeFromNetwork();
    } catch (error) {
      throw new ZigbeeError('device_error', `group ${id}: a member did not confirm leaving it (${describeError(error)})`, { cause: error });
    }
  }

  /** Adds one endpoint of a device (by name, id, or the definition's default) to the group. */
  async addMember(id: number, ieee: Ieee, endpointName?: string): Promise<GroupMember> {
    const group = this.group(id);
    const endpoint = await this.endpointOf(ieee, endpointName);
    try {
      await endpoint.addToGroup(group);
    } catch (error) {
      throw new ZigbeeError('device_error', `${ieee} did not join group ${id}: ${describeError(error)}`, { cause: error });
    }
    return { ieee, endpoint: endpoint.ID };
  }

  async removeMember(id: number, ieee: Ieee, endpointName?: string): Promise<GroupMember> {
    const group = this.group(id);
    const endpoint = await this.endpointOf(ieee, endpointName);
    try {
      await endpoint.removeFromGroup(group);
    } catch (error) {
      throw new ZigbeeError('device_error', `${ieee} did not leave group ${id}: ${describeError(error)}`, { cause: error });
    }
    return { ieee, endpoint: endpoint.ID };
  }

  /** Sets state on every member at once; resolves with what the converters report. */
  async setState(id: number, request: DeviceState, options: Record<string, unknown> = {}): Promise<DeviceState> {
    const group = this.group(id);
    const keys = Object.keys(request);
    if (keys.length === 0) throw new ZigbeeError('invalid_value', 'nothing to set: the state is empty');
    const members = await this.memberDefinitions(group);
    if (members.length === 0) throw new ZigbeeError('invalid_value', `group ${id} has no members`);
    const converters = [...new Set(members.flatMap((m) => m.definition.toZigbee))];
    const used = new Set<unknown>();
    let result: DeviceState = {};
    for (const key of keys) {
      const expose = members.map((m) => exposedProperties(m.definition, m.device).get(key)).find((e) => e && isSettable(e));
      const converter = converters.find((c) => c.convertSet && c.key?.includes(key));
      if (!expose || !converter) throw new ZigbeeError('unsupported_key', `no member of group ${id} can set '${key}'`);
      const problem = valueProblem(key, request[key], expose);
      if (problem) throw new ZigbeeError('invalid_value', `group ${id}: ${problem}`);
      if (used.has(converter)) continue; // one converter may set several keys at once (state + brightness)
      used.add(converter);
      const meta = {
        message: request,
        device: undefined,
        mapped: members.map((m) => m.definition),
        options,
        state: { ...result },
        membersState: {},
        endpoint_name: undefined,
        publish: () => {},
        deviceExposesChanged: () => {},
      };
      try {
        const outcome = await converter.convertSet!(group, key, request[key], meta as never);
        if (outcome && outcome.state) result = { ...result, ...outcome.state };
      } catch (error) {
        throw new ZigbeeError('device_error', `setting '${key}' on group ${id} failed: ${describeError(error)}`, { cause: error });
      }
    }
    for (const member of members) {
      const optimistic = memberState(member, result);
      if (Object.keys(optimistic).length > 0) this.o.publish(member.device.ieeeAddr, optimistic);
    }
    return result;
  }

  /**
   * The member endpoint and plain key a device's state key speaks for, as Zigbee2MQTT reads it:
   * a suffix naming one of the definition's endpoints, else the device's default endpoint.
   * Undefined for a device herdsman or the definition cache does not know (yet).
   */
  memberKey(ieee: Ieee, key: string): MemberKey | undefined {
    const device = this.o.controller().getDeviceByIeeeAddr(ieee);
    const definition = this.o.definitions.get(ieee);
    if (!device || !definition) return undefined;
    const names = definition.endpoint?.(device) ?? {};
    for (const [name, id] of Object.entries(names)) {
      if (name !== 'default' && key.endsWith(`_${name}`)) return { baseKey: key.slice(0, -name.length - 1), endpoint: id };
    }
    const endpoint = names['default'] ?? device.endpoints[0]?.ID;
    return endpoint === undefined ? undefined : { baseKey: key, endpoint };
  }

  private group(id: number): HerdsmanGroup {
    const group = this.o.controller().getGroupByID(id);
    if (!group) throw new ZigbeeError('unknown_device', `no group ${id} in the network`);
    return group;
  }

  /** The id of the endpoint endpointOf picks. */
  async endpointId(ieee: Ieee, endpointName: string | undefined): Promise<number> {
    return (await this.endpointOf(ieee, endpointName)).ID;
  }

  /** A device's endpoint by name, id, or the definition's default (also for scenes and bindings). */
  async endpointOf(ieee: Ieee, endpointName: string | undefined): Promise<HerdsmanEndpoint> {
    const device = this.o.device(ieee);
    const definition = await this.o.definitions.resolve(device);
    if (endpointName !== undefined) {
      const endpoint = definition ? endpointNamed(device, definition, endpointName) : /^\d+$/.test(endpointName) ? device.getEndpoint(Number(endpointName)) : undefined;
      if (!endpoint) throw new ZigbeeError('invalid_value', `${ieee} has no endpoint '${endpointName}'`);
      return endpoint;
    }
    const id = definition?.endpoint?.(device).default;
    const endpoint = (id !== undefined ? device.getEndpoint(id) : undefined) ?? device.endpoints.find((e) => e.supportsInputCluster('genGroups')) ?? device.endpoints[0];
    if (!endpoint) throw new ZigbeeError('device_error', `${ieee} has no endpoints`);
    return endpoint;
  }

  private async memberDefinitions(group: HerdsmanGroup): Promise<Member[]> {
    const out: Member[] = [];
    for (const endpoint of group.members) {
      const device = endpoint.getDevice();
      if (!device) continue;
      const definition = await this.o.definitions.resolve(device);
      if (definition) out.push({ device, definition, endpoint: endpoint.ID });
    }
    return out;
  }
}

interface Member {
  device: HerdsmanDevice;
  definition: ConverterDefinition;
  endpoint: number;
}

/** The group keys of a group command's result this member exposes, named for its endpoint. */
function memberState(member: Member, result: DeviceState): DeviceState {
  const exposes = exposedProperties(member.definition, member.device);
  const names = member.definition.endpoint?.(member.device) ?? {};
  const name = Object.entries(names).find(([n, id]) => id === member.endpoint && n !== 'default')?.[0];
  const state: DeviceState = {};
  for (const key of GROUP_STATE_KEYS) {
    if (!(key in result)) continue;
    const named = name === undefined ? key : `${key}_${name}`;
    if (exposes.has(named) || (key === 'state' && name === undefined)) state[named] = result[key];
  }
  return state;
}

function describe(group: HerdsmanGroup): GroupDescription {
  const members = [...group.members].map((e) => ({ ieee: e.deviceIeeeAddress, endpoint: e.ID }));
  members.sort((a, b) => a.ieee.localeCompare(b.ieee) || a.endpoint - b.endpoint);
  return { id: group.groupID, members };
}
