// What a cluster command handler sees of its endpoint, and what it answers.

import type { ZclValue } from '../definition.js';
import type { ByteReader } from '../zcl/byte-reader.js';
import type { SceneTable } from './scenes.js';

export interface EndpointState {
  readonly endpoint: number;
  get(cluster: number, attrId: number): ZclValue | undefined;
  /** Changes an attribute; the device reports changed attributes once the command is done. */
  set(cluster: number, attrId: number, value: ZclValue): void;
  /** Group memberships of this endpoint (genGroups). */
  readonly groups: Set<number>;
  /** Scenes stored on this endpoint (genScenes). */
  readonly scenes: SceneTable;
  /** Runs `change` after `ms` (cancelled by stop()); its set() calls are reported then. */
  later(ms: number, change: (state: EndpointState) => void): void;
}

export interface CommandOutcome {
  /** Status for the default response when there is no specific response. */
  status: number;
  /** A cluster-specific response (server -> client), sent instead of a default response. */
  response?: { commandId: number; payload: Buffer };
}

export type CommandHandler = (commandId: number, payload: ByteReader, state: EndpointState) => CommandOutcome;
