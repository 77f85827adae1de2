// Validates ZigbeeNetworkOptions and turns them into herdsman's controller options.
// Messages name the offending setting but never echo the network key.
import path from 'node:path';
import { ZigbeeError } from './errors.js';
import type { NetworkCredentials, ZigbeeNetworkOptions } from './types.js';

export const DEFAULT_MAX_PERMIT_JOIN_SECONDS = 254;
export const DEFAULT_MAX_CONFIGURE_ATTEMPTS = 3;
export const DEFAULT_INTERVIEW_RETRIES = 3;
/** A busy or briefly unreachable device is retried soon; one that stays away, less and less often. */
export const DEFAULT_INTERVIEW_RETRY_DELAYS_MS: readonly number[] = [5_000, 30_000, 120_000];
/** Timed configure retries of devices that listen all the time (others retry when they speak). */
export const CONFIGURE_RETRY_DELAYS_MS: readonly number[] = [5_000, 30_000];

export function validateOptions(options: ZigbeeNetworkOptions): void {
  const fail = (message: string): never => {
    throw new ZigbeeError('invalid_options', message);
  };
  const { serial, network, dataDir } = options;
  if (!serial || typeof serial.path !== 'string' || (serial.path === '' && serial.adapter !== 'auto')) fail('serial.path is required');
  if (!serial.adapter) fail('serial.adapter is required (e.g. "zstack")');
  if (!dataDir) fail('dataDir is required');
  validateCredentials(network, fail);
  const max = options.maxPermitJoinSeconds;
  if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > 254)) {
    fail('maxPermitJoinSeconds must be an integer from 1 to 254');
  }
  const attempts = options.maxConfigureAttempts;
  if (attempts !== undefined && (!Number.isInteger(attempts) || attempts < 1)) {
    fail('maxConfigureAttempts must be a positive integer');
  }
  const retries = options.interviewRetry?.maxRetries;
  if (retries !== undefined && (!Number.isInteger(retries) || retries < 0)) {
    fail('interviewRetry.maxRetries must be a whole number >= 0');
  }
  const delays = options.interviewRetry?.delaysMs;
  if (delays !== undefined && (!Array.isArray(delays) || delays.length === 0 || !delays.every((d) => Number.isFinite(d) && d >= 0))) {
    fail('interviewRetry.delaysMs must be a non-empty list of milliseconds >= 0');
  }
}

function validateCredentials(network: NetworkCredentials, fail: (m: string) => never): void {
  if (!network) fail('network is required');
  if (!Number.isInteger(network.panId) || network.panId < 1 || network.panId > 0xfffe) {
    fail('network.panId must be an integer from 1 to 0xfffe');
  }
  if (!isBytes(network.extendedPanId, 8)) fail('network.extendedPanId must be 8 bytes');
  // Say what is wrong with the key, never what it is.
  if (!isBytes(network.networkKey, 16)) fail('network.networkKey must be 16 bytes');
  if (!Number.isInteger(network.channel) || network.channel < 11 || network.channel > 26) {
    fail('network.channel must be an integer from 11 to 26');
  }
}

function isBytes(value: unknown, length: number): value is number[] {
  return (
    Array.isArray(value) &&
    value.length === length &&
    value.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)
  );
}

/** The files herdsman keeps in our data directory. */
export function herdsmanPaths(dataDir: string): { database: string; databaseBackup: string; coordinatorBackup: string } {
  return {
    database: path.join(dataDir, 'database.db'),
    databaseBackup: path.join(dataDir, 'database.db.backup'),
    coordinatorBackup: path.join(dataDir, 'coordinator_backup.json'),
  };
}

/** `options.serial` must be resolved (adapter-discovery.ts) first: herdsman gets a real stack. */
export function controllerOptions(options: ZigbeeNetworkOptions, acceptJoin: (ieee: string) => Promise<boolean>) {
  const paths = herdsmanPaths(options.dataDir);
  const { serial } = options;
  if (serial.adapter === 'auto') throw new ZigbeeError('invalid_options', 'serial.adapter "auto" is resolved by discovery before the controller is made');
  return {
    network: {
      panID: options.network.panId,
      extendedPanID: [...options.network.extendedPanId],
      channelList: [options.network.channel],
      networkKey: [...options.network.networkKey],
    },
    serialPort: {
      path: serial.path,
      adapter: serial.adapter,
      baudRate: serial.baudRate,
      rtscts: serial.rtscts,
    },
    databasePath: paths.database,
    databaseBackupPath: paths.databaseBackup,
    backupPath: paths.coordinatorBackup,
    adapter: { disableLED: false },
    acceptJoiningDeviceHandler: acceptJoin,
  };
}
