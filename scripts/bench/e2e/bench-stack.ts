// The whole product for the end-to-end benchmark: the virtual coordinator and the reference
// cloud in this process, the daemon as a real child process (as systemd runs it), so the
// daemon has its own event loop and core and its CPU and memory can be read from /proc.
// In-process (startDaemon) would put the emulator, the cloud and the daemon on one event loop
// and measure their sum, not the daemon.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DaemonProcess } from '../../lib/daemon-process.js';
import { startReferenceCloud, type ReferenceCloud } from '../../reference-cloud/server.js';
import { startVirtualCoordinator, type VirtualCoordinator } from '../../virtual-coordinator/coordinator.js';
import { ArrivalCountingStore } from './cloud-arrivals.js';

export const GATEWAY = 'bench-gateway';

export interface BenchStackOptions {
  /** Daemon log level; 'info' is what a gateway runs with. */
  logLevel?: string;
  /** store.commit_interval_ms; the daemon's default when absent. */
  commitIntervalMs?: number;
  /** Folder for the daemon's V8 CPU profile (node --cpu-prof); no profile when absent. */
  cpuProfileDir?: string;
  /** The daemon's lan section; the LAN API is off when absent. */
  lan?: Record<string, unknown>;
}

export class BenchStack {
  daemon!: DaemonProcess;
  private constructor(
    readonly dir: string,
    readonly coordinator: VirtualCoordinator,
    readonly cloud: ReferenceCloud,
    readonly arrivals: ArrivalCountingStore,
    private readonly options: BenchStackOptions,
  ) {}

  static async start(options: BenchStackOptions = {}): Promise<BenchStack> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zigbee-hubd-bench-'));
    const coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: path.join(dir, 'stick.json') });
    const arrivals = new ArrivalCountingStore();
    const cloud = await startReferenceCloud({ port: 0, store: arrivals });
    const stack = new BenchStack(dir, coordinator, cloud, arrivals, options);
    await stack.startDaemon();
    return stack;
  }

  /** Starts a daemon process on the data dir (a new one after the previous stopped). */
  async startDaemon(withProfile = false): Promise<DaemonProcess> {
    const { logLevel, commitIntervalMs, cpuProfileDir } = this.options;
    const config = {
      data_dir: './data',
      serial: { path: `tcp://127.0.0.1:${this.coordinator.port}`, adapter: 'zstack' },
      cloud: { enabled: true, target: `127.0.0.1:${this.cloud.port}`, insecure: true, gateway_id: GATEWAY },
      log: { level: logLevel ?? 'info', format: 'json' },
      lan: this.options.lan ?? { enabled: false },
      ...(commitIntervalMs !== undefined ? { store: { commit_interval_ms: commitIntervalMs } } : {}),
    };
    const nodeArgs = withProfile && cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [];
    this.daemon = DaemonProcess.start({ dir: this.dir, config, nodeArgs });
    await this.daemon.ready();
    await this.cloud.waitForConnection(GATEWAY, 30_000);
    return this.daemon;
  }

  /** Opens permit join from the cloud, joins catalogue devices; resolves with their addresses once interviewed. */
  async join(ids: string[]): Promise<string[]> {
    const permit = await this.cloud.sendCommand(GATEWAY, { kind: 'permit_join', seconds: 120 }, 30_000);
    if (!permit.ok) throw new Error(`permit join failed: ${permit.error}`);
    const ieees: string[] = [];
    for (const id of ids) {
      ieees.push(this.coordinator.join(id).ieee);
      // One at a time, as a pairing session goes: a burst of interviews is not what we measure.
      const ieee = ieees.at(-1)!;
      await this.cloud.waitForEvent(
        (e) => e.gatewayId === GATEWAY && e.event.kind === 'device_interview' && e.event.ieee === ieee && e.event.status === 'successful',
        90_000,
      );
    }
    await this.cloud.sendCommand(GATEWAY, { kind: 'permit_join', seconds: 0 }, 30_000);
    return ieees;
  }

  /** Reads the daemon's SQLite file through a read-only connection beside the running daemon. */
  query<T>(sql: string): T[] {
    const db = new Database(path.join(this.dir, 'data', 'hub.db'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  }

  /** Highest outbox seq handed out and committed (the outbox deletes acked rows; the sequence stays). */
  lastCommittedSeq(): number {
    return this.query<{ seq: number }>(`SELECT seq FROM sqlite_sequence WHERE name = 'outbox'`)[0]?.seq ?? 0;
  }

  async stop(): Promise<void> {
    await this.daemon?.stop();
    await this.cloud.stop();
    await this.coordinator.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
