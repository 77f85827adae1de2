// A command as the platform writes it -> the cloud.proto Command message, from the .proto alone.
// Groups, scenes and bindings: group-command-encoder.ts.
import { createHash } from 'node:crypto';
import type { HubCommand } from '../../daemon/domain/events.js';
import { toStruct, type Plain } from '../lib/cloud-proto.js';
import { encodeGroupCommand } from './group-command-encoder.js';

const MAX_ID_LENGTH = 128;

export function encodeCommand(command: HubCommand): Plain {
  const wire: Plain = { id: command.id, expires_at_ms: command.expiresAt ?? 0 };
  switch (command.kind) {
    case 'set_state':
      return { ...wire, set_state: { ieee: command.ieee, state: toStruct(command.state) } };
    case 'permit_join':
      return { ...wire, permit_join: { seconds: command.seconds, ...(command.via !== undefined ? { via: command.via } : {}) } };
    case 'remove_device':
      return { ...wire, remove_device: { ieee: command.ieee, force: !!command.force } };
    case 'rename_device':
      return { ...wire, rename_device: { ieee: command.ieee, name: command.name } };
    case 'set_room':
      // room absent (proto3 optional) = out of any room.
      return { ...wire, set_room: command.room === null ? { ieee: command.ieee } : { ieee: command.ieee, room: command.room } };
    case 'reinterview_device':
      return { ...wire, reinterview_device: { ieee: command.ieee } };
    case 'reconfigure_device':
      return { ...wire, reconfigure_device: { ieee: command.ieee } };
    case 'set_options':
      return { ...wire, set_device_options: { ieee: command.ieee, options: toStruct(command.options) } };
    case 'request_snapshot':
      return { ...wire, request_snapshot: {} };
    case 'read_state':
      return { ...wire, read_state: { ieee: command.ieee, keys: command.keys } };
    default: {
      const action = encodeGroupCommand(command);
      if (!action) throw new Error(`"${command.kind}" is not a cloud command (cloud.proto Command has no action for it)`);
      return { ...wire, ...action };
    }
  }
}

/**
 * The command_id the gateway's result carries for a command with this id: the id itself, or
 * for an id over 128 characters "sha256:" + the hex SHA-256 of its UTF-8 bytes (cloud.proto).
 */
export function resultIdFor(id: string): string {
  if (id.length <= MAX_ID_LENGTH) return id;
  return `sha256:${createHash('sha256').update(id, 'utf8').digest('hex')}`;
}
