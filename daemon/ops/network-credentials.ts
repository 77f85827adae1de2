// The Zigbee network's identity: network key, PAN ID and extended PAN ID. Generated once at
// first start and kept in <data_dir>/network.json (mode 0600). Every paired device holds the
// network key, so losing or replacing this file orphans all of them: an unreadable or invalid
// file stops the daemon with a clear error and is never silently regenerated.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import { findJsonSyntaxError, describeJsonSyntaxError } from './json-syntax-error.js';
import type { Logger } from './logger.js';

export interface NetworkCredentials {
  /** 16 bytes. A secret: registered with the logger, never printed. */
  networkKey: Buffer;
  /** 0x0001..0xFFFE. */
  panId: number;
  /** 8 bytes, in the order zigbee-herdsman's `extendedPanID` array takes them. */
  extendedPanId: Buffer;
}

export interface LoadedNetworkCredentials extends NetworkCredentials {
  /** True when this start generated them (a new network will be formed). */
  created: boolean;
  file: string;
}

export class NetworkCredentialsError extends Error {
  constructor(readonly file: string, problem: string) {
    super(
      `network credentials file ${file} ${problem}. Refusing to start: new credentials would orphan every paired ` +
        'device. Restore the file from a backup; only delete it to deliberately form a new network and re-pair all devices.',
    );
    this.name = 'NetworkCredentialsError';
  }
}

export interface CredentialsOptions {
  /** Source of randomness; crypto.randomBytes unless a test needs to steer it. */
  randomBytes?: (size: number) => Buffer;
}

export const NETWORK_FILE_NAME = 'network.json';
const FILE_VERSION = 1;

// Values a new network must not get: invalid/reserved ones and well-known defaults that a
// neighbouring network (Zigbee2MQTT's defaults, herdsman's 0xDD... placeholder) may be using.
const Z2M_DEFAULT_NETWORK_KEY = Buffer.from([1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 13]);
const Z2M_DEFAULT_PAN_ID = 0x1a62;

/** Loads <dataDir>/network.json, creating it (and dataDir) on first start. Registers the key as a log secret. */
export function loadOrCreateNetworkCredentials(dataDir: string, log: Logger, options: CredentialsOptions = {}): LoadedNetworkCredentials {
  const file = path.join(dataDir, NETWORK_FILE_NAME);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o750 });
  removeStaleTempFiles(dataDir);

  const text = readIfExists(file);
  if (text !== undefined) {
    const credentials = decodeCredentials(text, file);
    log.addSecret(credentials.networkKey);
    tightenMode(file, log);
    log.info('network credentials loaded', { file, panId: hex16(credentials.panId), extendedPanId: credentials.extendedPanId.toString('hex') });
    return { ...credentials, created: false, file };
  }

  const credentials = generateCredentials(options.randomBytes ?? crypto.randomBytes);
  log.addSecret(credentials.networkKey);
  writeNetworkCredentials(dataDir, credentials);
  log.info('network credentials generated for a new network', {
    file,
    panId: hex16(credentials.panId),
    extendedPanId: credentials.extendedPanId.toString('hex'),
  });
  return { ...credentials, created: true, file };
}

/** Writes <dataDir>/network.json (0600, atomically); returns its path. */
export function writeNetworkCredentials(dataDir: string, credentials: NetworkCredentials): string {
  const file = path.join(dataDir, NETWORK_FILE_NAME);
  writeFileAtomic(file, encodeCredentials(credentials), 0o600);
  return file;
}

export function generateCredentials(randomBytes: (size: number) => Buffer): NetworkCredentials {
  let networkKey = randomBytes(16);
  while (networkKey.every((b) => b === 0) || networkKey.equals(Z2M_DEFAULT_NETWORK_KEY)) networkKey = randomBytes(16);
  let panId = randomBytes(2).readUInt16BE(0);
  while (panId === 0x0000 || panId === 0xffff || panId === Z2M_DEFAULT_PAN_ID) panId = randomBytes(2).readUInt16BE(0);
  let extendedPanId = randomBytes(8);
  while (!isUsableExtendedPanId(extendedPanId) || extendedPanId.every((b) => b === 0xdd)) extendedPanId = randomBytes(8);
  return { networkKey: Buffer.from(networkKey), panId, extendedPanId: Buffer.from(extendedPanId) };
}

function isUsableExtendedPanId(bytes: Buffer): boolean {
  // All-zero and all-0xFF mean "not set / use the coordinator's IEEE address" to the stacks.
  return !bytes.every((b) => b === 0) && !bytes.every((b) => b === 0xff);
}

function encodeCredentials(c: NetworkCredentials): string {
  const body = {
    version: FILE_VERSION,
    network_key: c.networkKey.toString('hex'),
    pan_id: c.panId,
    extended_pan_id: c.extendedPanId.toString('hex'),
    created_at: new Date().toISOString(),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** Parses and checks the file. Error messages say which field is wrong, never what it holds. */
function decodeCredentials(text: string, file: string): NetworkCredentials {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const where = findJsonSyntaxError(text);
    throw new NetworkCredentialsError(file, `is not valid JSON${where ? ` (${describeJsonSyntaxError(where)})` : ''}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new NetworkCredentialsError(file, 'does not hold a JSON object');
  const fields = body as Record<string, unknown>;
  if (fields.version !== FILE_VERSION) {
    const newer = typeof fields.version === 'number' && fields.version > FILE_VERSION;
    throw new NetworkCredentialsError(file, newer ? 'was written by a newer zigbee-hubd (version field)' : 'has a missing or unknown "version"');
  }
  const networkKey = hexField(fields, 'network_key', 16, file);
  if (networkKey.every((b) => b === 0)) throw new NetworkCredentialsError(file, 'has an all-zero "network_key"');
  const panId = fields.pan_id;
  if (typeof panId !== 'number' || !Number.isInteger(panId) || panId < 0x0001 || panId > 0xfffe) {
    throw new NetworkCredentialsError(file, 'has an invalid "pan_id" (expected an integer 1..65534)');
  }
  const extendedPanId = hexField(fields, 'extended_pan_id', 8, file);
  if (!isUsableExtendedPanId(extendedPanId)) throw new NetworkCredentialsError(file, 'has an all-0x00 or all-0xFF "extended_pan_id"');
  return { networkKey, panId, extendedPanId };
}

function hexField(fields: Record<string, unknown>, key: string, bytes: number, file: string): Buffer {
  const value = fields[key];
  if (typeof value !== 'string' || !new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(value)) {
    throw new NetworkCredentialsError(file, `has an invalid "${key}" (expected ${bytes * 2} hex digits)`);
  }
  return Buffer.from(value, 'hex');
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new NetworkCredentialsError(file, `cannot be read (${code ?? 'unknown error'})`);
  }
}

function tightenMode(file: string, log: Logger): void {
  const mode = fs.statSync(file).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  fs.chmodSync(file, 0o600);
  log.warn('network credentials file was readable by others; permissions reset to 0600', { file, was: mode.toString(8) });
}

function removeStaleTempFiles(dataDir: string): void {
  // Left behind by a crash between write and rename; they hold a key, so do not keep them around.
  for (const name of fs.readdirSync(dataDir)) {
    if (name.startsWith(`.${NETWORK_FILE_NAME}.tmp-`)) fs.rmSync(path.join(dataDir, name), { force: true });
  }
}

function hex16(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`;
}
