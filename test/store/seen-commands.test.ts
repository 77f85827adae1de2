// Command ids survive a reopen (so a re-sent command is not run again after a restart), with
// whether they were answered (so one interrupted by a restart can still be answered), and the
// table stays bounded, forgetting the oldest ids first.
import t, { type Test } from 'tap';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../daemon/store/index.js';
import { applyMigrations, loadMigrations } from '../../daemon/store/migrations.js';
import { SeenCommands } from '../../daemon/store/seen-commands.js';
import { WriteBatch } from '../../daemon/store/write-batch.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const REPO_MIGRATIONS = path.join(import.meta.dirname, '..', '..', 'sqlite-migrations');

function tempDir(t: Test): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seen-commands-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('a started command id and whether it was answered are remembered across a reopen', async (t) => {
  const file = path.join(tempDir(t), 'hub.db');
  const first = openStore({ path: file, log: quiet });
  t.equal(first.seenCommands.state('cmd-1'), undefined);
  first.seenCommands.add('cmd-1');
  first.seenCommands.add('cmd-1');
  first.seenCommands.add('cmd-2');
  t.equal(first.seenCommands.state('cmd-1'), 'started', 'visible at once');
  first.seenCommands.markAnswered('cmd-1');
  first.seenCommands.add('cmd-1'); // a later add does not undo the answer
  t.equal(first.seenCommands.state('cmd-1'), 'answered');
  first.seenCommands.markAnswered('never-added'); // nothing to mark: no row appears
  await first.close();

  const second = openStore({ path: file, log: quiet });
  t.teardown(() => second.close());
  t.equal(second.seenCommands.state('cmd-1'), 'answered', 'answered, after reopening');
  t.equal(second.seenCommands.state('cmd-2'), 'started', 'started and never answered, after reopening');
  t.equal(second.seenCommands.state('never-added'), undefined);
  t.throws(() => second.seenCommands.add(''), /non-empty/);
  t.throws(() => second.seenCommands.markAnswered(''), /non-empty/);
});

t.test('ids recorded before answers were tracked count as answered', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'hub.db');
  // A database as the build before migration 0003 left it (ids recorded on receipt).
  const olderMigrations = path.join(dir, 'migrations-0002');
  fs.mkdirSync(olderMigrations);
  for (const name of ['0001_init.sql', '0002_seen_commands.sql']) fs.copyFileSync(path.join(REPO_MIGRATIONS, name), path.join(olderMigrations, name));
  const raw = new Database(file);
  applyMigrations(raw, loadMigrations(olderMigrations), () => 1);
  raw.prepare('INSERT INTO seen_commands (id, seen_at) VALUES (?, ?)').run('old-cmd', 1);
  raw.close();

  const store = openStore({ path: file, log: quiet });
  t.teardown(() => store.close());
  t.equal(store.seenCommands.state('old-cmd'), 'answered', 'a re-send stays ignored, as before the upgrade');
});

t.test('the table keeps only the newest ids', async (t) => {
  const dir = tempDir(t);
  const store = openStore({ path: path.join(dir, 'hub.db'), log: quiet });
  await store.close();
  // A small capacity on the same schema, through the same group-commit machinery.
  const db = new Database(path.join(dir, 'hub.db'));
  t.teardown(() => db.close());
  const batch = new WriteBatch(db, { beforeCommit() {}, afterCommit() {}, afterRollback() {} }, quiet, 0, 100);
  const seen = new SeenCommands(db, batch, () => 0, { keep: 3, windowMs: 0, max: 3 });
  for (const id of ['a', 'b', 'c', 'd', 'e']) seen.add(id);
  await batch.flush();
  t.same(['a', 'b', 'c', 'd', 'e'].filter((id) => seen.state(id) !== undefined), ['c', 'd', 'e']);
  t.equal((db.prepare('SELECT count(*) AS n FROM seen_commands').get() as { n: number }).n, 3);
});

t.test('ids inside the dedupe window are never forgotten, whatever their number; beyond it the newest stay', async (t) => {
  const dir = tempDir(t);
  const store = openStore({ path: path.join(dir, 'hub.db'), log: quiet });
  await store.close();
  const db = new Database(path.join(dir, 'hub.db'));
  t.teardown(() => db.close());
  const batch = new WriteBatch(db, { beforeCommit() {}, afterCommit() {}, afterRollback() {} }, quiet, 0, 100);
  let now = 1_000_000;
  const seen = new SeenCommands(db, batch, () => now, { keep: 3, windowMs: 10_000, max: 6 });
  const known = (ids: string[]) => ids.filter((id) => seen.state(id) !== undefined);
  for (const id of ['a', 'b', 'c', 'd', 'e']) seen.add(id);
  t.same(known(['a', 'b', 'c', 'd', 'e']), ['a', 'b', 'c', 'd', 'e'], 'a burst inside the window: every id kept, a re-send is still recognised');
  now += 10_001;
  seen.add('f');
  t.same(known(['a', 'b', 'c', 'd', 'e', 'f']), ['d', 'e', 'f'], 'once out of the window, only the newest `keep`');
  for (const id of ['g', 'h', 'i', 'j', 'k']) seen.add(id);
  t.equal((db.prepare('SELECT count(*) AS n FROM seen_commands').get() as { n: number }).n, 6, 'a hard cap bounds the table even inside the window');
});

t.test('a started record is committed when add returns, whatever the group-commit window', async (t) => {
  const file = path.join(tempDir(t), 'hub.db');
  const store = openStore({ path: file, log: quiet, commitIntervalMs: 60_000 });
  t.teardown(() => store.close());
  store.seenCommands.add('at-once');
  store.seenCommands.markAnswered('at-once-other'); // answered marks may wait for the group
  const other = new Database(file, { readonly: true });
  t.teardown(() => other.close());
  t.same(other.prepare('SELECT id, answered_at FROM seen_commands').all(), [{ id: 'at-once', answered_at: null }], 'another connection sees it committed');
});
