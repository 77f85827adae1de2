// The narrow edges the cloud link depends on. The daemon passes in the store's outbox and
// event log, the zigbee command executor and a logger; tests may pass small in-memory ones.
import type { DeviceState, HubCommand, HubEvent, SequencedEvent } from '../domain/events.js';

/** The store's outbox as the cloud link uses it. Seqs are strictly increasing. */
export interface OutboxReader {
  /** Up to `limit` events with seq > `seq`, in seq order. */
  readAfter(seq: number, limit: number): SequencedEvent[];
  /** The platform has every event with seq <= uptoSeq: they may be deleted. Cumulative. */
  ack(uptoSeq: number): void;
  /** The highest seq acknowledged so far (0 = none). */
  lastAcked(): number;
  /** Called after new events were committed; returns the unsubscribe function. */
  onAppend(listener: () => void): () => void;
  /**
   * Identifies this outbox instance (e.g. a random id stored with the database). It must
   * change when the database is rebuilt and seqs restart. Optional: '' when absent.
   */
  epoch?(): string;
  /** The highest seq committed (0 = none): no event the platform can have seen lies above it. */
  lastCommittedSeq(): number;
  /**
   * The platform has seen seqs up to `aboveSeq` that this outbox does not have, so its next seqs
   * would be ones the platform de-duplicates away. Starts a new epoch whose seqs lie above
   * `aboveSeq`, keeping every unacknowledged event for the new epoch and queueing a
   * resync_requested event with `reason`; durable before it returns. Returns the new epoch.
   */
  startNewEpoch(aboveSeq: number, reason: string): string;
}

/**
 * Why a command failed, for callers that map it to a status (the LAN API): the device is not
 * known, has left, the request is invalid (unknown key, bad value, name taken), the coordinator
 * is down, the device is busy (interviewing) or did not answer.
 */
export type CommandFailure = 'unknown_device' | 'left_network' | 'invalid' | 'unavailable' | 'busy' | 'device_error';

export interface CommandExecution {
  ok: boolean;
  error?: string;
  /** Set with ok = false when the executor knows the kind of failure. */
  failure?: CommandFailure;
  /** Device state after a successful set_state, when known. */
  state?: DeviceState;
}

/** Runs a validated command against the network (daemon/zigbee behind it). */
export interface CommandExecutor {
  execute(command: HubCommand): Promise<CommandExecution>;
}

/** Appends an event to the outbox (the store's events.append); sync or async. */
export type EmitEvent = (event: HubEvent) => unknown;

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** When the logger can redact (daemon/ops Logger), the token is registered as a secret. */
  addSecret?(secret: string): void;
}
