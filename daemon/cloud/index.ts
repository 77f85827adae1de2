// Public surface of daemon/cloud: the link to the platform and the edges it needs.
export { CloudLink } from './link.js';
export type { CloudLinkEvents, CloudLinkOptions, CloudLinkState, CloudLinkStatus } from './link.js';
export { CloudLinkConfigError } from './credentials.js';
export type { CloudCredentials, Pem } from './credentials.js';
export type { CommandExecution, CommandExecutor, EmitEvent, Logger, LogFields, OutboxReader } from './types.js';
export type { CommandOutcome, CommandOutcomeStatus } from './command-runner.js';
export { RecentIds } from './recent-ids.js';
export type { CommandIdLog } from './recent-ids.js';
export { DEFAULT_BACKOFF } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { systemClock } from './clock.js';
export type { Clock } from './clock.js';
