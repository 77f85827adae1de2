import { join } from 'node:path';
import t from 'tap';
import { openStore, StoreError } from '../../daemon/store/index.js';
import { recordingLog } from './helpers.js';

t.test('settings: set, overwrite, delete, durable across a reopen', async (t) => {
  const path = join(t.testdir({}), 'hub.db');
  const store = openStore({ path, log: recordingLog() });
  t.equal(store.settings.get('hub_id'), undefined);
  store.settings.set('hub_id', 'hub-1');
  store.settings.set('hub_id', 'hub-2');
  store.settings.set('pan_id', '6754');
  store.settings.delete('pan_id');
  t.equal(store.settings.get('hub_id'), 'hub-2', 'read-your-writes before the commit');
  t.throws(() => store.settings.set('', 'x'), StoreError);
  t.throws(() => store.settings.set('n', 5 as unknown as string), StoreError);
  t.throws(() => store.settings.set('store.outbox_epoch', 'x'), { code: 'invalid_argument' }, 'store. keys are reserved');
  t.throws(() => store.settings.delete('store.outbox_epoch'), { code: 'invalid_argument' });
  await store.close();

  const again = openStore({ path, log: recordingLog() });
  t.equal(again.settings.get('hub_id'), 'hub-2');
  t.equal(again.settings.get('pan_id'), undefined);
  t.same(again.outbox.readAfter(0, 10), [], 'settings produce no events');
  await again.close();
});
