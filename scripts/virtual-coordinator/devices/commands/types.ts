// What a cluster command handler sees of its endpoint, and what it answers.

import type { ZclValue } from '../definition.js';
import type { ByteReader } from '../zcl/byte-reader.js';
import type { SceneTable } from './scenes.js';

export interface EndpointState {
  readonly endpoint: number;
  get(cluster: number, attrId: number): ZclValue | undefined;
  /** ZCL data type of an attribute the device has. */
  typeOf(cluster: number, attrId: number): number | undefined;
  /** Ids of the attributes the device has in a cluster, ascending. */
  attributeIds(cluster: number): number[];
  /** Changes an attribute; the device reports changed attributes once the command is done. */
  set(cluster: number, attrId: number, value: ZclValue): void;
  /** What the device keeps that is no attribute (a motor's target and move in progress). */
  readonly memory: Map<string, unknown>;
  /** Group memberships of this endpoint (genGroups). */
  readonly groups: Set<number>;
  /** Scenes stored on this endpoint (genScenes). */
  readonly scenes: SceneTable;
  /** Runs `change` after `ms` (cancelled by stop()); its set() calls are reported then. */
  later(ms: number, change: (state: EndpointState) => void): void;
  /**
   * Sends a cluster command from this endpoint's server to the coordinator once the command is
   * done (after its response): a lock's operation event, a Tuya MCU's datapoint report.
   */
  notify(cluster: number, commandId: number, payload: Buffer): void;
}

export interface CommandOutcome {
  /** Status for the default response when there is no specific response. */
  status: number;
  /** A cluster-specific response (server -> client), sent instead of a default response. */
  response?: { commandId: number; payload: Buffer };
}

export type CommandHandler = (commandId: number, payload: ByteReader, state: EndpointState) => CommandOutcome;
