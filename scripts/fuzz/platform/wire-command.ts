// Builds the wire command a case describes, against the running environment's devices.
import { toStruct } from '../../../daemon/cloud/struct-codec.js';
import type { WireCommand, WireStruct } from '../../../daemon/cloud/wire.js';
import type { Devices } from '../environment.js';
import type { ActionSpec, DeviceRef, Expiry, IdSpec, StateSpec } from './cases.js';

/** A device that is never on the network. */
const UNKNOWN_IEEE = '0x00124b00fffffffe';

let counter = 0;

/** Unique per run (a gateway runs an id once), of exactly the case's length in code points. */
export function commandId(spec: IdSpec): string {
  if (spec.length === 0) return '';
  const prefix = `fz${++counter}-${Date.now().toString(36)}-`;
  const chars = Array.from(prefix + spec.fill.repeat(Math.ceil(spec.length / Math.max(1, Array.from(spec.fill).length)) + 1));
  return chars.slice(0, spec.length).join('');
}

export function expiresAtMs(expiry: Expiry, now = Date.now()): number {
  switch (expiry) {
    case 'none':
      return 0;
    case 'future':
      return now + 10 * 60_000;
    case 'past':
      return now - 1000;
    case 'negative':
      return -1;
    case 'far-negative':
      return Number.MIN_SAFE_INTEGER;
    case 'max':
      return Number.MAX_SAFE_INTEGER;
  }
}

export function ieeeOf(ref: DeviceRef, devices: Devices): string {
  if (ref === 'sentinel') return devices.sentinel;
  if (ref === 'plug') return devices.plug;
  if (ref === 'unknown') return UNKNOWN_IEEE;
  return ref.malformed;
}

export function stateStruct(spec: StateSpec): WireStruct {
  if ('json' in spec) return toStruct(spec.json);
  if ('big' in spec) return { fields: { state: { stringValue: 'x'.repeat(spec.big) } } };
  let struct: WireStruct = { fields: { state: { stringValue: 'ON' } } };
  for (let i = 1; i < spec.depth; i++) struct = { fields: { nested: { structValue: struct } } };
  return struct;
}

export function wireCommand(id: string, expiry: Expiry, action: ActionSpec, devices: Devices): WireCommand {
  const command: WireCommand = { id, expires_at_ms: expiresAtMs(expiry) };
  if ('set_state' in action) command.set_state = { ieee: ieeeOf(action.set_state.device, devices), state: stateStruct(action.set_state.state) };
  else if ('permit_join' in action) command.permit_join = action.permit_join;
  else if ('rename_device' in action) command.rename_device = { ieee: ieeeOf(action.rename_device.device, devices), name: action.rename_device.name };
  else if ('set_room' in action) {
    command.set_room = { ieee: ieeeOf(action.set_room.device, devices), ...(action.set_room.room === undefined ? {} : { room: action.set_room.room }) };
  } else if ('reconfigure_device' in action) command.reconfigure_device = { ieee: ieeeOf(action.reconfigure_device.device, devices) };
  else if ('remove_device' in action) command.remove_device = { ieee: ieeeOf(action.remove_device.device, devices), force: action.remove_device.force };
  return command;
}

/** Keys that would reach raw ZCL (or a factory reset) through set_state: never ok. */
export const RAW_ZCL_KEYS = ['write', 'command', 'reset'];
