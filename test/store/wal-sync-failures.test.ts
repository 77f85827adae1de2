// What happens to commits staged for their fsync (wal-sync.ts) when an fsync fails while
// something else needs them settled: a lost transaction, the storage-trouble recovery, close().
// The synchronous fsync (fs.fsyncSync, used by commitNow/commitDurable/close and by the rollback
// paths) is made to fail by replacing it for a moment; the asynchronous one is held (fsyncFile).
// Real SQLite files; the commit is made to fail for real with a deferred foreign key.
import fs from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t, { type Test } from 'tap';
import type { HubEvent } from '../../daemon/domain/events.js';
import { openStore, type RolledBackSeqs } from '../../daemon/store/index.js';
import { DEFAULT_OUTBOX_BOUNDS, TelemetryShedder } from '../../daemon/store/outbox-bounds.js';
import { OutboxStaging } from '../../daemon/store/outbox-staging.js';
import { ensureEpoch, Outbox } from '../../daemon/store/outbox.js';
import { StorageTrouble } from '../../daemon/store/storage-trouble.js';
import { walFileSync } from '../../daemon/store/wal-sync.js';
import { WriteBatch } from '../../daemon/store/write-batch.js';
import { commitHooks } from '../../daemon/store/commit-hooks.js';
import { heldFsync, tick, until } from './held-fsync.js';
import { FakeClock, recordingLog } from './helpers.js';

const result = (id: string): HubEvent => ({ kind: 'command_result', commandId: id, ok: true });

/** fs.fsyncSync fails with EIO until the returned function is called (restored at teardown too). */
function failSyncFsync(t: Test): () => void {
  const mutable = fs as { fsyncSync: typeof fs.fsyncSync };
  const real = mutable.fsyncSync;
  mutable.fsyncSync = () => {
    throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
  };
  const restore = () => {
    mutable.fsyncSync = real;
  };
  t.teardown(restore);
  return restore;
}

/** A store wired as open-store.ts wires it (outbox and its staging, storage trouble, WAL sync), on a real file. */
async function wired(t: Test) {
  const path = join(t.testdir({}), 'hub.db');
  await openStore({ path, log: recordingLog() }).close(); // the real schema
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  const log = recordingLog();
  const clock = new FakeClock();
  const sync = heldFsync();
  const staging = new OutboxStaging(log);
  const hooks = commitHooks(staging, () => ({ outbox, trouble }));
  const batch = new WriteBatch(db, hooks, log, 60_000, 1000, 60_000, walFileSync(path, sync.fsyncFile));
  const outbox: Outbox = new Outbox(db, batch, staging, new TelemetryShedder(db, DEFAULT_OUTBOX_BOUNDS), () => clock.now(), log, ensureEpoch(db, 1));
  const trouble: StorageTrouble = new StorageTrouble(
    path,
    {
      writeRecovery: (events, marker) => {
        batch.run(() => {
          db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('store.last_storage_trouble', ?, 1)
                      ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(marker);
          for (const event of events) outbox.insert(event);
        });
        if (!batch.commit()) return false;
        return batch.commitDurable() ? true : 'not-durable';
      },
    },
    clock,
    log,
    undefined,
    1000,
  );
  t.teardown(() => {
    sync.releaseAll();
    trouble.close();
    db.close();
  });
  /** One write whose deferred foreign key makes the next COMMIT fail. */
  const poison = () =>
    batch.run(() => {
      db.pragma('defer_foreign_keys = ON');
      db.prepare(`INSERT INTO device_state (ieee, key, value, updated_at) VALUES ('0xmissing', 'on', 'true', 1)`).run();
    });
  return { db, batch, outbox, trouble, clock, sync, log, poison };
}

t.test('a lost transaction does not revoke seqs of an earlier commit that is staged and kept', async (t) => {
  const { batch, outbox, sync, poison } = await wired(t);
  const lost: RolledBackSeqs[] = [];
  outbox.onRollback((seqs) => lost.push(seqs));
  outbox.onUncommittedAppend(() => {}); // a LAN watcher: seqs are handed out before COMMIT

  outbox.append(result('kept'));
  t.ok(batch.commit(), 'seq 1 committed (staged: its fsync is held)');
  t.equal(sync.held.length, 1);

  const restore = failSyncFsync(t);
  outbox.append(result('lost'));
  poison();
  t.notOk(batch.commit(), 'the next commit fails; the staged commit cannot be synced first');
  restore();

  t.same(lost.map((l) => [l.fromSeq, l.toSeq]), [[2, 2]], 'only seq 2 went with the transaction; seq 1 was committed and stays');

  sync.releaseAll();
  await until(() => outbox.lastCommittedSeq() === 1, 'the held fsync');
  t.same(outbox.readAfter(0, 10).map((e) => e.seq), [1], 'seq 1 does reach the cloud link: it was not lost');
});

