// The one error type the ZCL codec throws. The network layer catches it by class, so a
// malformed frame from a test (or a bug) never surfaces as an untyped crash.

export class ZclDecodeError extends Error {
  override readonly name = 'ZclDecodeError';
  /** Byte offset inside the buffer being decoded where the problem was found. */
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(`${message} (at byte ${offset})`);
    this.offset = offset;
  }
}

export class ZclEncodeError extends Error {
  override readonly name = 'ZclEncodeError';
}
