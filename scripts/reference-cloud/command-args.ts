// `reference-cloud send ACTION ...` words -> a command for the gateway. Bad input throws a
// UsageError naming what was wrong; the gateway still validates everything it receives.
import type { CommandRequest } from './server.js';

export class UsageError extends Error {}

export const SEND_USAGE = `actions:
  set-state IEEE key=value ...     (value as JSON when it parses: brightness=128, state=ON, color='{"x":0.3,"y":0.3}')
  read IEEE key ...                (read_state: fresh values from the device)
  permit-join SECONDS              (0 closes)
  rename IEEE NAME                 room IEEE [ROOM]   (no ROOM: out of any room)
  remove IEEE [--force]            reinterview IEEE   reconfigure IEEE
  options IEEE key=value ...       (set_device_options; key=null removes one)
  snapshot                         (request_snapshot)
  json '{"kind":"set_state",...}'  (any command as JSON, as the control protocol takes it)`;

const IEEE_PATTERN = /^0x[0-9a-fA-F]{16}$/;

export function commandFromWords(words: string[], force = false): CommandRequest {
  const [action, ...args] = words;
  switch (action) {
    case 'set-state':
      return { kind: 'set_state', ieee: ieeeAt(args, action), state: keyValues(args.slice(1), action) };
    case 'read':
      if (args.length < 2) throw new UsageError('read needs IEEE and at least one key');
      return { kind: 'read_state', ieee: ieeeAt(args, action), keys: args.slice(1) };
    case 'permit-join': {
      const seconds = Number(args[0]);
      if (args.length !== 1 || !Number.isInteger(seconds) || seconds < 0 || seconds > 254) {
        throw new UsageError(`permit-join needs SECONDS, a whole number 0..254, got ${JSON.stringify(args.join(' '))}`);
      }
      return { kind: 'permit_join', seconds };
    }
    case 'rename':
      if (args.length !== 2) throw new UsageError('rename needs IEEE and NAME (quote a name with spaces)');
      return { kind: 'rename_device', ieee: ieeeAt(args, action), name: args[1]! };
    case 'room':
      if (args.length > 2) throw new UsageError('room needs IEEE and at most one ROOM (quote a room with spaces)');
      return { kind: 'set_room', ieee: ieeeAt(args, action), room: args[1] ?? null };
    case 'remove':
      return { kind: 'remove_device', ieee: ieeeAt(args, action), force };
    case 'reinterview':
      return { kind: 'reinterview_device', ieee: ieeeAt(args, action) };
    case 'reconfigure':
      return { kind: 'reconfigure_device', ieee: ieeeAt(args, action) };
    case 'options':
      return { kind: 'set_options', ieee: ieeeAt(args, action), options: keyValues(args.slice(1), action) };
    case 'snapshot':
      return { kind: 'request_snapshot' };
    case 'json':
      return jsonCommand(args);
    case undefined:
      throw new UsageError('send needs an ACTION');
    default:
      throw new UsageError(`unknown action ${JSON.stringify(action)}`);
  }
}

function ieeeAt(args: string[], action: string): string {
  const ieee = args[0];
  if (ieee === undefined || !IEEE_PATTERN.test(ieee)) {
    throw new UsageError(`${action} needs an IEEE address (0x + 16 hex digits) first, got ${JSON.stringify(ieee ?? '')}`);
  }
  return ieee.toLowerCase();
}

function keyValues(pairs: string[], action: string): Record<string, unknown> {
  if (pairs.length === 0) throw new UsageError(`${action} needs at least one key=value`);
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`${action}: ${JSON.stringify(pair)} is not key=value`);
    const text = pair.slice(at + 1);
    out[pair.slice(0, at)] = jsonOrText(text);
  }
  return out;
}

/** 128 -> number, true -> boolean, {"x":1} -> object, ON -> "ON" (not JSON, so text). */
function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function jsonCommand(args: string[]): CommandRequest {
  if (args.length !== 1) throw new UsageError('json needs one argument: the command as a JSON object');
  let command: unknown;
  try {
    command = JSON.parse(args[0]!);
  } catch (error) {
    throw new UsageError(`json: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof command !== 'object' || command === null || typeof (command as { kind?: unknown }).kind !== 'string') {
    throw new UsageError('json: the command must be an object with a "kind"');
  }
  return command as CommandRequest;
}
