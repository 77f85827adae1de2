// hub.db holds device data and the outbox: it, its -wal/-shm and its backups are private to the
// daemon's user (0600, backups dir 0700) whatever the umask, also for files an older version
// created 0644. Checked in a child process under umask 022.
import { spawnSync } from 'node:child_process';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { openStore } from '../../daemon/store/index.js';
import { recordingLog } from './helpers.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'umask-writer.ts');

function runUnderUmask022(dbPath: string, backupDir: string): { open: Record<string, string>; backups: Record<string, string>; backupDir: string } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', FIXTURE, dbPath, backupDir], { encoding: 'utf8', timeout: 60_000 });
  if (child.status !== 0) throw new Error(`fixture failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout);
}

t.test('a new database, its -wal/-shm and its backups are 0600 under umask 022', async (t) => {
  const dir = t.testdir({});
  const modes = runUnderUmask022(join(dir, 'data', 'hub.db'), join(dir, 'backups'));
  t.same(modes.open, { 'hub.db': '0600', 'hub.db-wal': '0600', 'hub.db-shm': '0600' });
  t.ok('backup' in modes.backups, 'the backup was written');
  t.same(new Set(Object.values(modes.backups)), new Set(['0600']), `every backup is 0600: ${JSON.stringify(modes.backups)}`);
  t.equal(modes.backupDir, '0700', 'the backups folder too');
});

t.test('files an older version created 0644 are made 0600 at open', async (t) => {
  const dir = t.testdir({});
  const dbPath = join(dir, 'hub.db');
  const backupDir = join(dir, 'backups');
  runUnderUmask022(dbPath, backupDir);
  chmodSync(dbPath, 0o644);
  chmodSync(backupDir, 0o755);
  const modes = runUnderUmask022(dbPath, backupDir);
  t.same(modes.open, { 'hub.db': '0600', 'hub.db-wal': '0600', 'hub.db-shm': '0600' });
  t.equal((statSync(dbPath).mode & 0o777).toString(8), '600');
  t.equal(modes.backupDir, '0700');
});

t.test('a corrupt database moved aside stays private', async (t) => {
  const dir = t.testdir({});
  const dbPath = join(dir, 'hub.db');
  writeFileSync(dbPath, 'this is not a database'.repeat(300));
  chmodSync(dbPath, 0o644);
  const store = openStore({ path: dbPath, log: recordingLog() });
  const movedTo = store.recovered?.movedTo;
  await store.close();
  t.ok(movedTo, 'it was moved aside');
  t.equal((statSync(movedTo!).mode & 0o777).toString(8), '600');
});