t.test('storage recovery whose COMMIT works but whose fsync fails stores its gap event once', async (t) => {
  const { batch, outbox, clock, poison } = await wired(t);
  // Trouble: a transaction with telemetry (counted lost, announced later by a gap) and a result (held).
  outbox.append({ kind: 'state_changed', ieee: '0x00158d0000000001', state: { on: true }, changed: ['on'] } as HubEvent);
  outbox.append(result('held'));
  poison();
  t.notOk(batch.commit(), 'the commit fails: storage trouble');

  // The retry's COMMIT works, its fsync does not.
  const restore = failSyncFsync(t);
  await clock.advance(1000);
  restore();
  // The next retry, the fsync works again.
  await clock.advance(1000);
  await clock.advance(1000);
  t.ok(batch.commitDurable());

  const kinds = outbox.readAfter(0, 100).map((e) => (e.event.kind === 'command_result' ? `result:${e.event.commandId}` : e.event.kind));
  t.same(kinds.filter((k) => k === 'gap').length, 1, `one gap event for the lost telemetry (stored: ${kinds.join(', ')})`);
  t.same(kinds.filter((k) => k === 'result:held').length, 1, 'the held result stored once');
});

t.test('close() while the last commits cannot be made durable settles flush() instead of leaving it waiting', async (t) => {
  const dir = t.testdir({});
  const path = join(dir, 'hub.db');
  const sync = heldFsync();
  const store = openStore({ path, log: recordingLog(), fsyncFile: sync.fsyncFile, commitIntervalMs: 0, backup: { dir: join(dir, 'backups'), keep: 2 } });
  store.events.append(result('a'));
  let settled: 'resolved' | 'rejected' | undefined;
  store.flush().then(
    () => (settled = 'resolved'),
    () => (settled = 'rejected'),
  );
  await until(() => sync.held.length === 1, 'the asynchronous fsync');

  const restore = failSyncFsync(t);
  let closed = false;
  const closing = store.close().then(
    () => (closed = true),
    () => (closed = true),
  );
  for (let i = 0; i < 25 && !(closed && settled); i++) await tick();
  restore();
  t.equal(settled, 'rejected', 'flush() is told the commit is not known to be durable');
  t.ok(closed, 'close() (with a backup at close, which flushes first) finishes');
  sync.releaseAll();
  if (closed) await closing;
});

t.test('shedding is not visible to the cloud link before the gap event announcing it is durable', async (t) => {
  const path = join(t.testdir({}), 'hub.db');
  const sync = heldFsync();
  const store = openStore({ path, log: recordingLog(), fsyncFile: sync.fsyncFile, commitIntervalMs: 0, outboxBounds: { maxEvents: 10, shedToFraction: 0.5 } });
  t.teardown(async () => {
    sync.releaseAll();
    await store.close();
  });
  const telemetry = (n: number): HubEvent => ({ kind: 'state_changed', ieee: '0x00158d0000000001', state: { counter: n }, changed: ['counter'] });
  for (let i = 1; i <= 10; i++) store.events.append(telemetry(i));
  const flushed = store.flush();
  await until(() => sync.held.length === 1, 'the fsync of the first ten');
  sync.releaseAll();
  await flushed;
  t.equal(store.outbox.lastCommittedSeq(), 10, 'ten telemetry events durable; the cloud link is away');

  // The eleventh crosses the bound: its commit deletes the oldest telemetry and adds a gap event.
  store.events.append(telemetry(11));
  await until(() => store.commitStats().commits === 2, 'the shedding commit');
  await tick();
  // The cloud link comes back now. If a power cut took the shedding commit, the deleted rows
  // would be back and the gap gone: the cloud must not have been shown the deletion alone.
  const read = store.outbox.readAfter(0, 100);
  const seqs = read.map((e) => e.seq);
  t.ok(seqs[0] === 1 || read.some((e) => e.event.kind === 'gap'), `what the cloud reads skips no seq without a durable gap event (read ${seqs.join(',')})`);
});
