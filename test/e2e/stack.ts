// The whole product for end-to-end tests: the virtual coordinator and the reference cloud in
// this process, the daemon as a real child process with its own data dir.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DaemonProcess } from '../../scripts/lib/daemon-process.js';
import { startReferenceCloud, type ReferenceCloud } from '../../scripts/reference-cloud/server.js';
import type { CloudEventStore, StoredEvent } from '../../scripts/reference-cloud/event-store.js';
import { startVirtualCoordinator, type VirtualCoordinator } from '../../scripts/virtual-coordinator/coordinator.js';
import { daemonOnFormedStick } from '../zigbee/formed-stick.js';

export const GATEWAY = 'e2e-gateway';

export interface Stack {
  dir: string;
  coordinator: VirtualCoordinator;
  cloud: ReferenceCloud;
  daemon: DaemonProcess;
  /** Starts a new daemon process on the same data dir (after the previous one stopped). */
  restartDaemon(): Promise<DaemonProcess>;
  /** Reads the daemon's SQLite file (read-only, beside the running daemon). */
  query<T>(sql: string, ...params: unknown[]): T[];
  waitForCloud(predicate: (e: StoredEvent) => boolean, timeoutMs?: number): Promise<StoredEvent>;
  stop(): Promise<void>;
}

export function daemonConfig(coordinatorPort: number, cloudPort: number): Record<string, unknown> {
  return {
    data_dir: './data',
    serial: { path: `tcp://127.0.0.1:${coordinatorPort}`, adapter: 'zstack' },
    cloud: { enabled: true, target: `127.0.0.1:${cloudPort}`, insecure: true, gateway_id: GATEWAY },
    log: { level: 'info', format: 'json' },
    // Off unless a test is about it: a LAN API on the default port and mDNS in every test daemon.
    lan: { enabled: false },
  };
}

export interface StackOptions {
  /** Top-level config sections that replace the defaults' (e.g. `{ availability: {...} }`). */
  config?: Record<string, unknown>;
  /** The reference cloud's event store (e.g. one that records every delivery); a fresh one by default. */
  cloudStore?: CloudEventStore;
  /**
   * A factory-fresh stick and no network.json: the daemon's first start generates credentials
   * and forms the network. By default both already hold the test network (3 s faster a start).
   */
  blankStick?: boolean;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zigbee-hubd-e2e-'));
  const formed = options.blankStick ? {} : await daemonOnFormedStick(path.join(dir, 'data'));
  const coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: path.join(dir, 'stick.json'), ...formed });
  const cloud = await startReferenceCloud({ port: 0, ...(options.cloudStore ? { store: options.cloudStore } : {}) });
  const launch = async (): Promise<DaemonProcess> => {
    const daemon = DaemonProcess.start({ dir, config: { ...daemonConfig(coordinator.port, cloud.port), ...options.config } });
    await daemon.ready();
    return daemon;
  };
  let first: DaemonProcess;
  try {
    first = await launch();
  } catch (error) {
    // Left running, the emulator and the cloud would keep the test process alive until tap's timeout.
    await cloud.stop();
    await coordinator.stop();
    throw error;
  }
  const stack: Stack = {
    dir,
    coordinator,
    cloud,
    daemon: first,
    async restartDaemon() {
      stack.daemon = await launch();
      return stack.daemon;
    },
    query<T>(sql: string, ...params: unknown[]): T[] {
      const db = new Database(path.join(dir, 'data', 'hub.db'), { readonly: true, fileMustExist: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    waitForCloud(predicate, timeoutMs = 60_000) {
      return cloud.waitForEvent((e) => e.gatewayId === GATEWAY && predicate(e), timeoutMs);
    },
    async stop() {
      await stack.daemon.stop();
      await cloud.stop();
      await stack.coordinator.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await cloud.waitForConnection(GATEWAY, 30_000);
  return stack;
}

/** Opens permit join from the cloud and joins catalogue devices; resolves when each is interviewed. */
export async function joinDevices(stack: Stack, ids: string[]): Promise<Map<string, string>> {
  const permit = await stack.cloud.sendCommand(GATEWAY, { kind: 'permit_join', seconds: 60 }, 30_000);
  if (!permit.ok) throw new Error(`permit join failed: ${permit.error}`);
  const ieees = new Map<string, string>();
  for (const id of ids) ieees.set(id, stack.coordinator.join(id).ieee);
  for (const ieee of ieees.values()) {
    await stack.waitForCloud((e) => e.event.kind === 'device_interview' && e.event.ieee === ieee && e.event.status === 'successful', 90_000);
  }
  return ieees;
}
