// The snapshot owed after a gap or a resync request reaches the platform by itself: on the next
// connect, or at once when the link is up, without waiting for a reconnect.
import { join } from 'node:path';
import t from 'tap';
import { CloudLink } from '../../daemon/cloud/link.js';
import { sendOwedSnapshots } from '../../daemon/hub/owed-snapshot.js';
import { openStore } from '../../daemon/store/index.js';
import { device, recordingLog } from '../store/helpers.js';
import { CaptureLog } from '../cloud/helpers/capture-log.js';
import { ProtoOnlyCloud } from '../cloud/helpers/proto-only-cloud.js';

t.test('owed before the connect: sent after the Welcome; owed while connected: sent at once', async (t) => {
  const cloud = await ProtoOnlyCloud.start();
  t.teardown(() => cloud.stop());
  const store = openStore({ path: join(t.testdir({}), 'hub.db'), log: recordingLog() });
  t.teardown(() => store.close());
  store.devices.upsert(device(1));
  store.devices.upsert(device(2));
  store.events.append({ kind: 'resync_requested', reason: 'local database rebuilt: test' });

  const log = new CaptureLog();
  const link = new CloudLink({
    target: `127.0.0.1:${cloud.port}`,
    gatewayId: 'gw-owed',
    firmwareVersion: 'test',
    credentials: 'insecure-loopback',
    outbox: store.outbox,
    commands: { execute: async () => ({ ok: true }) },
    emit: (event) => store.events.append(event),
    log,
  });
  const stop = sendOwedSnapshots(store, link, log);
  t.teardown(stop);
  link.start();
  t.teardown(() => link.stop());

  const first = await cloud.waitForEvent((e) => e.payload === 'snapshot_ended');
  const started = cloud.of('snapshot_started');
  t.match(started, [{ snapshot_started: { reason: 'owed: resync_requested: local database rebuilt: test', devices: 2 } }]);
  t.equal(first['snapshot_ended'].devices, 2);

  // A gap written while the link is up (e.g. once storage works again).
  store.events.append({ kind: 'gap', fromSeq: 0, toSeq: 0, dropped: 3, reason: 'storage: 3 events could not be stored (disk full)' });
  await cloud.waitForEvent((e) => e.payload === 'snapshot_started' && /^owed: gap: storage/.test(e['snapshot_started'].reason));
  await cloud.waitForEvent((e) => e.payload === 'snapshot_ended' && e.seq > first.seq);
  t.equal(cloud.streams, 1, 'no reconnect was needed');
  t.equal(store.snapshots.owed(), undefined, 'nothing owed any more');
});
