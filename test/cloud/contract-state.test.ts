// StateChanged as the .proto defines it, seen by a platform that knows only the .proto: the
// device's full latest state plus the names of the keys that changed.
import { join } from 'node:path';
import t from 'tap';
import { CloudLink } from '../../daemon/cloud/link.js';
import { openStore } from '../../daemon/store/index.js';
import { device, recordingLog } from '../store/helpers.js';
import { CaptureLog } from './helpers/capture-log.js';
import { ProtoOnlyCloud } from './helpers/proto-only-cloud.js';

t.test('a state change carries the full latest state and the changed keys', async (t) => {
  const cloud = await ProtoOnlyCloud.start();
  t.teardown(() => cloud.stop());
  const store = openStore({ path: join(t.testdir({}), 'hub.db'), log: recordingLog() });
  t.teardown(() => store.close());
  const ieee = device(1).ieee;
  store.devices.upsert(device(1));
  store.state.apply(ieee, { temperature: 21.5, humidity: 40, color: { x: 0.3, y: 0.3 } });
  store.state.apply(ieee, { humidity: 41 });

  const link = new CloudLink({
    target: `127.0.0.1:${cloud.port}`,
    gatewayId: 'gw-state',
    firmwareVersion: 'test',
    credentials: 'insecure-loopback',
    outbox: store.outbox,
    commands: { execute: async () => ({ ok: true }) },
    emit: (event) => store.events.append(event),
    log: new CaptureLog(),
  });
  link.start();
  t.teardown(() => link.stop());

  await cloud.waitForEvent((event) => event.payload === 'state_changed' && event['state_changed'].changed?.includes('humidity') && event['state_changed'].state.humidity === 41);
  const changes = cloud.of('state_changed').map((event) => event['state_changed']);
  t.same(changes, [
    { ieee, state: { temperature: 21.5, humidity: 40, color: { x: 0.3, y: 0.3 } }, changed: ['temperature', 'humidity', 'color'] },
    { ieee, state: { temperature: 21.5, humidity: 41, color: { x: 0.3, y: 0.3 } }, changed: ['humidity'] },
  ]);
});
