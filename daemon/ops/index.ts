// daemon/ops public surface: config, logging, network credentials, process lifecycle.

export { ConfigError, defaultConfig, loadConfig, parseConfig } from './config.js';
export type { AdapterName, ConfigProblem, HubConfig, LogFormat } from './config.js';
export { createLogger } from './logger.js';
export type { LogFields, Logger, LoggerOptions, LogLevel, LogOutput, RootLogger } from './logger.js';
export { REDACTED, isSensitiveKey } from './redaction.js';
export { loadOrCreateNetworkCredentials, NetworkCredentialsError, NETWORK_FILE_NAME } from './network-credentials.js';
export type { LoadedNetworkCredentials, NetworkCredentials } from './network-credentials.js';
export { EXIT, superviseDaemon } from './process-lifecycle.js';
export type { LifecycleOptions, ProcessLike, Stoppable } from './process-lifecycle.js';
export { writeFileAtomic } from './atomic-file.js';
export { isJournalStream } from './journal-stream.js';
