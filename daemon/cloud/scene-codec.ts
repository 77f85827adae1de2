// cloud.proto StoreScene / UseScene <-> the domain's scene commands. A scene's target is a
// group (group_id) or one endpoint of a device (ieee, endpoint), exactly one of them.
import { labelProblem, normalizeIeee } from '../domain/device-names.js';
import type { HubCommand, SceneCommand, SceneTarget } from '../domain/events.js';
import { MAX_GROUP_ID, MIN_GROUP_ID } from '../domain/group-ids.js';
import type { WireCommand } from './wire.js';

const MAX_SCENE_ID = 255;
const ENDPOINT_PATTERN = /^[A-Za-z0-9_]{1,32}$/;

interface WireSceneTarget {
  group_id?: number;
  ieee?: string;
  endpoint?: string;
  scene_id?: number;
}

type Decoded = { ok: true; command: HubCommand } | { ok: false; problem: string };

/** undefined when the command is no scene command. */
export function decodeSceneCommand(wire: WireCommand, id: string, expiresAt: { expiresAt?: number }): Decoded | undefined {
  if (wire.store_scene) {
    const target = targetOf('store_scene', wire.store_scene);
    if (typeof target === 'string') return { ok: false, problem: target };
    const problem = labelProblem(wire.store_scene.name);
    if (problem) return { ok: false, problem: `store_scene name ${problem}` };
    const command: SceneCommand = { kind: 'store_scene', id, target: target.target, sceneId: target.sceneId, name: wire.store_scene.name!.trim(), ...expiresAt };
    return { ok: true, command };
  }
  if (wire.use_scene) {
    const target = targetOf('use_scene', wire.use_scene);
    if (typeof target === 'string') return { ok: false, problem: target };
    const kind = wire.use_scene.remove ? 'remove_scene' : 'recall_scene';
    return { ok: true, command: { kind, id, target: target.target, scene: target.sceneId, ...expiresAt } };
  }
  return undefined;
}

function targetOf(action: string, wire: WireSceneTarget): { target: SceneTarget; sceneId: number } | string {
  const sceneId = wire.scene_id ?? 0;
  if (!Number.isInteger(sceneId) || sceneId < 0 || sceneId > MAX_SCENE_ID) return `${action} scene_id must be 0..${MAX_SCENE_ID}, got ${sceneId}`;
  const groupId = wire.group_id ?? 0;
  const hasDevice = (wire.ieee ?? '') !== '';
  if ((groupId !== 0) === hasDevice) return `${action} needs either group_id or ieee (exactly one)`;
  if (groupId !== 0) {
    if (!Number.isInteger(groupId) || groupId < MIN_GROUP_ID || groupId > MAX_GROUP_ID) return `${action} needs group_id ${MIN_GROUP_ID}..${MAX_GROUP_ID}, got ${groupId}`;
    if (wire.endpoint) return `${action} endpoint is for a device target, not a group`;
    return { target: { group: groupId }, sceneId };
  }
  const ieee = normalizeIeee(wire.ieee);
  if (!ieee) return `${action} needs ieee as 0x + 16 hex digits`;
  const endpoint = wire.endpoint ?? '';
  if (endpoint !== '' && !ENDPOINT_PATTERN.test(endpoint)) return `${action} endpoint ${JSON.stringify(endpoint.slice(0, 64))} must be an endpoint name or id (letters, digits, _)`;
  return { target: { ieee, ...(endpoint !== '' ? { endpoint } : {}) }, sceneId };
}

/** For the platform side (reference cloud, tests); a scene named by name or a group by name cannot be sent. */
export function encodeSceneCommand(command: SceneCommand, wire: WireCommand): void {
  const target = wireTarget(command.target);
  if (command.kind === 'store_scene') {
    wire.store_scene = { ...target, scene_id: command.sceneId, name: command.name };
    return;
  }
  if (typeof command.scene !== 'number') throw new Error(`the cloud link names scenes by id, not ${JSON.stringify(command.scene)}`);
  wire.use_scene = { ...target, scene_id: command.scene, remove: command.kind === 'remove_scene' };
}

function wireTarget(target: SceneTarget): { group_id?: number; ieee?: string; endpoint?: string } {
  if ('group' in target) {
    if (typeof target.group !== 'number') throw new Error(`the cloud link names groups by id, not ${JSON.stringify(target.group)}`);
    return { group_id: target.group };
  }
  return { ieee: target.ieee, ...(target.endpoint !== undefined ? { endpoint: target.endpoint } : {}) };
}
