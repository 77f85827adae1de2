import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { defaultMigrationsDir, openStore, StoreError } from '../../daemon/store/index.js';
import { device, rawOpen, recordingLog } from './helpers.js';

const REPO_MIGRATIONS = join(import.meta.dirname, '..', '..', 'sqlite-migrations');
/** The shipped migrations' versions, and the number the next one would take. */
const SHIPPED = readdirSync(REPO_MIGRATIONS).filter((n) => n.endsWith('.sql')).map((n) => Number(n.slice(0, 4))).sort((a, b) => a - b);
const LATEST = SHIPPED[SHIPPED.length - 1]!;
const NEXT = LATEST + 1;
const NEXT_PREFIX = String(NEXT).padStart(4, '0');

/** A private copy of the real migrations that a test may change. */
function setup(t: Test) {
  const dir = t.testdir({});
  const migrationsDir = join(dir, 'migrations');
  cpSync(REPO_MIGRATIONS, migrationsDir, { recursive: true });
  return { path: join(dir, 'data', 'hub.db'), migrationsDir, dir };
}

function appliedRows(path: string) {
  const db = rawOpen(path);
  try {
    return db.prepare('SELECT version, name, sha256, applied_at FROM schema_migrations ORDER BY version').all() as Array<{
      version: number;
      name: string;
      sha256: string;
      applied_at: number;
    }>;
  } finally {
    db.close();
  }
}

async function expectStoreError(t: Test, fn: () => unknown, code: string, mentions: string[]) {
  try {
    fn();
    t.fail(`expected StoreError ${code}`);
  } catch (err) {
    t.ok(err instanceof StoreError, 'a StoreError');
    t.equal((err as StoreError).code, code);
    for (const m of mentions) t.match((err as Error).message, m, `message names ${m}`);
  }
}

t.test('default migrations dir is the package sqlite-migrations/', async (t) => {
  t.equal(defaultMigrationsDir(), REPO_MIGRATIONS);
});

t.test('applied once, recording version and sha256 of the file', async (t) => {
  const { path, migrationsDir } = setup(t);
  const first = openStore({ path, migrationsDir, log: recordingLog() });
  first.devices.upsert(device(1));
  await first.close();
  const rows = appliedRows(path);
  const shipped = readdirSync(migrationsDir).filter((n) => n.endsWith('.sql')).sort();
  t.same(
    rows.map((r) => [r.version, r.name, r.sha256]),
    shipped.map((name) => [Number(name.slice(0, 4)), name, createHash('sha256').update(readFileSync(join(migrationsDir, name))).digest('hex')]),
  );
  t.equal(rows[0]?.name, '0001_init.sql');

  const second = openStore({ path, migrationsDir, log: recordingLog() });
  t.equal(second.devices.list().length, 1, 'data kept, schema not re-created');
  await second.close();
  t.same(appliedRows(path), rows, 'nothing re-applied on the second open');
  const db = rawOpen(path);
  t.equal(db.pragma('user_version', { simple: true }), LATEST, 'user_version mirrors the schema version');
  db.close();
});

t.test('a migration file changed after it was applied is refused, naming it', async (t) => {
  const { path, migrationsDir } = setup(t);
  await openStore({ path, migrationsDir, log: recordingLog() }).close();
  appendFileSync(join(migrationsDir, '0001_init.sql'), '\n-- edited later\n');
  await expectStoreError(t, () => openStore({ path, migrationsDir, log: recordingLog() }), 'migration_changed', ['0001_init.sql']);
  t.same(readdirSync(join(path, '..')).filter((n) => n.includes('corrupt')), [], 'not treated as corruption');
});

t.test('a database newer than the code is refused, naming the unknown versions', async (t) => {
  const { path, migrationsDir } = setup(t);
  writeFileSync(join(migrationsDir, `${NEXT_PREFIX}_rooms_table.sql`), 'CREATE TABLE rooms (name TEXT PRIMARY KEY) STRICT;');
  await openStore({ path, migrationsDir, log: recordingLog() }).close();
  t.same(appliedRows(path).map((r) => r.version), [...SHIPPED, NEXT]);

  const olderBuild = join(path, '..', '..', 'older-migrations');
  cpSync(REPO_MIGRATIONS, olderBuild, { recursive: true });
  await expectStoreError(t, () => openStore({ path, migrationsDir: olderBuild, log: recordingLog() }), 'database_newer', [
    NEXT_PREFIX,
    'rooms_table',
    'newer',
  ]);
});

t.test('a failing migration rolls back entirely and leaves the database at the previous version', async (t) => {
  const { path, migrationsDir } = setup(t);
  const store = openStore({ path, migrationsDir, log: recordingLog() });
  store.devices.upsert(device(7));
  await store.close();
  writeFileSync(
    join(migrationsDir, `${NEXT_PREFIX}_broken.sql`),
    `CREATE TABLE half_done (x INTEGER) STRICT;
     ALTER TABLE devices ADD COLUMN firmware TEXT;
     INSERT INTO no_such_table VALUES (1);`,
  );
  await expectStoreError(t, () => openStore({ path, migrationsDir, log: recordingLog() }), 'migration_failed', [
    `${NEXT_PREFIX}_broken.sql`,
    'no_such_table',
  ]);
  const db = rawOpen(path);
  const halfDone = db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'`).get() as { n: number };
  t.equal(halfDone.n, 0, 'table from the failed migration is gone');
  const cols = (db.prepare(`SELECT name FROM pragma_table_info('devices')`).all() as Array<{ name: string }>).map((c) => c.name);
  t.notOk(cols.includes('firmware'), 'column from the failed migration is gone');
  t.equal(db.pragma('user_version', { simple: true }), LATEST);
  db.close();
  t.same(appliedRows(path).map((r) => r.version), SHIPPED, `version ${NEXT} not recorded`);

  // Fix the migration: the next start applies it and the data is still there.
  writeFileSync(join(migrationsDir, `${NEXT_PREFIX}_broken.sql`), 'ALTER TABLE devices ADD COLUMN firmware TEXT;');
  const fixed = openStore({ path, migrationsDir, log: recordingLog() });
  t.equal(fixed.devices.list().length, 1);
  await fixed.close();
  t.same(appliedRows(path).map((r) => r.version), [...SHIPPED, NEXT]);
});

t.test('a .sql file not named NNNN_name.sql is refused rather than skipped', async (t) => {
  const { path, migrationsDir } = setup(t);
  writeFileSync(join(migrationsDir, '2-add-things.sql'), 'SELECT 1;');
  await expectStoreError(t, () => openStore({ path, migrationsDir, log: recordingLog() }), 'bad_migrations_dir', ['2-add-things.sql']);
});
