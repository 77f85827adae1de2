// cloud.proto Command <-> domain HubCommand. Decoding is also validation: the platform may
// send anything, and a command the gateway cannot understand must produce a clear error
// result rather than reach the radio.
import { createHash } from 'node:crypto';
import { labelProblem, normalizeIeee } from '../domain/device-names.js';
import type { HubCommand } from '../domain/events.js';
import { MAX_GROUP_ID, MIN_GROUP_ID } from '../domain/group-ids.js';
import { decodeBindingCommand, encodeBindingCommand } from './binding-codec.js';
import { decodeSceneCommand, encodeSceneCommand } from './scene-codec.js';
import { fromStruct, toStruct } from './struct-codec.js';
import type { WireCommand } from './wire.js';

export type DecodedCommand =
  | { ok: true; command: HubCommand }
  /** id is '' when the command had none. */
  | { ok: false; id: string; error: string };

const MAX_ID_LENGTH = 128;
const MAX_STATE_KEYS = 64;
const MAX_STATE_DEPTH = 4;
const MAX_READ_KEYS = 64;
const MAX_KEY_LENGTH = 128;
/** Zigbee's permit-join window is 0..254 s (255 meant "forever" and is deprecated). */
const MAX_PERMIT_JOIN_SECONDS = 254;

function invalid(id: string, reason: string): DecodedCommand {
  return { ok: false, id, error: `invalid: ${reason}` };
}

/**
 * The command_id a result carries for a command with this id: the id itself, or for an id over
 * MAX_ID_LENGTH characters "sha256:" + the hex SHA-256 of its UTF-8 bytes (see cloud.proto),
 * so the platform can match even that answer while results stay small.
 */
export function resultIdFor(id: string): string {
  if (id.length <= MAX_ID_LENGTH) return id;
  return `sha256:${createHash('sha256').update(id, 'utf8').digest('hex')}`;
}

export function decodeCommand(wire: WireCommand): DecodedCommand {
  const id = typeof wire.id === 'string' ? wire.id : '';
  if (wire.undecodable !== undefined) return invalid(resultIdFor(id), wire.undecodable);
  if (id === '') return invalid('', 'missing command id');
  if (id.length > MAX_ID_LENGTH) {
    return invalid(resultIdFor(id), `command id of ${id.length} characters is longer than ${MAX_ID_LENGTH} (command_id is its sha256)`);
  }
  const expires = wire.expires_at_ms ?? 0;
  if (!Number.isSafeInteger(expires) || expires < 0) {
    return invalid(id, `expires_at_ms must be 0 (no expiry) or milliseconds since the Unix epoch, got ${expires}`);
  }
  const expiresAt = expires > 0 ? { expiresAt: expires } : {};

  if (wire.set_state) {
    const ieee = normalizeIeee(wire.set_state.ieee);
    if (!ieee) return invalid(id, 'set_state needs ieee as 0x + 16 hex digits');
    const state = fromStruct(wire.set_state.state);
    const problem = stateProblem(state, 1);
    if (problem) return invalid(id, `set_state ${problem}`);
    return { ok: true, command: { kind: 'set_state', id, ieee, state, ...expiresAt } };
  }
  if (wire.permit_join) {
    const seconds = wire.permit_join.seconds ?? 0;
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_PERMIT_JOIN_SECONDS) {
      return invalid(id, `permit_join seconds must be 0..${MAX_PERMIT_JOIN_SECONDS}`);
    }
    const viaText = wire.permit_join.via ?? '';
    if (viaText === '') return { ok: true, command: { kind: 'permit_join', id, seconds, ...expiresAt } };
    const via = normalizeIeee(viaText);
    if (!via) return invalid(id, `permit_join via must be a router's ieee as 0x + 16 hex digits, got ${JSON.stringify(viaText.slice(0, 64))}`);
    return { ok: true, command: { kind: 'permit_join', id, seconds, via, ...expiresAt } };
  }
  if (wire.remove_device) {
    const ieee = normalizeIeee(wire.remove_device.ieee);
    if (!ieee) return invalid(id, 'remove_device needs ieee as 0x + 16 hex digits');
    return { ok: true, command: { kind: 'remove_device', id, ieee, force: !!wire.remove_device.force, ...expiresAt } };
  }
  if (wire.rename_device) {
    const ieee = normalizeIeee(wire.rename_device.ieee);
    if (!ieee) return invalid(id, 'rename_device needs ieee as 0x + 16 hex digits');
    const problem = labelProblem(wire.rename_device.name);
    if (problem) return invalid(id, `rename_device name ${problem}`);
    return { ok: true, command: { kind: 'rename_device', id, ieee, name: wire.rename_device.name!.trim(), ...expiresAt } };
  }
  if (wire.set_room) {
    const ieee = normalizeIeee(wire.set_room.ieee);
    if (!ieee) return invalid(id, 'set_room needs ieee as 0x + 16 hex digits');
    const room = wire.set_room.room;
    if (room === undefined) return { ok: true, command: { kind: 'set_room', id, ieee, room: null, ...expiresAt } };
    const problem = labelProblem(room);
    if (problem) return invalid(id, `set_room room ${problem} (leave room out to take the device out of its room)`);
    return { ok: true, command: { kind: 'set_room', id, ieee, room: room.trim(), ...expiresAt } };
  }
  if (wire.reinterview_device) {
    const ieee = normalizeIeee(wire.reinterview_device.ieee);
    if (!ieee) return invalid(id, 'reinterview_device needs ieee as 0x + 16 hex digits');
    return { ok: true, command: { kind: 'reinterview_device', id, ieee, ...expiresAt } };
  }
  if (wire.set_device_options) {
    const ieee = normalizeIeee(wire.set_device_options.ieee);
    if (!ieee) return invalid(id, 'set_device_options needs ieee as 0x + 16 hex digits');
    const options = fromStruct(wire.set_device_options.options);
    if (Object.keys(options).length === 0) return invalid(id, 'set_device_options needs at least one option');
    // null removes an option; any other value is checked like state.
    const problem = stateProblem(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== null)), 2);
    if (problem) return invalid(id, `set_device_options ${problem.replace(/^state/, 'options')}`);
    return { ok: true, command: { kind: 'set_options', id, ieee, options, ...expiresAt } };
  }
  if (wire.reconfigure_device) {
    const ieee = normalizeIeee(wire.reconfigure_device.ieee);
    if (!ieee) return invalid(id, 'reconfigure_device needs ieee as 0x + 16 hex digits');
    return { ok: true, command: { kind: 'reconfigure_device', id, ieee, ...expiresAt } };
  }
  if (wire.request_snapshot) return { ok: true, command: { kind: 'request_snapshot', id, ...expiresAt } };
  if (wire.read_state) {
    const ieee = normalizeIeee(wire.read_state.ieee);
    if (!ieee) return invalid(id, 'read_state needs ieee as 0x + 16 hex digits');
    const keys = wire.read_state.keys ?? [];
    if (keys.length === 0 || keys.length > MAX_READ_KEYS) return invalid(id, `read_state needs 1..${MAX_READ_KEYS} keys, got ${keys.length}`);
    const bad = keys.find((key) => typeof key !== 'string' || key === '' || key.length > MAX_KEY_LENGTH);
    if (bad !== undefined) return invalid(id, `read_state key ${JSON.stringify(bad)} must be 1..${MAX_KEY_LENGTH} characters`);
    return { ok: true, command: { kind: 'read_state', id, ieee, keys: [...new Set(keys)], ...expiresAt } };
  }
  const group = decodeGroupCommand(wire, id, expiresAt);
  if (group) return group;
  const scene = decodeSceneCommand(wire, id, expiresAt);
  if (scene) return scene.ok ? scene : invalid(id, scene.problem);
  const binding = decodeBindingCommand(wire, id, expiresAt);
  if (binding) return binding.ok ? binding : invalid(id, binding.problem);
  return invalid(id, 'unknown or missing command kind');
}

