// Decodes what the platform sends without ever failing. gRPC ends the stream when a decoder
// throws (a Struct nested past protobufjs' depth limit) and grpc-js when a message is over its
// receive limit; a platform that re-sends unanswered commands after every reconnect would then
// end every stream and throttle telemetry for good. So a command too large (MAX_COMMAND_BYTES)
// or impossible to decode still becomes a Command: its id read straight from the bytes and the
// reason in `undecodable`, and the command runner answers it "invalid: ..." like any other.
import { decodeCloudMessageBytes } from './proto.js';
import type { CloudMessage } from './wire.js';
import { MAX_COMMAND_BYTES } from './wire-limits.js';

/** Field numbers from cloud.proto: CloudMessage.command = 3, Command.id = 1. */
const CLOUD_MESSAGE_COMMAND = 3;
const COMMAND_ID = 1;
const LENGTH_DELIMITED = 2;

export function decodeCloudMessage(bytes: Buffer): CloudMessage {
  if (bytes.length > MAX_COMMAND_BYTES) {
    return refused(bytes, `command of ${bytes.length} bytes is over the ${MAX_COMMAND_BYTES}-byte limit`);
  }
  try {
    return decodeCloudMessageBytes(bytes);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return refused(bytes, `the command could not be decoded: ${why}`);
  }
}

function refused(bytes: Buffer, reason: string): CloudMessage {
  const command = lengthDelimitedField(bytes, CLOUD_MESSAGE_COMMAND);
  if (!command) return { undecodable: reason };
  const id = lengthDelimitedField(command, COMMAND_ID);
  return { body: 'command', command: { id: id ? id.toString('utf8') : '', undecodable: reason } };
}

/**
 * The first length-delimited field `number` at the top level of an encoded message, or
 * undefined (absent, or the bytes are not protobuf). Only walks the top level: no recursion,
 * whatever the bytes.
 */
function lengthDelimitedField(bytes: Buffer, number: number): Buffer | undefined {
  let at = 0;
  while (at < bytes.length) {
    const key = readVarint(bytes, at);
    if (!key) return undefined;
    at = key.next;
    const wireType = key.value % 8;
    const fieldNumber = Math.floor(key.value / 8);
    switch (wireType) {
      case 0: {
        const skipped = readVarint(bytes, at);
        if (!skipped) return undefined;
        at = skipped.next;
        break;
      }
      case 1:
        at += 8;
        break;
      case LENGTH_DELIMITED: {
        const length = readVarint(bytes, at);
        if (!length || length.next + length.value > bytes.length) return undefined;
        if (fieldNumber === number) return bytes.subarray(length.next, length.next + length.value);
        at = length.next + length.value;
        break;
      }
      case 5:
        at += 4;
        break;
      default:
        return undefined; // groups (3, 4) are not in cloud.proto; anything else is not protobuf
    }
  }
  return undefined;
}

function readVarint(bytes: Buffer, at: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = at; i < bytes.length && i < at + 10; i++) {
    const byte = bytes[i]!;
    value += (byte & 0x7f) * scale;
    // A value past 2^53 is imprecise; only skipped varints (a negative int64) get that large.
    if (byte < 0x80) return { value, next: i + 1 };
    scale *= 128;
  }
  return undefined;
}
