// A full disk under a running store, on a real (small) tmpfs: the trouble is loud once per
// episode (a log line and a health report per state change, not per commit), the events that
// must not be lost (command results, health changes) are held and stored once space returns,
// and what could not be kept is counted and announced with a gap event.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { HealthBoard, type ComponentHealth } from '../../daemon/domain/health.js';
import { openStore } from '../../daemon/store/index.js';
import { describeStorageError } from '../../daemon/store/storage-trouble.js';
import { mountSmallDisk } from '../e2e/start-failure.js';
import { committedEvents, device, rawOpen, recordingLog } from './helpers.js';

// Not t.testdir: its removal would run before the unmounts below.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-trouble-'));
const disk = mountSmallDisk(path.join(dir, 'disk'), 4 * 1024);
const skip = disk ? false : 'mounting a tmpfs is not allowed here (needs CAP_SYS_ADMIN)';

t.test('a disk that fills up while reports arrive, then gets space again', { skip }, async (t) => {
  if (!disk) return;
  const dbPath = path.join(dir, 'disk', 'hub.db');
  const log = recordingLog();
  const health = new HealthBoard();
  const changes: ComponentHealth[] = [];
  health.on('changed', (change) => changes.push(change));
  const store = openStore({ path: dbPath, log, commitIntervalMs: 1, health, storageRetryMs: 50 });
  t.teardown(() => store.close().catch(() => undefined));
  const sensor = device(1);
  store.devices.upsert(sensor);
  await store.flush();

  disk.fill();
  let failedFlushes = 0;
  let reports = 0;
  for (let i = 0; i < 100; i++) {
    store.state.apply(sensor.ieee, { temperature: i, padding: 'x'.repeat(2000) });
    reports++;
    if (i === 50) store.events.append({ kind: 'command_result', commandId: 'c-during-full', ok: false, error: 'whatever' });
    await store.flush().catch(() => failedFlushes++);
  }
  t.ok(failedFlushes >= 90, `commits fail on the full disk (${failedFlushes} of 100)`);
  const errors = log.entries.filter((e) => e.level === 'error' || e.level === 'warn');
  t.equal(errors.length, 1, `one log line for the whole episode, not one per commit: ${JSON.stringify(errors.map((e) => e.msg))}`);
  t.match(errors[0]?.msg ?? '', /disk .*full/i, 'the line says the disk is full');
  t.match(JSON.stringify(errors[0]?.fields), dbPath, 'and names the database');
  t.match(health.get('store'), { status: 'bad', reason: /full/ }, 'health: store bad, saying why');
  t.equal(changes.length, 1, 'reported once');
  t.match(store.storageProblem(), /full/, 'the store says what is wrong (for command refusals)');

  disk.free();
  await waitFor(() => health.get('store')?.status === 'ok');
  t.equal(changes.length, 2, 'health back to ok, once');
  t.ok(log.entries.some((e) => e.level === 'warn' && /work again/.test(e.msg)), 'a line says storage works again');
  t.equal(store.storageProblem(), undefined);

  const events = committedEvents(dbPath).map((e) => e.event);
  t.ok(
    events.some((e) => e.kind === 'command_result' && e.commandId === 'c-during-full'),
    'the command result written while the disk was full is stored once space returned',
  );
  const gap = events.find((e) => e.kind === 'gap');
  t.match(gap, { kind: 'gap', reason: /could not be stored.*full/ }, 'a gap event announces what was lost');
  const lostReports = reports - events.filter((e) => e.kind === 'state_changed').length;
  t.equal(gap?.kind === 'gap' ? gap.dropped : -1, lostReports, `it counts every lost report (${lostReports})`);

  store.state.apply(sensor.ieee, { temperature: 1000 });
  await store.flush();
  t.equal(store.state.get(sensor.ieee)?.temperature, 1000, 'writes work again');
  const check = rawOpen(dbPath);
  t.equal(check.pragma('integrity_check', { simple: true }), 'ok', 'the database is intact');
  check.close();
  await store.close();
  t.notOk(fs.existsSync(path.join(dir, 'disk', 'filler')));
});

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * An ext4 image on a loop device, mounted errors=remount-ro: trigger() makes ext4 record an
 * error, so the filesystem turns read-only under the open database, as an SD card's does.
 * Undefined where loop devices or mounting are not allowed.
 */