/** Zigbee groups are named by their id on the cloud link (1..65527); undefined for no group action. */
function decodeGroupCommand(wire: WireCommand, id: string, expiresAt: { expiresAt?: number }): DecodedCommand | undefined {
  const groupId = (action: string, value: number | undefined): number | string => {
    const n = value ?? 0;
    return Number.isInteger(n) && n >= MIN_GROUP_ID && n <= MAX_GROUP_ID ? n : `${action} needs group_id ${MIN_GROUP_ID}..${MAX_GROUP_ID}, got ${n}`;
  };
  if (wire.create_group) {
    const problem = labelProblem(wire.create_group.name);
    if (problem) return invalid(id, `create_group name ${problem}`);
    const wanted = wire.create_group.group_id ?? 0;
    const chosen = wanted === 0 ? undefined : groupId('create_group', wanted);
    if (typeof chosen === 'string') return invalid(id, `${chosen} (or 0 for the lowest free id)`);
    const name = wire.create_group.name!.trim();
    return { ok: true, command: { kind: 'create_group', id, name, ...(chosen !== undefined ? { groupId: chosen } : {}), ...expiresAt } };
  }
  if (wire.delete_group) {
    const group = groupId('delete_group', wire.delete_group.group_id);
    if (typeof group === 'string') return invalid(id, group);
    return { ok: true, command: { kind: 'delete_group', id, group, ...expiresAt } };
  }
  if (wire.rename_group) {
    const group = groupId('rename_group', wire.rename_group.group_id);
    if (typeof group === 'string') return invalid(id, group);
    const problem = labelProblem(wire.rename_group.name);
    if (problem) return invalid(id, `rename_group name ${problem}`);
    return { ok: true, command: { kind: 'rename_group', id, group, name: wire.rename_group.name!.trim(), ...expiresAt } };
  }
  if (wire.change_group_member) {
    const { group_id, ieee: rawIeee, endpoint, remove } = wire.change_group_member;
    const group = groupId('change_group_member', group_id);
    if (typeof group === 'string') return invalid(id, group);
    const ieee = normalizeIeee(rawIeee);
    if (!ieee) return invalid(id, 'change_group_member needs ieee as 0x + 16 hex digits');
    if (endpoint !== undefined && (endpoint.length > MAX_KEY_LENGTH || !/^[A-Za-z0-9_]*$/.test(endpoint))) {
      return invalid(id, `change_group_member endpoint ${JSON.stringify(endpoint.slice(0, 64))} must be an endpoint name or id (letters, digits, _)`);
    }
    const kind = remove ? 'remove_group_member' : 'add_group_member';
    return { ok: true, command: { kind, id, group, ieee, ...(endpoint ? { endpoint } : {}), ...expiresAt } };
  }
  if (wire.set_group_state) {
    const group = groupId('set_group_state', wire.set_group_state.group_id);
    if (typeof group === 'string') return invalid(id, group);
    const state = fromStruct(wire.set_group_state.state);
    const problem = stateProblem(state, 1);
    if (problem) return invalid(id, `set_group_state ${problem}`);
    return { ok: true, command: { kind: 'set_group_state', id, group, state, ...expiresAt } };
  }
  return undefined;
}

