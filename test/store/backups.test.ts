import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import t, { type Test } from 'tap';
import { openStore } from '../../daemon/store/index.js';
import { device, FakeClock, rawOpen, recordingLog } from './helpers.js';

const DAY = 24 * 3600_000;

function setup(t: Test, keep = 3, onClose = true) {
  const dir = t.testdir({});
  const path = join(dir, 'data', 'hub.db');
  const backupDir = join(dir, 'backups');
  const clock = new FakeClock(Date.UTC(2026, 2, 10, 3, 0, 0));
  const store = openStore({ path, clock, log: recordingLog(), backup: { dir: backupDir, keep, onClose } });
  t.teardown(() => store.close());
  return { path, backupDir, clock, store };
}

const files = (dir: string) => readdirSync(dir).sort();

t.test('a backup is a valid database with the same devices, state and outbox', async (t) => {
  const { backupDir, store } = setup(t);
  for (let n = 1; n <= 5; n++) store.devices.upsert(device(n));
  store.devices.rename(device(3).ieee, 'Garage door');
  store.state.apply(device(3).ieee, { contact: false }); // queued, not yet committed: the backup must include it
  const path = await store.backupNow();
  t.equal(join(backupDir, basename(path)), path);

  const db = rawOpen(path);
  t.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  t.equal(db.pragma('journal_mode', { simple: true }), 'delete', 'self-contained file, no -wal needed');
  db.close();
  const copy = openStore({ path, log: recordingLog() });
  t.same(copy.devices.list(), store.devices.list());
  t.same(copy.state.get(device(3).ieee), { contact: false });
  t.equal(copy.outbox.stats().lastSeq, store.outbox.stats().lastSeq);
  t.not(copy.outbox.epoch(), store.outbox.epoch(), 'a restored backup is a new seq sequence for the cloud');
  await copy.close();
});

t.test('first backup at open, then daily on the clock, rotated to keep N', async (t) => {
  const { backupDir, clock, store } = setup(t, 3);
  store.devices.upsert(device(1));
  await clock.advance(0); // no backup yet: one is due at once
  t.same(files(backupDir), ['hub.db.20260310T030000-000Z.bak']);
  await clock.advance(DAY - 1);
  t.equal(files(backupDir).length, 1, 'not before a day has passed');
  await clock.advance(1);
  for (let day = 0; day < 4; day++) await clock.advance(DAY);
  t.same(files(backupDir), ['hub.db.20260313T030000-000Z.bak', 'hub.db.20260314T030000-000Z.bak', 'hub.db.20260315T030000-000Z.bak']);
  t.equal(clock.pendingTimers(), 1, 'next one scheduled');
});

t.test('after a restart the schedule continues from the newest backup', async (t) => {
  const { path, backupDir, clock, store } = setup(t, 5, false);
  await clock.advance(0);
  await clock.advance(6 * 3600_000);
  await store.close();
  t.equal(files(backupDir).length, 1);

  const again = openStore({ path, clock, log: recordingLog(), backup: { dir: backupDir, keep: 5, onClose: false } });
  t.teardown(() => again.close());
  await clock.advance(DAY - 6 * 3600_000 - 1);
  t.equal(files(backupDir).length, 1, 'not due yet: the newest is less than a day old');
  await clock.advance(1);
  t.equal(files(backupDir).length, 2);
});

t.test('close takes a backup; no temporary files are left', async (t) => {
  const { backupDir, clock, store } = setup(t, 3);
  await clock.advance(0);
  await clock.advance(60_000);
  store.devices.upsert(device(9));
  await store.close();
  const names = files(backupDir);
  t.equal(names.length, 2);
  t.notOk(names.some((n) => n.endsWith('.tmp')));
  const db = rawOpen(join(backupDir, names.at(-1)!));
  t.equal((db.prepare('SELECT count(*) AS n FROM devices').get() as { n: number }).n, 1, 'the close backup has the last change');
  db.close();
});
