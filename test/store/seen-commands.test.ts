// Command ids survive a reopen (so a re-sent command is not run again after a restart), and the
// table stays bounded, forgetting the oldest ids first.
import t from 'tap';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../daemon/store/index.js';
import { SeenCommands } from '../../daemon/store/seen-commands.js';
import { WriteBatch } from '../../daemon/store/write-batch.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

t.test('an accepted command id is remembered across a reopen', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seen-commands-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'hub.db');
  const first = openStore({ path: file, log: quiet });
  t.notOk(first.seenCommands.has('cmd-1'));
  first.seenCommands.add('cmd-1');
  first.seenCommands.add('cmd-1');
  t.ok(first.seenCommands.has('cmd-1'), 'visible at once');
  await first.close();

  const second = openStore({ path: file, log: quiet });
  t.teardown(() => second.close());
  t.ok(second.seenCommands.has('cmd-1'), 'still known after reopening');
  t.notOk(second.seenCommands.has('cmd-2'));
  t.throws(() => second.seenCommands.add(''), /non-empty/);
});

t.test('the table keeps only the newest ids', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seen-commands-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const store = openStore({ path: path.join(dir, 'hub.db'), log: quiet });
  await store.close();
  // A small capacity on the same schema, through the same group-commit machinery.
  const db = new Database(path.join(dir, 'hub.db'));
  t.teardown(() => db.close());
  const batch = new WriteBatch(db, { beforeCommit() {}, afterCommit() {}, afterRollback() {} }, quiet, 0, 100);
  const seen = new SeenCommands(db, batch, () => 0, 3);
  for (const id of ['a', 'b', 'c', 'd', 'e']) seen.add(id);
  await batch.flush();
  t.same(['a', 'b', 'c', 'd', 'e'].filter((id) => seen.has(id)), ['c', 'd', 'e']);
  t.equal((db.prepare('SELECT count(*) AS n FROM seen_commands').get() as { n: number }).n, 3);
});
