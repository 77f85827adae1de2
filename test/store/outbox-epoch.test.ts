// startNewEpoch: when the cloud has seen seqs this database never committed, the outbox moves to
// a new epoch whose seqs lie above them, keeps every unacknowledged event for re-sending, and
// queues resync_requested - all committed before it returns, and kept across a reopen.
import { join } from 'node:path';
import t from 'tap';
import { openStore } from '../../daemon/store/index.js';
import { committedEvents, recordingLog } from './helpers.js';

const result = (id: number) => ({ kind: 'command_result' as const, commandId: `cmd-${id}`, ok: true });

t.test('a new epoch above the seqs the cloud has seen; nothing unacknowledged is dropped', async (t) => {
  const path = join(t.testdir({}), 'hub.db');
  const store = openStore({ path, log: recordingLog() });
  for (let i = 1; i <= 4; i++) store.events.append(result(i));
  await store.flush();
  store.outbox.ack(1);
  store.events.append(result(5)); // seq 5, not yet committed (the group is still open)
  const oldEpoch = store.outbox.epoch();

  const epoch = store.outbox.startNewEpoch(100, 'the platform had seen seq 100');
  t.not(epoch, oldEpoch, 'a new epoch');
  t.equal(store.outbox.epoch(), epoch);
  t.same(
    committedEvents(path).map((e) => [e.seq, e.event.kind]),
    [[2, 'command_result'], [3, 'command_result'], [4, 'command_result'], [5, 'command_result'], [101, 'resync_requested']],
    'committed at once (seen by another connection); unacknowledged events kept; resync above the floor',
  );
  t.match(committedEvents(path).at(-1)!.event, { kind: 'resync_requested', reason: 'the platform had seen seq 100' });
  t.equal(store.outbox.lastAcked(), 0, 'nothing acknowledged in the new epoch');
  t.equal(store.outbox.lastCommittedSeq(), 101);
  t.same(store.outbox.readAfter(0, 10).map((e) => e.seq), [2, 3, 4, 5, 101], 'all of it readable for sending');
  store.events.append(result(6));
  await store.close();

  const again = openStore({ path, log: recordingLog() });
  t.teardown(() => again.close());
  t.equal(again.outbox.epoch(), epoch, 'the new epoch is the stored one');
  t.equal(again.outbox.lastAcked(), 0);
  t.same(again.outbox.readAfter(0, 10).map((e) => e.seq), [2, 3, 4, 5, 101, 102]);
});
