// Public surface of daemon/cloud: the link to the platform and the edges it needs.
export { CloudLink } from './link.js';
export type { CloudLinkEvents, CloudLinkOptions, CloudLinkState, CloudLinkStatus } from './link.js';
export { CloudLinkConfigError } from './credentials.js';
export type { CloudCredentials, Pem } from './credentials.js';
export type { CommandExecution, CommandFailure, CommandExecutor, EmitEvent, Logger, LogFields, OutboxReader } from './types.js';
export type { CommandOutcome, CommandOutcomeStatus } from './command-runner.js';
export { RecentIds } from './recent-ids.js';
export type { CommandIdLog } from './recent-ids.js';
export { DEFAULT_BACKOFF } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { systemClock } from './clock.js';
export type { Clock } from './clock.js';
// The wire codecs the LAN API shares with the cloud link (same Event and Struct messages).
export { encodeEvent as encodeWireEvent } from './event-codec.js';
export { fromStruct, toStruct, toValue } from './struct-codec.js';
export { PROTO_LOADER_OPTIONS, protoRoot } from './proto.js';
export type { WireEvent, WireStruct, WireValue } from './wire.js';