function mountFailingExt4(dir: string): { trigger(): void; unmount(): void } | undefined {
  const image = path.join(dir, 'ext4.img');
  const mountPoint = path.join(dir, 'ext4');
  fs.mkdirSync(mountPoint, { recursive: true });
  const run = (cmd: string, ...args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });
  if (run('truncate', '-s', '16M', image).status !== 0 || run('mkfs.ext4', '-q', '-F', image).status !== 0) return undefined;
  const loop = run('losetup', '-f', '--show', image);
  if (loop.status !== 0) return undefined;
  const device = loop.stdout.trim();
  const trigger = `/sys/fs/ext4/${path.basename(device)}/trigger_fs_error`;
  if (run('mount', '-o', 'errors=remount-ro', device, mountPoint).status !== 0 || !fs.existsSync(trigger)) {
    run('umount', mountPoint);
    run('losetup', '-d', device);
    return undefined;
  }
  return {
    trigger: () => fs.writeFileSync(trigger, 'zigbee-hubd test: simulated card failure'),
    unmount() {
      if (run('umount', mountPoint).status !== 0) run('umount', '-l', mountPoint);
      run('losetup', '-d', device);
    },
  };
}

const ext4 = mountFailingExt4(dir);
t.teardown(() => {
  disk?.unmount();
  ext4?.unmount();
  fs.rmSync(dir, { recursive: true, force: true });
});
t.test('the filesystem turns read-only under a running store', { skip: ext4 ? false : 'no loop device or mount here (needs CAP_SYS_ADMIN)' }, async (t) => {
  if (!ext4) return;
  const dbPath = path.join(dir, 'ext4', 'hub.db');
  const log = recordingLog();
  const health = new HealthBoard();
  const store = openStore({ path: dbPath, log, commitIntervalMs: 1, health, storageRetryMs: 50 });
  let closed = false;
  t.teardown(() => (closed ? undefined : store.close().catch(() => undefined)));
  const sensor = device(1);
  store.devices.upsert(sensor);
  await store.flush();

  ext4.trigger();
  for (let i = 0; i < 20; i++) {
    store.state.apply(sensor.ieee, { temperature: i });
    if (i === 10) store.events.append({ kind: 'command_result', commandId: 'c-ro', ok: true });
    await t.rejects(store.flush(), { code: 'commit_failed' });
  }
  await new Promise((resolve) => setTimeout(resolve, 300)); // a few retries
  const loud = log.entries.filter((e) => e.level === 'error' || e.level === 'warn');
  t.equal(loud.length, 1, `one log line: ${JSON.stringify(loud.map((e) => e.msg))}`);
  t.match(loud[0]?.msg ?? '', /hub\.db is on a read-only filesystem/, 'saying read-only, not only "disk I/O error"');
  t.match(health.get('store'), { status: 'bad', reason: /read-only/ });
  t.match(store.storageProblem(), /read-only/);
  closed = true;
  await t.rejects(store.close(), { code: 'commit_failed', message: /store closed while storage was failing: 21 events .*could not be stored \(.*read-only/ }, 'close says what was lost');
});

t.test('refused writes are named the way a person would look for them', async (t) => {
  const sqlite = (code: string, message: string) => Object.assign(new Error(message), { code });
  const wrapped = (cause: Error) => new Error('commit failed', { cause });
  const db = '/var/lib/zigbee-hubd/hub.db';
  t.equal(describeStorageError(wrapped(sqlite('SQLITE_FULL', 'database or disk is full')), db), `the disk holding ${db} is full`);
  t.equal(describeStorageError(sqlite('SQLITE_READONLY_DBMOVED', 'attempt to write a readonly database'), db), `${db} is on a read-only filesystem or not writable`);
  t.equal(describeStorageError(wrapped(sqlite('EROFS', 'read-only file system')), db), `${db} is on a read-only filesystem or not writable`);
  t.match(describeStorageError(sqlite('SQLITE_IOERR_WRITE', 'disk I/O error'), db), /^I\/O error writing .*hub\.db/);
  t.equal(describeStorageError(new Error('something else'), db), `writing ${db} failed: something else`);
});
