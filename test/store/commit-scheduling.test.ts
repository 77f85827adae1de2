// When the group commit runs (issue 13, "durable without waiting"): a change on an idle store
// waits for one fsync, not for a window; commits are never closer together than
// commitIntervalMs (the SD card's fsync bound), and what arrives meanwhile shares one commit;
// a cloud ack does not cost an fsync of its own.
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import t from 'tap';
import { openStore } from '../../daemon/store/index.js';
import { device, recordingLog } from './helpers.js';

/** Resolves with the outbox's seq once a commit made events visible, or undefined after `ms`. */
function nextCommit(store: ReturnType<typeof openStore>, ms: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve(undefined);
    }, ms);
    const off = store.outbox.onAppend((seq) => {
      clearTimeout(timer);
      off();
      resolve(seq);
    });
  });
}

t.test('on an idle store a change commits at once, not after the commit interval', async (t) => {
  // An interval far longer than the wait below: before, a lone change waited the whole interval.
  const store = openStore({ path: join(t.testdir({}), 'hub.db'), log: recordingLog(), commitIntervalMs: 60_000 });
  t.teardown(() => store.close());
  store.devices.upsert(device(1));
  const committed = nextCommit(store, 20_000);
  t.equal(store.commitStats().commits, 0, 'not inside the write itself: later writes of this turn may join');
  t.ok(await committed, 'committed without waiting for the 60 s interval');
  t.equal(store.commitStats().commits, 1);
  t.equal(store.outbox.lastCommittedSeq(), 2, 'device_joined and device_interview');
});

t.test('commits are at least the interval apart; changes that arrive meanwhile share the next one', async (t) => {
  const intervalMs = 300;
  const store = openStore({ path: join(t.testdir({}), 'hub.db'), log: recordingLog(), commitIntervalMs: intervalMs, maxPendingWrites: 1_000_000 });
  t.teardown(() => store.close());
  store.devices.upsert(device(1));
  await store.flush();
  const firstDone = performance.now();
  // A report every turn of the loop for a while, as a busy network delivers them.
  const commitTimes: number[] = [];
  const off = store.outbox.onAppend(() => commitTimes.push(performance.now()));
  t.teardown(off);
  let n = 0;
  while (performance.now() - firstDone < 3 * intervalMs) {
    store.state.apply(device(1).ieee, { counter: n++ });
    await nextTurn();
  }
  await store.flush();
  t.ok(n > 10, `many changes were made (${n})`);
  const commits = store.commitStats().commits - 1;
  // 3 intervals of changes plus the final flush: at most 4 commits (fewer on a slow machine).
  t.ok(commits <= 4, `${n} changes took ${commits} commits`);
  // The listener runs once a commit is durable: after its COMMIT returned and an fsync that
  // started after it (which may wait for the fsync still running) completed. COMMITs start at
  // least intervalMs apart, so two listener calls are at least intervalMs minus the longer
  // COMMIT and two fsyncs (on a busy disk) apart.
  const { commitMsMax, syncMsMax } = store.commitStats();
  const slowest = commitMsMax + 2 * syncMsMax;
  for (let i = 1; i < commitTimes.length; i++) {
    const gap = commitTimes[i]! - commitTimes[i - 1]!;
    t.ok(gap >= intervalMs - slowest - 5, `commit ${i + 1} reported ${Math.round(gap)} ms after the one before (slowest COMMIT ${Math.round(commitMsMax)} ms, fsync ${Math.round(syncMsMax)} ms)`);
  }
});

t.test('an ack rides with the next commit instead of taking an fsync of its own', async (t) => {
  const store = openStore({ path: join(t.testdir({}), 'hub.db'), log: recordingLog(), commitIntervalMs: 1, lazyCommitMs: 60_000 });
  t.teardown(() => store.close());
  store.devices.upsert(device(1));
  await store.flush();
  const commits = store.commitStats().commits;
  store.outbox.ack(2);
  // Far longer than the 1 ms interval: before, the ack committed on its own by now.
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.equal(store.commitStats().commits, commits, 'no commit for the ack alone');
  t.equal(store.commitStats().pendingWrites, 1, 'the ack is queued');
  store.state.apply(device(1).ieee, { on: true });
  await store.flush();
  t.equal(store.commitStats().commits, commits + 1, 'one commit for the ack and the change');
  t.equal(store.outbox.lastAcked(), 2);
});

t.test('flush does not wait for the lazy interval', async (t) => {
  const store = openStore({ path: join(t.testdir({}), 'hub.db'), log: recordingLog(), commitIntervalMs: 1, lazyCommitMs: 60_000 });
  t.teardown(() => store.close());
  store.devices.upsert(device(1));
  await store.flush();
  store.outbox.ack(2);
  await store.flush(); // would time the test out if it waited 60 s
  t.equal(store.commitStats().pendingWrites, 0);
});
