// Scene commands: the devices first (they hold the scene), then our table, so the table never
// names a scene a device did not confirm (a group's members do not answer a group cast: there
// the hub records what it sent). The state stored with a scene is what the hub knew of the
// target's group keys (state, brightness, colour) then, given back to the devices on recall
// as Zigbee2MQTT does; the devices report their real state themselves.
import { labelProblem } from '../domain/device-names.js';
import type { DeviceState, Ieee, SceneCommand, SceneTarget } from '../domain/events.js';
import { isGroupStateKey } from '../domain/group-state-keys.js';
import type { CommandExecution } from '../cloud/index.js';
import type { SceneRecord, SceneTargetRef, Store } from '../store/index.js';
import type { ZigbeeNetwork } from '../zigbee/index.js';

type Resolved = { ok: true; wire: { group: number } | { ieee: Ieee; endpoint?: string }; ref?: SceneTargetRef; label: string } | { ok: false; result: CommandExecution };

export async function executeSceneCommand(command: SceneCommand, network: ZigbeeNetwork, store: Store): Promise<CommandExecution> {
  const target = resolveTarget(command.target, store);
  if (!target.ok) return target.result;
  if (command.kind === 'store_scene') {
    const problem = labelProblem(command.name);
    if (problem) return { ok: false, error: `scene name ${problem}`, failure: 'invalid' };
    const name = command.name.trim();
    const stored = await network.scenes.store(target.wire, command.sceneId);
    const ref: SceneTargetRef = target.ref ?? { ieee: (target.wire as { ieee: Ieee }).ieee, endpoint: stored.endpoint! };
    const scene: SceneRecord = { target: ref, sceneId: command.sceneId, name, state: capturedState(ref, store, network) };
    store.scenes.put(scene);
    return { ok: true, state: describe(scene) };
  }
  const ref = target.ref ?? (await deviceRef(target.wire as { ieee: Ieee; endpoint?: string }, network));
  const scene = store.scenes.get(ref, command.scene);
  if (!scene) return { ok: false, error: `no scene ${JSON.stringify(command.scene)} on ${target.label}`, failure: 'invalid' };
  if (command.kind === 'recall_scene') {
    await network.scenes.recall(target.wire, scene.sceneId, scene.state);
    return { ok: true, state: describe(scene) };
  }
  await network.scenes.remove(target.wire, scene.sceneId);
  store.scenes.remove(ref, scene.sceneId);
  return { ok: true };
}

function resolveTarget(target: SceneTarget, store: Store): Resolved {
  if ('group' in target) {
    const group = store.groups.get(target.group);
    if (!group) return { ok: false, result: { ok: false, error: `unknown group ${JSON.stringify(target.group)}`, failure: 'invalid' } };
    return { ok: true, wire: { group: group.id }, ref: { groupId: group.id }, label: `group ${group.id}` };
  }
  const device = store.devices.get(target.ieee) ?? store.devices.getByName(target.ieee);
  if (!device) return { ok: false, result: { ok: false, error: `unknown device ${JSON.stringify(target.ieee)}`, failure: 'unknown_device' } };
  if (device.leftAt !== undefined) return { ok: false, result: { ok: false, error: `device ${device.ieee} has left the network: pair it again to control it`, failure: 'left_network' } };
  return { ok: true, wire: { ieee: device.ieee, ...(target.endpoint !== undefined ? { endpoint: target.endpoint } : {}) }, label: device.ieee };
}

/** The endpoint id a device target names (for looking up its scenes). */
async function deviceRef(target: { ieee: Ieee; endpoint?: string }, network: ZigbeeNetwork): Promise<SceneTargetRef> {
  return { ieee: target.ieee, endpoint: await network.groups.endpointId(target.ieee, target.endpoint) };
}

/**
 * What a recall restores, per device: the group keys (state, brightness, colour) of the
 * endpoints the scene covers (a rocker's left relay alone: state_left, not state_right), as the
 * hub knows them now.
 */
function capturedState(ref: SceneTargetRef, store: Store, network: ZigbeeNetwork): Record<Ieee, DeviceState> {
  const endpoints = 'groupId' in ref ? (store.groups.get(ref.groupId)?.members ?? []) : [ref];
  const captured: Record<Ieee, DeviceState> = {};
  for (const { ieee, endpoint } of endpoints) {
    const state = store.state.get(ieee) ?? {};
    for (const [key, value] of Object.entries(state)) {
      const member = network.groups.memberKey(ieee, key);
      if (!member || member.endpoint !== endpoint || !isGroupStateKey(member.baseKey)) continue;
      captured[ieee] = { ...captured[ieee], [key]: value };
    }
  }
  return captured;
}

function describe(scene: SceneRecord): DeviceState {
  const target = 'groupId' in scene.target ? { group_id: scene.target.groupId } : { ieee: scene.target.ieee, endpoint: scene.target.endpoint };
  return { scene_id: scene.sceneId, name: scene.name, ...target };
}
