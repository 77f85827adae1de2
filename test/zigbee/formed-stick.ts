// A virtual stick on which zigbee-herdsman has already formed the test network, as zigpy-znp's
// test fixtures keep NV dumps of formed sticks. Starting herdsman on a blank stick forms a
// network, and herdsman then waits 3 s before it first reads the NIB back (a fixed sleep in
// its Z-Stack adapter): every test that starts from a blank stick pays that. From this NV,
// herdsman takes its "resumed" path instead.
//
// The NV is formed once by the real herdsman driving the virtual coordinator, then cached in
// the temp dir under a hash of everything that decides its contents (the emulator's and our
// zigbee sources, herdsman's version, the credentials), so a change to any of them forms it
// anew and a cached copy can never be stale. Processes forming it at once each write it
// atomically; the copies are equivalent.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../daemon/ops/atomic-file.js';
import { writeNetworkCredentials } from '../../daemon/ops/network-credentials.js';
import { ZigbeeNetwork } from '../../daemon/zigbee/zigbee-network.js';
import type { ZigbeeNetworkOptions } from '../../daemon/zigbee/types.js';
import { startVirtualCoordinator } from '../../scripts/virtual-coordinator/coordinator.js';
import type { NvSnapshot } from '../../scripts/virtual-coordinator/firmware/nv-store.js';
import { readStateFile } from '../../scripts/virtual-coordinator/state-file.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Everything that decides what herdsman writes to the stick while forming.
const SOURCES = ['scripts/virtual-coordinator', 'daemon/zigbee'];
// Fixed, so two formed sticks are the same stick (a test needing two sticks starts a blank one).
const FORMED_STICK_IEEE = '0x00124b00f0e1d2c3';

export type NetworkCredentials = ZigbeeNetworkOptions['network'];

/** The tests' network (PAN, extended PAN, key, channel 11: the daemon's default channel). */
export const TEST_CREDENTIALS = {
  panId: 0x1a62,
  extendedPanId: [0xdd, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77],
  networkKey: [0x01, 0x03, 0x05, 0x07, 0x09, 0x0b, 0x0d, 0x0f, 0x00, 0x02, 0x04, 0x06, 0x08, 0x0a, 0x0c, 0x0e],
  channel: 11,
};

const formed = new Map<string, Promise<NvSnapshot>>();

/** The NV of a virtual stick with the network of `credentials` formed on it. */
export function formedStickNv(credentials: NetworkCredentials): Promise<NvSnapshot> {
  const key = cacheKey(credentials);
  let nv = formed.get(key);
  if (!nv) {
    nv = loadOrForm(path.join(os.tmpdir(), `zigbee-hubd-formed-stick-${key}.json`), credentials);
    formed.set(key, nv);
  }
  return nv;
}

/**
 * For the daemon as a process: writes the test network's credentials to <dataDir>/network.json
 * (as the daemon's first start would have) and returns the virtual coordinator option of a
 * stick that holds that network, so the daemon's first start resumes it.
 */
export async function daemonOnFormedStick(dataDir: string): Promise<{ initialNv: NvSnapshot }> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o750 });
  writeNetworkCredentials(dataDir, {
    networkKey: Buffer.from(TEST_CREDENTIALS.networkKey),
    panId: TEST_CREDENTIALS.panId,
    extendedPanId: Buffer.from(TEST_CREDENTIALS.extendedPanId),
  });
  return { initialNv: await formedStickNv(TEST_CREDENTIALS) };
}

async function loadOrForm(file: string, credentials: NetworkCredentials): Promise<NvSnapshot> {
  const cached = readCached(file);
  if (cached) return cached;
  const nv = await formNetwork(credentials);
  writeFileAtomic(file, JSON.stringify(nv), 0o644);
  return nv;
}

function readCached(file: string): NvSnapshot | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as NvSnapshot;
  } catch {
    return undefined; // missing (or, from a crash long ago, unreadable): form it again
  }
}

/** What a real first start leaves on the stick: herdsman forms the network, then stops. */
async function formNetwork(credentials: NetworkCredentials): Promise<NvSnapshot> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zigbee-formed-stick-'));
  const stateFile = path.join(dir, 'stick.json');
  try {
    const coordinator = await startVirtualCoordinator({ nvStateFile: stateFile, ieee: FORMED_STICK_IEEE });
    const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet, isLevelEnabled: () => false };
    const network = new ZigbeeNetwork({
      serial: { path: `tcp://127.0.0.1:${coordinator.port}`, adapter: 'zstack' },
      network: credentials,
      dataDir: dir,
      log: quiet,
    });
    try {
      const result = await network.start();
      if (result !== 'reset') throw new Error(`a blank virtual stick started as '${result}', not 'reset'`);
    } finally {
      await network.stop();
      await coordinator.stop();
    }
    const state = readStateFile(stateFile);
    if (!state) throw new Error(`the virtual coordinator left no state file at ${stateFile}`);
    return state.nv;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function cacheKey(credentials: NetworkCredentials): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ credentials, ieee: FORMED_STICK_IEEE, herdsman: herdsmanVersion() }));
  for (const file of SOURCES.flatMap((dir) => sourceFiles(path.join(ROOT, dir)))) {
    hash.update(path.relative(ROOT, file));
    hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => path.join(dir, name));
}

function herdsmanVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/zigbee-herdsman/package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
