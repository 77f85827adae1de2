// Errors that cross this module's boundary. `code` is stable and meant for callers
// (command results, LAN API status); `message` is for people and never carries secrets.

export type ZigbeeErrorCode =
  | 'not_started'
  | 'unknown_device'
  | 'unsupported_key'
  | 'invalid_value'
  | 'device_busy'
  | 'device_error'
  | 'invalid_options';

export class ZigbeeError extends Error {
  override readonly name = 'ZigbeeError';
  constructor(
    readonly code: ZigbeeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A short description of any thrown value, for logs and error messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
