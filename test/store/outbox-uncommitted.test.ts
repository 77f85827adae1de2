// The outbox's seam for consumers that may see a change before it is durable (LAN watchers):
// each write's events are handed out when the write returns, before COMMIT; readers of
// durable events (the cloud link) still see them only after it. A lost commit is reported with
// the seqs that were handed out, and those seqs are never given to other events. The commit is
// made to fail for real: a foreign key checked only at COMMIT (deferred).
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import type { SequencedEvent } from '../../daemon/domain/events.js';
import { openStore, type RolledBackSeqs } from '../../daemon/store/index.js';
import { DEFAULT_OUTBOX_BOUNDS, TelemetryShedder } from '../../daemon/store/outbox-bounds.js';
import { OutboxStaging } from '../../daemon/store/outbox-staging.js';
import { ensureEpoch, Outbox } from '../../daemon/store/outbox.js';
import { WriteBatch, type WriteBatchHooks } from '../../daemon/store/write-batch.js';
import { recordingLog } from './helpers.js';

t.test('events are handed out before COMMIT; a lost commit names them and their seqs stay unused', async (t) => {
  const path = join(t.testdir({}), 'hub.db');
  await openStore({ path, log: recordingLog() }).close(); // the real schema
  const db = new Database(path);
  t.teardown(() => db.close());
  db.pragma('foreign_keys = ON');
  const log = recordingLog();
  // Wired as open-store.ts wires it.
  const hooks: WriteBatchHooks = {
    beforeCommit: () => {},
    afterCommit: () => staging.committed(),
    afterRollback: (error) => {
      staging.takeUncommitted();
      outbox.reload();
      staging.rolledBack(error);
    },
    afterWrite: () => staging.handOutUncommitted(),
    writeMark: () => staging.uncommittedMark(),
    writeUndone: (mark) => staging.forgetUncommittedAfter(mark),
  };
  const staging = new OutboxStaging(log);
  const batch = new WriteBatch(db, hooks, log, 60_000, 1000);
  const outbox: Outbox = new Outbox(db, batch, staging, new TelemetryShedder(db, DEFAULT_OUTBOX_BOUNDS), () => 1, log, ensureEpoch(db, 1));
  const handedOut: SequencedEvent[][] = [];
  const lost: RolledBackSeqs[] = [];
  outbox.onUncommittedAppend((events) => handedOut.push([...events]));
  outbox.onRollback((seqs) => lost.push(seqs));
  const result = (id: string) => ({ kind: 'command_result' as const, commandId: id, ok: true });

  outbox.append(result('a'));
  outbox.append(result('b'));
  t.same(handedOut.map((events) => events.map((e) => e.seq)), [[1], [2]], 'each write handed out as it returned');
  t.equal(outbox.lastCommittedSeq(), 0, 'nothing committed yet');
  t.same(outbox.readAfter(0, 10), [], 'durable readers see nothing yet');
  batch.commit();
  t.same(outbox.readAfter(0, 10).map((e) => e.seq), [1, 2], 'after COMMIT they do');
  t.equal(handedOut.length, 2, 'the commit hands nothing out twice');

  t.throws(() =>
    batch.run(() => {
      outbox.insert(result('undone'));
      throw new Error('this write fails');
    }),
  );
  t.equal(handedOut.length, 2, 'a write that was undone hands nothing out');

  outbox.append(result('c'));
  t.same(handedOut.at(-1)!.map((e) => e.seq), [3]);
  batch.run(() => {
    db.pragma('defer_foreign_keys = ON');
    db.prepare(`INSERT INTO device_state (ieee, key, value, updated_at) VALUES ('0xmissing', 'on', 'true', 1)`).run();
  });
  t.notOk(batch.commit(), 'the commit failed');
  t.match(lost, [{ fromSeq: 3, toSeq: 3, reason: /FOREIGN KEY/ }], 'the seq handed out and lost is named, with why');

  outbox.append(result('d'));
  const next = handedOut.at(-1)![0]!.seq;
  t.ok(next > 3, `the next event does not take the lost seq 3 (got ${next})`);
  batch.commit();
  t.same(
    outbox.readAfter(2, 10).map((e) => [e.seq, e.event.kind === 'command_result' ? e.event.commandId : '']),
    [[next, 'd']],
    'what is stored after the loss: d, above the lost seq',
  );
  t.equal(lost.length, 1, 'a good commit reports no loss');
});
