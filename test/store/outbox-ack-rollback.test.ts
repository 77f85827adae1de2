// The outbox's in-memory ack cursor never runs ahead of the database: when the group commit that
// an ack's own write triggers fails, the cursor stays where the database has it, so a later Hello
// does not claim an ack the hub cannot prove and the events stay readable for re-sending.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { openStore } from '../../daemon/store/index.js';
import { DEFAULT_OUTBOX_BOUNDS, TelemetryShedder } from '../../daemon/store/outbox-bounds.js';
import { OutboxStaging } from '../../daemon/store/outbox-staging.js';
import { ensureEpoch, Outbox } from '../../daemon/store/outbox.js';
import { WriteBatch } from '../../daemon/store/write-batch.js';
import { recordingLog } from './helpers.js';

t.test('a failed commit triggered by ack() leaves lastAcked at the stored cursor', async (t) => {
  const path = join(t.testdir({}), 'hub.db');
  await openStore({ path, log: recordingLog() }).close(); // the real schema
  const db = new Database(path);
  t.teardown(() => db.close());
  db.pragma('foreign_keys = ON');
  const log = recordingLog();
  // Wired as open-store.ts wires it; a group of two writes commits inside the second write.
  const hooks = { beforeCommit: () => {}, afterCommit: () => staging.committed(), afterRollback: () => outbox.reload() };
  const staging = new OutboxStaging(log);
  const batch = new WriteBatch(db, hooks, log, 60_000, 2);
  const outbox: Outbox = new Outbox(db, batch, staging, new TelemetryShedder(db, DEFAULT_OUTBOX_BOUNDS), () => 1, log, ensureEpoch(db, 1));
  for (let i = 0; i < 4; i++) outbox.append({ kind: 'command_result', commandId: `c-${i}`, ok: true });
  batch.commit();
  t.equal(outbox.stats().lastSeq, 4);

  // A write whose foreign key is only checked at COMMIT (deferred): the next commit fails.
  batch.run(() => {
    db.pragma('defer_foreign_keys = ON');
    db.prepare(`INSERT INTO device_state (ieee, key, value, updated_at) VALUES ('0xmissing', 'on', 'true', 1)`).run();
  });
  outbox.ack(3); // the second write of the group: its commit fails and is rolled back
  t.ok(log.entries.some((e) => /commit failed/.test(e.msg)), 'the commit did fail');
  t.equal(outbox.lastAcked(), 0, 'the cursor is what the database holds');
  t.same(outbox.readAfter(outbox.lastAcked(), 10).map((e) => e.seq), [1, 2, 3, 4], 'nothing was deleted');
});
