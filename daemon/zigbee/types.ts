// The public vocabulary of daemon/zigbee. Nothing here mentions zigbee-herdsman: the rest of
// the daemon codes against these types, so herdsman can change without the change spreading.
import type { DeviceDescription, DeviceState, Ieee, InterviewStatus } from '../domain/events.js';

/** The structural subset of daemon/ops' Logger that this module needs. */
export interface ZigbeeLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(ns: string): ZigbeeLogger;
  /** daemon/ops' Logger has it: lets us build herdsman's (large) debug lines only when wanted. */
  isLevelEnabled?(level: 'error' | 'warn' | 'info' | 'debug'): boolean;
  /** daemon/ops' Logger has it: the network key is registered so no line can carry it. */
  addSecret?(secret: string | Uint8Array): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** setTimeout/clearTimeout, passed in so that tests can drive time. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface InterviewRetryPolicy {
  /** Automatic re-interviews of a device whose interview failed or stayed incomplete. Default 3. */
  maxRetries?: number;
  /** Wait before each retry (the last entry repeats). Default 5 s, 30 s, 2 min. */
  delaysMs?: number[];
}

/** A radio stack zigbee-herdsman has an adapter for, or `auto`: found by herdsman's discovery. */
export type SerialAdapter = 'zstack' | 'ember' | 'deconz' | 'zigate' | 'zboss' | 'ezsp' | 'zoh' | 'auto';

export interface SerialOptions {
  /**
   * A device path (/dev/ttyUSB0) or tcp://host:port for a networked/virtual coordinator. With
   * adapter `auto`: a device path (its stack is found), mdns://<service type>, or '' to look on
   * every serial port.
   */
  path: string;
  adapter: SerialAdapter;
  baudRate?: number;
  rtscts?: boolean;
}

export interface NetworkCredentials {
  panId: number;
  /** 8 bytes, most significant first (as Zigbee2MQTT's ext_pan_id). */
  extendedPanId: number[];
  /** 16 bytes. Secret: never logged, never put into an error message. */
  networkKey: number[];
  /** 11..26 */
  channel: number;
}

export interface ZigbeeNetworkOptions {
  serial: SerialOptions;
  network: NetworkCredentials;
  /** Directory for herdsman's database.db and the coordinator backup. Must exist. */
  dataDir: string;
  log: ZigbeeLogger;
  clock?: Clock;
  /** Upper bound for permitJoin(seconds); herdsman's own limit is 254. Default 254. */
  maxPermitJoinSeconds?: number;
  /** How many times configure is tried per device and session before giving up. Default 3. */
  maxConfigureAttempts?: number;
  /** Decides whether a joining device may stay. Default: every device is accepted. */
  acceptJoin?: (ieee: Ieee) => boolean | Promise<boolean>;
  /**
   * The device's last known state (the store's), read for the converters. Whoever listens to
   * `state` events keeps it current. Default: the network remembers what it published.
   */
  stateOf?: (ieee: Ieee) => DeviceState | undefined;
  /** Per-device converter options (occupancy_timeout, temperature_precision, ...). Default none. */
  deviceOptions?: (ieee: Ieee) => Record<string, unknown>;
  /** How failed or incomplete interviews are retried. */
  interviewRetry?: InterviewRetryPolicy;
  /** Default: the global setTimeout/clearTimeout. */
  timers?: Timers;
  /** Good copies kept of each of herdsman's files (herdsman-files.ts). Default 3. */
  herdsmanFileCopies?: number;
}

export type HerdsmanFileName = 'coordinator_backup.json' | 'database.db';

/** One of herdsman's files was damaged at start: what was wrong and what was done about it. */
export interface HerdsmanFileRepair {
  file: HerdsmanFileName;
  problem: string;
  /** Where the damaged file now is (never deleted). */
  movedTo: string;
  /** The good copy put in its place, if there was one. */
  restoredFrom?: string;
  /** Without a good copy: the readable entries of a damaged database kept. */
  salvagedEntries?: number;
}

export type StartResult = 'reset' | 'resumed' | 'restored';

export type LeaveReason = 'left' | 'removed' | 'force_removed';

/** Events of a ZigbeeNetwork, keyed by kind. */
export interface ZigbeeNetworkEvents {
  device_joined: { ieee: Ieee; nwk: number };
  device_interview: { ieee: Ieee; status: InterviewStatus; device?: DeviceDescription };
  /** The device is no longer part of the network: it left by itself or was removed. */
  device_left: { ieee: Ieee; reason: LeaveReason };
  /** Named state converted by the converters' fromZigbee (or reported back by setState). */
  state: { ieee: Ieee; state: DeviceState; linkquality?: number };
  /** Any sign of life (message, announce, join): for last-seen and availability. */
  seen: { ieee: Ieee; linkquality?: number; at: number };
  /** Every application message from a device as it arrives (before conversion): for metrics. */
  message_received: { ieee: Ieee; cluster: string };
  /** Input from a device that was refused: malformed frame, unknown cluster, sentinel value. */
  rejected: { ieee: Ieee; reason: string; cluster?: string };
  /** The definition's configure (bindings, reporting) ran; ok=false means it will be retried. */
  device_configured: { ieee: Ieee; ok: boolean; attempt: number; error?: string };
  permit_join_changed: { open: boolean; seconds: number };
  /**
   * The device's data kept failing (or the hub died while handling it): its messages are
   * ignored until it is re-interviewed (a successful interview event) or removed. `stage`:
   * 'interview', 'message', 'configure' or 'start'.
   */
  device_quarantined: { ieee: Ieee; reason: string; stage: string };
  adapter_disconnected: Record<string, never>;
  /** The coordinator rebooted by itself (its reset indication): it must be started again. */
  coordinator_reset: { reason: string };
  /** At start, herdsman's files were damaged (a power cut): set aside and replaced. */
  herdsman_files_repaired: { repairs: HerdsmanFileRepair[] };
}

export type ZigbeeNetworkEventKind = keyof ZigbeeNetworkEvents;

export interface RemoveOptions {
  /** Drop the device from herdsman's database without asking it to leave (it is gone). */
  force?: boolean;
}

/** Counters for metrics. */
export interface ZigbeeNetworkStats {
  messages: number;
  states: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  /** Failures while handling a device's data (ours, herdsman's, a converter's), contained. */
  deviceFailures: number;
  deviceFailuresByStage: Record<string, number>;
  quarantined: number;
  /** Messages of quarantined devices, dropped unread. */
  ignoredMessages: number;
  /** Input the serial (UNPI) parser dropped since this network was created. */
  serialDropped: SerialDropStats;
}

export interface SerialDropStats {
  /** Frames whose checksum failed. */
  badChecksum: number;
  /** Runs of bytes outside any frame, and their total size. */
  noise: number;
  noiseBytes: number;
}
