// Coordinator backup copies beside the database backups: made when the content changed, 0600,
// rotated to `keep`, nothing before herdsman wrote its first one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { archiveCoordinatorBackup, listCoordinatorBackups } from '../../daemon/ops/coordinator-backups.js';

t.test('copies on change, skips identical content, rotates to keep', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-coord-backups-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const source = path.join(dir, 'herdsman', 'coordinator_backup.json');
  const backups = path.join(dir, 'backups');
  let clock = Date.UTC(2026, 10, 29, 8, 0, 0);
  const archive = () => archiveCoordinatorBackup({ source, dir: backups, keep: 3, now: () => (clock += 60_000) });

  t.equal(archive(), undefined, 'no coordinator backup yet: nothing to copy');
  fs.mkdirSync(path.dirname(source));
  fs.writeFileSync(source, '{"version": 1}');
  const first = archive()!;
  t.match(path.basename(first), /^coordinator_backup\.20261129T080\d00-000Z\.json$/);
  t.equal(fs.readFileSync(first, 'utf8'), '{"version": 1}');
  t.equal(fs.statSync(first).mode & 0o777, 0o600, 'private: it holds the network key');
  t.equal(archive(), undefined, 'unchanged content: no second copy');

  for (let i = 2; i <= 5; i++) {
    fs.writeFileSync(source, `{"version": ${i}}`);
    t.ok(archive(), `version ${i} copied`);
  }
  const kept = listCoordinatorBackups(backups);
  t.equal(kept.length, 3, 'rotated to keep');
  t.same(kept.map((f) => fs.readFileSync(f, 'utf8')), ['{"version": 5}', '{"version": 4}', '{"version": 3}'], 'newest kept, newest first');
  fs.writeFileSync(path.join(backups, 'hub.db.20261129T080000-000Z.bak'), 'db');
  fs.writeFileSync(source, '{"version": 6}');
  archive();
  t.ok(fs.existsSync(path.join(backups, 'hub.db.20261129T080000-000Z.bak')), 'database backups are not touched');
});
