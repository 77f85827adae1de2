// Backup on the LAN: the database and the coordinator's backup (network key, frame counters),
// what a restore on new hardware needs. A coordinator that is down fails the call with
// UNAVAILABLE, saying where the database backup went. (With the real daemon and coordinator:
// lan-daemon.test.ts.)
import * as grpc from '@grpc/grpc-js';
import fs from 'node:fs';
import t from 'tap';
import { ZigbeeError } from '../../daemon/zigbee/errors.js';
import { startTestLan } from './helpers.js';

t.test('Backup answers with both paths, for an admin token only', async (t) => {
  const backups = t.testdir({});
  const lan = await startTestLan(t, { store: { backup: { dir: backups, keep: 3 } }, coordinatorBackup: async () => '/var/lib/zigbee-hubd/backups/coordinator_backup.x.json' });
  const { token } = await lan.pair('admin');
  const reply = await lan.call('Backup', {}, token);
  t.ok(fs.existsSync(reply['path']), 'the database backup exists');
  t.equal(reply['coordinator_backup_path'], '/var/lib/zigbee-hubd/backups/coordinator_backup.x.json');

  const { token: control } = await lan.pair('control', 'tablet');
  await t.rejects(lan.call('Backup', {}, control), { code: grpc.status.PERMISSION_DENIED });
});

t.test('a coordinator that is down: UNAVAILABLE, naming the database backup that was written', async (t) => {
  const backups = t.testdir({});
  const lan = await startTestLan(t, {
    store: { backup: { dir: backups, keep: 3 } },
    coordinatorBackup: async () => {
      throw new ZigbeeError('not_started', 'the Zigbee coordinator is not available (not started yet, or lost and being reopened)');
    },
  });
  const { token } = await lan.pair('admin');
  const error = (await lan.call('Backup', {}, token).then(
    () => undefined,
    (e: unknown) => e,
  )) as { code: number; details: string } | undefined;
  t.equal(error?.code, grpc.status.UNAVAILABLE);
  t.match(error?.details, /^database backup written to \S+hub\.db\S*; coordinator backup failed: the Zigbee coordinator is not available/);
  t.ok(
    fs.readdirSync(backups).some((f) => f.startsWith('hub.db')),
    'the database backup is there',
  );
});
