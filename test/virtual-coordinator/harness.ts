// Test harness: a virtual coordinator plus a real zigbee-herdsman Controller talking to it
// over loopback TCP. Reused by the daemon's end-to-end tests.
import { once, type EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Controller, setLogger } from 'zigbee-herdsman';
import {
  startVirtualCoordinator,
  type VirtualCoordinator,
  type VirtualCoordinatorOptions,
} from '../../scripts/virtual-coordinator/coordinator.js';
import { formedStickNv } from '../zigbee/formed-stick.js';

export const TEST_NETWORK = {
  panID: 0x1a62,
  extendedPanID: [0xdd, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77],
  channelList: [11],
  networkKey: [0x01, 0x03, 0x05, 0x07, 0x09, 0x0b, 0x0d, 0x0f, 0x00, 0x02, 0x04, 0x06, 0x08, 0x0a, 0x0c, 0x0e],
};

export type HerdsmanNetwork = typeof TEST_NETWORK;

let loggerInstalled = false;
/** Keep herdsman quiet unless VC_DEBUG=1 (then everything goes to stderr). */
export function installHerdsmanLogger(): void {
  if (loggerInstalled) return;
  loggerInstalled = true;
  const debug = process.env.VC_DEBUG === '1';
  const write = (level: string) => (msg: string | (() => string), ns: string) => {
    if (debug) process.stderr.write(`${new Date().toISOString().slice(11, 23)} ${level} ${ns}: ${typeof msg === 'function' ? msg() : msg}\n`);
  };
  setLogger({ debug: write('debug'), info: write('info'), warning: write('warn'), error: write('error') });
}

export function createController(port: number, dir: string, network: HerdsmanNetwork = TEST_NETWORK): Controller {
  installHerdsmanLogger();
  return new Controller({
    network: { ...network, extendedPanID: [...network.extendedPanID], channelList: [...network.channelList], networkKey: [...network.networkKey] },
    serialPort: { path: `tcp://127.0.0.1:${port}`, adapter: 'zstack' },
    databasePath: path.join(dir, 'database.db'),
    databaseBackupPath: path.join(dir, 'database.db.backup'),
    backupPath: path.join(dir, 'coordinator_backup.json'),
    adapter: { disableLED: false },
    acceptJoiningDeviceHandler: async () => true,
  });
}

/**
 * herdsman's Z-Stack adapter debounces route discovery for announcing end devices with a
 * 60 s timer it never clears, which keeps a finished test process alive for a minute.
 * Clear those timers once the controller is stopped (test-only reach into a private field).
 */
export function clearHerdsmanDebouncers(controller: Controller): void {
  const adapter = (controller as unknown as { adapter?: { deviceAnnounceRouteDiscoveryDebouncers?: Map<number, { clear(): void }> } }).adapter;
  for (const debouncer of adapter?.deviceAnnounceRouteDiscoveryDebouncers?.values() ?? []) debouncer.clear();
}

export interface Harness {
  coordinator: VirtualCoordinator;
  controller: Controller;
  /** What herdsman's start() returned: 'reset' | 'resumed' | 'restored'. */
  startResult: string;
  dir: string;
  /** Stop the controller (if running) and the emulator. Safe to call twice. */
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /**
   * Directory for herdsman's database and backup. Default: a fresh temp dir removed by stop().
   * (tap's t.testdir() is removed before teardowns run, too early for herdsman's last save.)
   */
  dir?: string;
  coordinator?: VirtualCoordinatorOptions;
  network?: HerdsmanNetwork;
  /**
   * Start from a factory-fresh stick, so herdsman forms the network ('reset', 3 s slower). By
   * default (and unless `coordinator.ieee` names a blank stick) the stick already holds it.
   */
  blankStick?: boolean;
}

export function makeTempDir(prefix = 'vc-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? makeTempDir();
  const removeOwnDir = () => ownDir && fs.rmSync(dir, { recursive: true, force: true });
  const network = options.network ?? TEST_NETWORK;
  const blank = options.blankStick === true || options.coordinator?.ieee !== undefined;
  const formed = blank
    ? {}
    : { initialNv: await formedStickNv({ panId: network.panID, extendedPanId: network.extendedPanID, networkKey: network.networkKey, channel: network.channelList[0]! }) };
  const coordinator = await startVirtualCoordinator({ ...formed, ...options.coordinator });
  const controller = createController(coordinator.port, dir, network);
  let startResult: string;
  try {
    startResult = await controller.start();
  } catch (error) {
    await coordinator.stop();
    removeOwnDir();
    throw error;
  }
  let stopped = false;
  return {
    coordinator,
    controller,
    startResult,
    dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await controller.stop();
      } finally {
        clearHerdsmanDebouncers(controller);
        await coordinator.stop();
        removeOwnDir();
      }
    },
  };
}

/** Resolve with the first event whose arguments pass `accept`; reject after `timeoutMs`. */
export async function waitForEvent<T extends unknown[]>(
  emitter: EventEmitter,
  event: string,
  accept: (...args: T) => boolean = () => true,
  timeoutMs = 30_000,
): Promise<T> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  try {
    for (;;) {
      const args = (await once(emitter, event, { signal: ac.signal })) as T;
      if (accept(...args)) return args;
    }
  } catch (error) {
    if (ac.signal.aborted) throw new Error(`timed out after ${timeoutMs} ms waiting for '${event}'`, { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
