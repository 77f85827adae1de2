import { join } from 'node:path';
import t from 'tap';
import { openStore, StoreError } from '../../daemon/store/index.js';
import { device, rawOpen, recordingLog } from './helpers.js';

const count = (path: string, sql: string) => {
  const db = rawOpen(path);
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

t.test('many writes share one commit; flush resolves when they are all on disk', async (t) => {
  const path = join(t.testdir({}), 'hub.db');
  const store = openStore({ path, log: recordingLog(), commitIntervalMs: 50, maxPendingWrites: 100_000 });
  t.teardown(() => store.close());
  for (let n = 1; n <= 20; n++) store.devices.upsert(device(n));
  for (let i = 0; i < 1000; i++) store.state.apply(device((i % 20) + 1).ieee, { counter: i });
  t.match(store.commitStats(), { commits: 0, pendingWrites: 1020 });
  // Several callers waiting for durability share the same commit.
  await Promise.all([store.flush(), store.flush(), store.flush()]);
  t.match(store.commitStats(), { commits: 1, committedWrites: 1020, pendingWrites: 0 });
  t.equal(count(path, 'SELECT count(*) AS n FROM outbox'), 20 * 2 + 1000, 'another connection sees every event (joined + interview per device, 1000 states)');
  await store.flush(); // nothing queued: resolves without a commit
  t.equal(store.commitStats().commits, 1);
});

t.test('a full group commits early', async (t) => {
  const path = join(t.testdir({}), 'hub.db');
  const store = openStore({ path, log: recordingLog(), commitIntervalMs: 60_000, maxPendingWrites: 100 });
  t.teardown(() => store.close());
  store.devices.upsert(device(1));
  for (let i = 0; i < 250; i++) store.state.apply(device(1).ieee, { counter: i });
  t.match(store.commitStats(), { commits: 2, committedWrites: 200, pendingWrites: 51 });
  t.equal(count(path, 'SELECT count(*) AS n FROM outbox'), 2 + 199, 'the first two groups are on disk');
});

t.test('a failing write undoes only itself; the rest of its group commits', async (t) => {
  const path = join(t.testdir({}), 'hub.db');
  const store = openStore({ path, log: recordingLog() });
  t.teardown(() => store.close());
  store.devices.upsert(device(1));
  store.devices.upsert(device(2));
  store.devices.rename(device(1).ieee, 'Porch');
  t.throws(() => store.devices.rename(device(2).ieee, 'porch'), { code: 'name_taken' });
  store.state.apply(device(2).ieee, { occupancy: true });
  await store.flush();
  t.equal(count(path, `SELECT count(*) AS n FROM outbox WHERE kind = 'device_renamed'`), 1);
  t.equal(count(path, `SELECT count(*) AS n FROM device_state`), 1);
  t.equal(store.devices.get(device(2).ieee)!.name, device(2).ieee);
});

t.test('close commits what is queued; the store refuses writes afterwards', async (t) => {
  const path = join(t.testdir({}), 'hub.db');
  const store = openStore({ path, log: recordingLog(), commitIntervalMs: 60_000 });
  store.devices.upsert(device(1));
  store.state.apply(device(1).ieee, { on: true });
  await store.close();
  t.equal(count(path, 'SELECT count(*) AS n FROM outbox'), 3, 'joined + interview + state_changed');
  t.throws(() => store.state.apply(device(1).ieee, { on: false }), StoreError);
  await store.close(); // idempotent
});

t.test('the database file is in WAL mode', async (t) => {
  const path = join(t.testdir({}), 'hub.db');
  const store = openStore({ path, log: recordingLog() });
  t.teardown(() => store.close());
  const db = rawOpen(path);
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal', 'WAL is persistent in the file');
  db.close();
});

t.test('a failing write that opened its group undoes only itself; the next write opens a new one', async (t) => {
  const path = join(t.testdir({}), 'hub.db');
  const store = openStore({ path, log: recordingLog() });
  t.teardown(() => store.close());
  store.devices.upsert(device(1));
  store.devices.upsert(device(2));
  store.devices.rename(device(1).ieee, 'Porch');
  await store.flush();
  const before = store.commitStats();
  // The first write after a commit opens the transaction (no savepoint of its own).
  t.throws(() => store.devices.rename(device(2).ieee, 'porch'), { code: 'name_taken' });
  await store.flush();
  t.equal(store.commitStats().commits, before.commits, 'nothing left to commit (no empty transaction held open, no empty commit and fsync)');
  store.state.apply(device(2).ieee, { occupancy: true });
  t.throws(() => store.devices.rename(device(2).ieee, 'porch'), { code: 'name_taken' }, 'and one in the middle of a group');
  store.devices.setRoom(device(2).ieee, 'Hall');
  await store.flush();
  t.equal(store.commitStats().committedWrites - before.committedWrites, 2, 'the two writes that worked');
  t.equal(count(path, `SELECT count(*) AS n FROM outbox WHERE kind = 'device_renamed'`), 2, 'the first rename and the room');
  t.equal(count(path, `SELECT count(*) AS n FROM device_state`), 1);
  t.same(store.outbox.readAfter(0, 100).map((e) => e.event.kind).slice(-2), ['state_changed', 'device_renamed']);
  t.equal(store.devices.get(device(2).ieee)!.name, device(2).ieee);
});
