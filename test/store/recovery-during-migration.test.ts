// Corruption that the quick_check at open does not see (an index whose b-tree is another
// index's) first shows when a migration writes. The damaged database must still be moved aside
// exactly as it was: its main file untouched and its -wal kept, not checkpointed into the
// damaged file and deleted by closing the writer connection.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { openStore } from '../../daemon/store/index.js';
import { recordingLog } from './helpers.js';

const REPO_MIGRATIONS = join(import.meta.dirname, '..', '..', 'sqlite-migrations');
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

t.test('corruption first seen by a migration: the file and its WAL are moved aside unchanged', async (t) => {
  const dir = t.testdir({});
  const path = join(dir, 'hub.db');
  await openStore({ path, log: recordingLog() }).close();

  // Two indexed tables, checkpointed into the main file; then their indexes' root pages swapped.
  const setup = new Database(path);
  setup.exec(`CREATE TABLE alpha (x INTEGER); CREATE INDEX idx_alpha ON alpha (x);
              CREATE TABLE bravo (x INTEGER); CREATE INDEX idx_bravo ON bravo (x);`);
  for (let i = 1; i <= 50; i++) {
    setup.prepare('INSERT INTO alpha VALUES (?)').run(i);
    setup.prepare('INSERT INTO bravo VALUES (?)').run(1000 + i);
  }
  // Through writable_schema rather than by patching bytes of page 1: once the schema outgrows
  // one page (more migrations), a stale copy of a record can sit beside the live one.
  const rootpage = (name: string) => (setup.prepare('SELECT rootpage FROM sqlite_schema WHERE name = ?').get(name) as { rootpage: number }).rootpage;
  const [a, b] = [rootpage('idx_alpha'), rootpage('idx_bravo')];
  setup.unsafeMode(true); // lifts SQLITE_DBCONFIG_DEFENSIVE, which refuses writes to sqlite_schema
  setup.pragma('writable_schema = ON');
  setup.prepare('UPDATE sqlite_schema SET rootpage = ? WHERE name = ?').run(b, 'idx_alpha');
  setup.prepare('UPDATE sqlite_schema SET rootpage = ? WHERE name = ?').run(a, 'idx_bravo');
  setup.close(); // the last connection: checkpointed, no -wal left

  // Committed work that lives only in the -wal (a reader keeps the writer from checkpointing).
  const reader = new Database(path, { readonly: true });
  reader.prepare('SELECT count(*) FROM settings').get();
  const writer = new Database(path);
  writer.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('only-in-wal', 'x', 1)`).run();
  writer.close();
  reader.close();
  t.ok(existsSync(path + '-wal'), 'the WAL holds a commit');
  const before = { main: sha(path), wal: sha(path + '-wal') };

  // A migration that deletes a row: SQLite finds the index entry missing (SQLITE_CORRUPT_INDEX).
  const migrationsDir = join(dir, 'migrations');
  cpSync(REPO_MIGRATIONS, migrationsDir, { recursive: true });
  const latest = Math.max(...readdirSync(migrationsDir).filter((n) => n.endsWith('.sql')).map((n) => Number(n.slice(0, 4))));
  writeFileSync(
    join(migrationsDir, `${String(latest + 1).padStart(4, '0')}_touch_alpha.sql`),
    'CREATE TABLE IF NOT EXISTS alpha (x INTEGER); CREATE INDEX IF NOT EXISTS idx_alpha ON alpha (x); DELETE FROM alpha WHERE rowid = 1;',
  );

  const store = openStore({ path, migrationsDir, log: recordingLog() });
  t.teardown(() => store.close());
  t.ok(store.recovered, 'recovered reported');
  t.match(store.recovered!.reason, /malformed|corrupt/i);
  const { movedTo } = store.recovered!;
  t.equal(sha(movedTo), before.main, 'the damaged main file kept byte for byte (no checkpoint into it)');
  t.ok(existsSync(movedTo + '-wal'), 'its -wal moved with it, not deleted');
  t.equal(existsSync(movedTo + '-wal') && sha(movedTo + '-wal'), before.wal, 'the -wal unchanged');
  t.equal(store.settings.get('only-in-wal'), undefined, 'the new database is a fresh one');
});
