// The command_id a hub's CommandResult carries for a command id, as cloud.proto documents it
// (written from the .proto, not imported from the daemon): the id itself up to 128 characters,
// else "sha256:" + the lower-case hex SHA-256 of the id's UTF-8 bytes.
import { createHash } from 'node:crypto';

const MAX_ID_CHARACTERS = 128;

export function resultIdFor(id: string): string {
  if (id.length <= MAX_ID_CHARACTERS) return id;
  return `sha256:${createHash('sha256').update(id, 'utf8').digest('hex')}`;
}
