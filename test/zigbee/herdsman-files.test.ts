// herdsman's files at start: damaged ones are set aside and replaced by the newest good copy, good
// copies are rotated, and everything is owner-only. Real files written by the real herdsman.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { HerdsmanFiles, problemOf } from '../../daemon/zigbee/herdsman-files.js';
import { joinDevice, recordingLogger, startFixture, tempDir } from './network-fixture.js';

const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);

t.test('repair, copies and permissions', async (t) => {
  const previousUmask = process.umask(0o022);
  t.teardown(() => process.umask(previousUmask));
  const dir = tempDir(t);
  const fixture = await startFixture(t, { dataDir: dir });
  await joinDevice(fixture, 'aqara-weather'); // herdsman writes its database on the way
  t.equal(mode(path.join(dir, 'coordinator_backup.json')), '600', 'the backup herdsman wrote at start is owner-only under umask 022');
  t.equal(mode(path.join(dir, 'database.db')), '600', 'and the database it rewrote at the join');
  await fixture.stop();
  const backupFile = path.join(dir, 'coordinator_backup.json');
  const databaseFile = path.join(dir, 'database.db');
  const goodBackup = fs.readFileSync(backupFile);
  const goodDatabase = fs.readFileSync(databaseFile);
  t.equal(problemOf('coordinator_backup.json', goodBackup), undefined, 'herdsman\'s own backup is good');
  t.equal(problemOf('database.db', goodDatabase), undefined, 'herdsman\'s own database is good');
  t.match(problemOf('coordinator_backup.json', Buffer.alloc(0)), /empty/);
  t.match(problemOf('coordinator_backup.json', goodBackup.subarray(0, 100)), /not valid JSON/);
  t.match(problemOf('coordinator_backup.json', Buffer.from('{"metadata":{"format":"zigpy/open-coordinator-backup","version":1}}')), /pan_id/);
  t.match(problemOf('database.db', goodDatabase.subarray(0, goodDatabase.length - 10)), /1 of \d+ lines unreadable/);

  fs.rmSync(path.join(dir, 'good-copies'), { recursive: true, force: true }); // the network's own copies
  let now = Date.parse('2030-01-01T00:00:00Z');
  const log = recordingLogger();
  const files = new HerdsmanFiles({ dir, keep: 2, log, now: () => now });
  const copies = () => fs.readdirSync(files.copiesDir).sort();

  files.keepGoodCopies();
  t.same(copies(), ['coordinator_backup.20300101T000000-000Z.json', 'database.20300101T000000-000Z.db']);
  now += 1000;
  files.keepGoodCopies();
  t.equal(copies().length, 2, 'an unchanged file is not copied again');
  for (let i = 1; i <= 3; i++) {
    now += 1000;
    fs.appendFileSync(databaseFile, `\n{"id":${1000 + i},"type":"Group"}`);
    files.keepGoodCopies();
  }
  t.same(copies().filter((c) => c.startsWith('database.')), ['database.20300101T000003-000Z.db', 'database.20300101T000004-000Z.db'], 'the newest `keep` copies are kept');

  fs.truncateSync(backupFile, 0);
  fs.writeFileSync(databaseFile, 'garbage');
  now += 1000;
  const repairs = files.repair();
  t.match(repairs, [
    { file: 'coordinator_backup.json', problem: 'empty file', movedTo: `${backupFile}.corrupt-20300101T000005-000Z`, restoredFrom: /coordinator_backup\.20300101T000000-000Z\.json$/ },
    { file: 'database.db', movedTo: `${databaseFile}.corrupt-20300101T000005-000Z`, restoredFrom: /database\.20300101T000004-000Z\.db$/ },
  ]);
  t.same(fs.readFileSync(backupFile), goodBackup, 'the good backup is back');
  t.equal(fs.readFileSync(`${databaseFile}.corrupt-20300101T000005-000Z`, 'utf8'), 'garbage', 'the damaged file is kept');
  t.same(files.repair(), [], 'nothing left to repair');

  fs.rmSync(files.copiesDir, { recursive: true });
  fs.writeFileSync(databaseFile, Buffer.concat([goodDatabase, Buffer.from('\n{"id":7,"ty')]));
  const salvaged = files.repair();
  t.match(salvaged, [{ file: 'database.db', salvagedEntries: goodDatabase.toString().split('\n').length }], 'without a copy: the readable entries');
  t.equal(problemOf('database.db', fs.readFileSync(databaseFile)), undefined);

  fs.chmodSync(backupFile, 0o644);
  files.secure();
  t.equal(mode(backupFile), '600');
  t.equal(mode(databaseFile), '600');
  t.equal(mode(dir), '700');
});
