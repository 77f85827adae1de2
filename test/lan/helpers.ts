// A LAN API on the real store (SQLite in a temp dir), served over real gRPC + TLS on port 0,
// with the hub's command path replaced by a small recording executor (the LAN side is under
// test here; the real executor is driven end to end in lan-daemon.test.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Test } from 'tap';
import type { CommandExecution, CommandExecutor } from '../../daemon/cloud/index.js';
import type { HubCommand } from '../../daemon/domain/events.js';
import { HealthBoard } from '../../daemon/domain/health.js';
import { startLanApi, type RunningLanApi } from '../../daemon/lan/index.js';
import { openStore, type Store } from '../../daemon/store/index.js';
import { adminRequest } from '../../scripts/hubctl/admin-client.js';
import { unaryCall, type Wire } from '../../scripts/hubctl/calls.js';
import { fetchCertificate, pinnedClient } from '../../scripts/hubctl/pinned-client.js';
import type { HubLanClient } from '../../daemon/lan/index.js';
import { recordingLog } from '../store/helpers.js';

export class RecordingExecutor implements CommandExecutor {
  readonly commands: HubCommand[] = [];
  async execute(command: HubCommand): Promise<CommandExecution> {
    this.commands.push(command);
    if (command.kind === 'permit_join') return { ok: true, state: { permit_join: command.seconds > 0, seconds: command.seconds } };
    return { ok: true, ...(command.kind === 'set_state' ? { state: command.state } : {}) };
  }
}

export interface TestLan {
  dir: string;
  store: Store;
  lan: RunningLanApi;
  executor: RecordingExecutor;
  log: ReturnType<typeof recordingLog>;
  address: string;
  /** Test clock for pairing windows and failure limits. */
  advance(ms: number): void;
  openWindow(scope?: string): Promise<{ code: string; fingerprint: string }>;
  /** A gRPC client pinned to the hub's certificate. */
  client(): Promise<HubLanClient>;
  call(method: string, request: Wire, token?: string): Promise<Wire>;
  /** Opens a window and pairs; returns the token. */
  pair(scope?: string, name?: string): Promise<{ token: string; clientId: string }>;
}

export interface TestLanOptions {
  pairingWindowSeconds?: number;
  mdns?: boolean;
  hubId?: string;
  /** Group-commit settings of the store (e.g. a commit every N writes, for bursts); backups. */
  store?: { commitIntervalMs?: number; maxPendingWrites?: number; storageRetryMs?: number; backup?: { dir: string; keep: number } };
  /** The database file, e.g. on a small tmpfs to make commits fail; default hub.db in the test dir. */
  storePath?: string;
  /** The coordinator side of Backup (the daemon's asks herdsman); none by default. */
  coordinatorBackup?: () => Promise<string | undefined>;
}

export async function startTestLan(t: Test, options: TestLanOptions = {}): Promise<TestLan> {
  const dir = t.testdir({});
  const log = recordingLog();
  const store = openStore({ path: options.storePath ?? path.join(dir, 'hub.db'), log, ...options.store });
  const executor = new RecordingExecutor();
  let offset = 0;
  const now = () => Date.now() + offset;
  const lan = await startLanApi({
    dataDir: dir,
    host: '127.0.0.1',
    port: 0,
    // Short: unix socket paths are limited to 107 bytes, tap's fixture paths are longer.
    adminSocket: path.join(shortDir(t), 'admin', 'lan.sock'),
    pairingWindowSeconds: options.pairingWindowSeconds ?? 60,
    mdns: options.mdns ?? false,
    store,
    commands: executor,
    exposes: async () => [],
    ...(options.coordinatorBackup ? { coordinatorBackup: options.coordinatorBackup } : {}),
    health: new HealthBoard(),
    hubInfo: {
      hubId: options.hubId ?? 'test-hub',
      version: '0.0.0-test',
      libraries: { herdsman: 'x', converters: 'y' },
      coordinator: { path: 'tcp://127.0.0.1:1', adapter: 'zstack' },
      networkParameters: async () => ({ channel: 15, panId: 0x1a62, extendedPanId: '0x00124b0001020304' }),
      cloudState: () => undefined,
      outboxEvents: () => store.outbox.stats().events,
      devices: () => store.devices.list(),
      startedAt: Date.now(),
    },
    log: { ...log, debug: () => undefined },
    now,
  });
  const address = `127.0.0.1:${lan.port}`;
  const clients: HubLanClient[] = [];
  t.teardown(async () => {
    for (const c of clients) c.close();
    await lan.stop();
    await store.close();
  });
  let pinned: HubLanClient | undefined;
  const testLan: TestLan = {
    dir,
    store,
    lan,
    executor,
    log,
    address,
    advance: (ms) => void (offset += ms),
    async openWindow(scope = 'control') {
      const reply = await adminRequest(lan.adminSocket, { cmd: 'pair', scope });
      return { code: reply['code'], fingerprint: reply['fingerprint'] };
    },
    async client() {
      const certificate = await fetchCertificate(address);
      const client = pinnedClient(address, { certificate: certificate.pem, fingerprint: lan.fingerprint });
      clients.push(client);
      return client;
    },
    async call(method, request, token) {
      pinned ??= await testLan.client();
      return unaryCall(pinned, method, request, token);
    },
    async pair(scope = 'control', name = 'test client') {
      const { code } = await testLan.openWindow(scope);
      const reply = await testLan.call('Pair', { code, client_name: name });
      return { token: reply['token'], clientId: reply['client_id'] };
    },
  };
  return testLan;
}

function shortDir(t: Test): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zlan-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every byte of the database files (main, WAL), to search for secrets. */
export function databaseBytes(dir: string): Buffer {
  return Buffer.concat(
    fs
      .readdirSync(dir)
      .filter((f) => f.startsWith('hub.db'))
      .map((f) => fs.readFileSync(path.join(dir, f))),
  );
}