/** The cloud names a group by its id; a name (from the LAN) cannot be encoded and is refused. */
function wireGroupId(group: number | string): number {
  if (typeof group !== 'number') throw new Error(`the cloud link names groups by id, not ${JSON.stringify(group)}`);
  return group;
}

/** What is wrong with a state to set, or undefined when it is usable. */
function stateProblem(state: Record<string, unknown>, depth: number): string | undefined {
  const entries = Object.entries(state);
  if (depth === 1 && entries.length === 0) return 'needs a non-empty state';
  if (entries.length > MAX_STATE_KEYS) return `state has more than ${MAX_STATE_KEYS} keys`;
  if (depth > MAX_STATE_DEPTH) return `state nested deeper than ${MAX_STATE_DEPTH}`;
  for (const [key, value] of entries) {
    if (key === '') return 'state has an empty key';
    if (typeof value === 'boolean' || typeof value === 'string') continue;
    // Inside an object value null is a value converters take, as Zigbee2MQTT passes it on
    // (a Yale lock's PIN is cleared with pin_code: {user: 1, pin_code: null}); the device's
    // exposes decide the rest. At the top it would mean "no value" for a key, which nothing sets.
    if (value === null && depth > 1) continue;
    if (value === null) return `state.${key} must be a boolean, number, string or object (null only inside one)`;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return `state.${key} is not a finite number`;
      continue;
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const nested = stateProblem(value as Record<string, unknown>, depth + 1);
      if (nested) return nested;
      continue;
    }
    return `state.${key} must be a boolean, number, string or object`;
  }
  return undefined;
}

/** For the platform side (reference cloud, tests). */
export function encodeCommand(command: HubCommand): WireCommand {
  const wire: WireCommand = { id: command.id, expires_at_ms: command.expiresAt ?? 0 };
  switch (command.kind) {
    case 'set_state':
      wire.set_state = { ieee: command.ieee, state: toStruct(command.state) };
      break;
    case 'permit_join':
      wire.permit_join = { seconds: command.seconds, ...(command.via !== undefined ? { via: command.via } : {}) };
      break;
    case 'remove_device':
      wire.remove_device = { ieee: command.ieee, force: !!command.force };
      break;
    case 'rename_device':
      wire.rename_device = { ieee: command.ieee, name: command.name };
      break;
    case 'set_room':
      wire.set_room = command.room === null ? { ieee: command.ieee } : { ieee: command.ieee, room: command.room };
      break;
    case 'reinterview_device':
      wire.reinterview_device = { ieee: command.ieee };
      break;
    case 'reconfigure_device':
      wire.reconfigure_device = { ieee: command.ieee };
      break;
    case 'set_options':
      wire.set_device_options = { ieee: command.ieee, options: toStruct(command.options) };
      break;
    case 'request_snapshot':
      wire.request_snapshot = {};
      break;
    case 'read_state':
      wire.read_state = { ieee: command.ieee, keys: command.keys };
      break;
    case 'create_group':
      wire.create_group = { name: command.name, group_id: command.groupId ?? 0 };
      break;
    case 'delete_group':
      wire.delete_group = { group_id: wireGroupId(command.group) };
      break;
    case 'rename_group':
      wire.rename_group = { group_id: wireGroupId(command.group), name: command.name };
      break;
    case 'add_group_member':
    case 'remove_group_member':
      wire.change_group_member = {
        group_id: wireGroupId(command.group),
        ieee: command.ieee,
        ...(command.endpoint !== undefined ? { endpoint: command.endpoint } : {}),
        remove: command.kind === 'remove_group_member',
      };
      break;
    case 'set_group_state':
      wire.set_group_state = { group_id: wireGroupId(command.group), state: toStruct(command.state) };
      break;
    case 'store_scene':
    case 'recall_scene':
    case 'remove_scene':
      encodeSceneCommand(command, wire);
      break;
    case 'bind':
    case 'configure_reporting':
      encodeBindingCommand(command, wire);
      break;
  }
  return wire;
}
