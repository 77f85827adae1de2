// The size limits of the cloud link, both ways (documented in cloud.proto, "LIMITS"). Every
// gRPC stack refuses messages over 4 MiB by default, and a message the other side refuses
// ends the stream: sent again after the reconnect, it would end every stream from then on.
// So the gateway never writes a message near that size, and answers anything too big for it
// instead of letting the transport kill the stream.

/** gRPC's length prefix before every message: 1 flag byte + 4 length bytes. */
export const GRPC_MESSAGE_HEADER_BYTES = 5;

/** Largest HubMessage the gateway writes, gRPC header included: a quarter of the 4 MiB default. */
export const MAX_BATCH_BYTES = 1024 * 1024;

/**
 * Largest Event, measured as a HubMessage holding only that event. A larger one is reduced
 * before it is sent (see event-fitting.ts); the outbox keeps it as it was.
 */
export const MAX_EVENT_BYTES = 64 * 1024;

/** What a batch costs besides its events: gRPC header, HubMessage tag and length varint. */
export const BATCH_OVERHEAD_BYTES = GRPC_MESSAGE_HEADER_BYTES + 1 + 5;

/** Default bound on the bytes of events sent but not yet acknowledged. */
export const DEFAULT_MAX_IN_FLIGHT_BYTES = 4 * 1024 * 1024;

/** Longest CommandResult.error the gateway sends, in characters. */
export const MAX_ERROR_CHARS = 1024;

/**
 * grpc.max_receive_message_length: a CloudMessage over this ends the stream from the gateway's
 * side (RESOURCE_EXHAUSTED) before it is read; it bounds the memory one message can take.
 */
export const MAX_RECEIVE_BYTES = 16 * 1024 * 1024;

/** Largest CloudMessage the gateway decodes; a larger command is answered "invalid: ...". */
export const MAX_COMMAND_BYTES = 64 * 1024;

/** `text` cut to at most `max` characters, saying so, so nobody mistakes it for the whole. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = ` ... (cut, ${text.length} characters in all)`;
  return text.slice(0, Math.max(0, max - note.length)) + note;
}
