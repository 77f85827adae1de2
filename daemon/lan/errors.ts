// Errors the LAN service raises on purpose. `code` is transport-neutral; the gRPC transport maps
// it to a status code, a browser transport later to its own. Messages are for people: they say
// what was wrong and never carry a token or a pairing code.
export type LanErrorCode =
  | 'not_found'
  | 'invalid_argument'
  | 'failed_precondition'
  | 'unauthenticated'
  | 'permission_denied'
  | 'resource_exhausted'
  | 'unavailable'
  | 'aborted'
  | 'internal';

export class LanError extends Error {
  override readonly name = 'LanError';
  constructor(
    readonly code: LanErrorCode,
    message: string,
  ) {
    super(message);
  }
}
