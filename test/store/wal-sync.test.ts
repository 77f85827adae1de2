// Commits are made durable by an fsync of the -wal file on the thread pool, not inside COMMIT
// (daemon/store/wal-sync.ts). What this must keep: nothing is reported committed (to the cloud
// link's reads and listeners, to flush()) before the fsync that covers it has completed; the
// fsync really hits the -wal file; a failing fsync holds events back and says why; a record that
// must be kept before the caller goes on (a new epoch) is synced at once.
import fs from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { openStore } from '../../daemon/store/index.js';
import { heldFsync, tick, until } from './held-fsync.js';
import { committedEvents, recordingLog } from './helpers.js';

const result = (id: number) => ({ kind: 'command_result' as const, commandId: `cmd-${id}`, ok: true });

t.test('an event is readable by the cloud link only after the fsync of its commit completed', async (t) => {
  const path = join(t.testdir({}), 'hub.db');
  const sync = heldFsync();
  const store = openStore({ path, log: recordingLog(), fsyncFile: sync.fsyncFile, commitIntervalMs: 0 });
  t.teardown(() => store.close());
  const announced: number[] = [];
  store.outbox.onAppend((seq) => announced.push(seq));
  let flushed = false;

  store.events.append(result(1));
  void store.flush().then(() => (flushed = true));
  await until(() => sync.held.length === 1, 'the fsync after the COMMIT');

  t.same(committedEvents(path).map((e) => e.seq), [1], 'COMMIT returned: another connection reads the row');
  t.same(store.outbox.readAfter(0, 10), [], 'the cloud link reads nothing yet');
  t.equal(store.outbox.lastCommittedSeq(), 0);
  await tick();
  t.same(announced, [], 'no listener told');
  t.notOk(flushed, 'flush() still waits');
  const walIno = fs.statSync(`${path}-wal`).ino;
  t.equal(fs.fstatSync(sync.calls[0]!).ino, walIno, 'the fsync is of the -wal file');

  // A second commit while the first fsync runs: it waits for an fsync of its own.
  store.events.append(result(2));
  await tick();
  t.equal(sync.held.length, 1, 'one fsync at a time');
  sync.releaseAll();
  await until(() => flushed, 'flush() after the fsync');
  t.same(store.outbox.readAfter(0, 10).map((e) => e.seq), [1], 'the first commit is readable; the second is not yet');
  t.same(announced, [1]);

  await until(() => sync.held.length === 1, 'the fsync covering the second commit');
  sync.releaseAll();
  await until(() => store.outbox.lastCommittedSeq() === 2, 'the second commit durable');
  t.same(store.outbox.readAfter(0, 10).map((e) => e.seq), [1, 2]);
  t.ok(store.commitStats().syncs >= 2, 'fsyncs counted');
});

t.test('a failing fsync holds the events back, is logged once naming the file, and is retried', async (t) => {
  const path = join(t.testdir({}), 'hub.db');
  const sync = heldFsync();
  const log = recordingLog();
  const store = openStore({ path, log, fsyncFile: sync.fsyncFile, commitIntervalMs: 0 });
  t.teardown(() => store.close());
  sync.fail(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));

  store.events.append(result(1));
  await until(() => sync.calls.length >= 2, 'a retry of the failed fsync');
  t.same(store.outbox.readAfter(0, 10), [], 'nothing reported while the fsync fails');
  const errors = log.entries.filter((e) => e.level === 'error');
  t.equal(errors.length, 1, 'logged once, not per try');
  t.match(errors[0], { msg: /cannot make commits durable/, fields: { err: new RegExp(`fsync of .*hub\\.db-wal failed: EIO`) } });

  sync.fail(undefined);
  await until(() => sync.held.length > 0, 'the next try');
  sync.releaseAll();
  await until(() => store.outbox.lastCommittedSeq() === 1, 'durable once the fsync works');
  t.same(store.outbox.readAfter(0, 10).map((e) => e.seq), [1]);
  t.ok(log.entries.some((e) => e.level === 'info' && /durable again/.test(e.msg)), 'the recovery is said');
});

t.test('a record that must be kept before the caller goes on is synced at once, and takes earlier commits with it', async (t) => {
  const path = join(t.testdir({}), 'hub.db');
  const sync = heldFsync();
  const store = openStore({ path, log: recordingLog(), fsyncFile: sync.fsyncFile, commitIntervalMs: 0 });
  t.teardown(() => store.close());
  store.events.append(result(1));
  await until(() => sync.held.length === 1, 'the asynchronous fsync');

  // A new epoch is named in the next Hello: it must be durable when startNewEpoch returns.
  store.outbox.startNewEpoch(10, 'test');
  t.equal(store.outbox.lastCommittedSeq(), 11, 'durable at once, although the asynchronous fsync is still held');
  t.same(store.outbox.readAfter(0, 10).map((e) => e.seq), [1, 11], 'the earlier commit too, in order');

  sync.releaseAll();
  await tick();
  t.equal(store.outbox.lastCommittedSeq(), 11, 'the late fsync changes nothing');
});

t.test('the fsync is of the file SQLite writes, also after the -wal path was replaced', async (t) => {
  // SQLite writes the WAL through the descriptor it opened with the connection: a file put at
  // the path later (a copy restored by hand, a tool's rename) is not where the frames go.
  const path = join(t.testdir({}), 'hub.db');
  const wal = `${path}-wal`;
  const sync = heldFsync();
  const store = openStore({ path, log: recordingLog(), fsyncFile: sync.fsyncFile, commitIntervalMs: 0 });
  t.teardown(() => store.close());
  store.events.append(result(1));
  await until(() => sync.held.length === 1, 'the first fsync');
  sync.releaseAll();
  await until(() => store.outbox.lastCommittedSeq() === 1, 'the first commit durable');
  const sqliteWal = fs.statSync(wal).ino;

  fs.renameSync(wal, `${wal}.moved`);
  fs.writeFileSync(wal, '');
  store.events.append(result(2));
  await until(() => sync.held.length === 1, 'the fsync of the second commit');
  t.equal(fs.fstatSync(sync.calls.at(-1)!).ino, sqliteWal, 'the file SQLite writes, not the one now at the path');
  sync.releaseAll();
  await until(() => store.outbox.lastCommittedSeq() === 2, 'the second commit durable');
  fs.renameSync(`${wal}.moved`, wal);
});
