// A full disk under a running store, on a real (small) tmpfs: the trouble is loud once per
// episode (a log line and a health report per state change, not per commit), the events that
// must not be lost (command results, health changes) are held and stored once space returns,
// and what could not be kept is counted and announced with a gap event.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { HealthBoard, type ComponentHealth } from '../../daemon/domain/health.js';
import { openStore } from '../../daemon/store/index.js';
import { describeStorageError } from '../../daemon/store/storage-trouble.js';
import { mountSmallDisk } from '../e2e/start-failure.js';
import { committedEvents, device, rawOpen, recordingLog } from './helpers.js';

const dir = t.testdir({});
const disk = mountSmallDisk(path.join(dir, 'disk'), 4 * 1024);
const skip = disk ? false : 'mounting a tmpfs is not allowed here (needs CAP_SYS_ADMIN)';

t.test('a disk that fills up while reports arrive, then gets space again', { skip }, async (t) => {
  if (!disk) return;
  t.teardown(() => disk.unmount());
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
