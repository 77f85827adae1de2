// The command executor on the real store with a fake zigbee edge: which commands reach the
// network, and what a refusal says.
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { HubCommandExecutor } from '../../daemon/hub/command-executor.js';
import { openStore } from '../../daemon/store/index.js';
import type { ZigbeeNetwork } from '../../daemon/zigbee/index.js';
import { device, FakeClock, recordingLog } from '../store/helpers.js';

function setup(t: Test) {
  const store = openStore({ path: join(t.testdir({}), 'hub.db'), clock: new FakeClock(), log: recordingLog() });
  t.teardown(() => store.close());
  const sent: Array<{ ieee: string; state: Record<string, unknown> }> = [];
  const network = {
    setState: async (ieee: string, state: Record<string, unknown>) => {
      sent.push({ ieee, state });
      return state;
    },
  } as unknown as ZigbeeNetwork;
  return { store, sent, executor: new HubCommandExecutor(network, store) };
}

t.test('set_state reaches a present device by ieee or name', async (t) => {
  const { store, sent, executor } = setup(t);
  const bulb = device(1);
  store.devices.upsert(bulb);
  store.devices.rename(bulb.ieee, 'Hall');
  t.same(await executor.execute({ kind: 'set_state', id: 'c1', ieee: 'Hall', state: { state: 'ON' } }), { ok: true, state: { state: 'ON' } });
  t.same(sent, [{ ieee: bulb.ieee, state: { state: 'ON' } }]);
});

t.test('a device that left the network: set_state says so and how to get it back', async (t) => {
  const { store, sent, executor } = setup(t);
  const named = device(1);
  const unnamed = device(2);
  store.devices.upsert(named);
  store.devices.upsert(unnamed);
  store.devices.rename(named.ieee, 'Hall');
  store.devices.markLeft(named.ieee);
  store.devices.markLeft(unnamed.ieee);

  const result = await executor.execute({ kind: 'set_state', id: 'c1', ieee: named.ieee, state: { state: 'ON' } });
  t.same(result, { ok: false, error: `device "Hall" (${named.ieee}) has left the network: pair it again to control it`, failure: 'left_network' });
  t.match(await executor.execute({ kind: 'set_state', id: 'c2', ieee: unnamed.ieee, state: { state: 'ON' } }), {
    ok: false,
    error: `device ${unnamed.ieee} has left the network: pair it again`,
  });
  t.same(sent, [], 'nothing was sent');

  const unknown = '0x00124b00deadbeef';
  t.same(await executor.execute({ kind: 'set_state', id: 'c3', ieee: unknown, state: { state: 'ON' } }), {
    ok: false,
    error: `unknown device "${unknown}"`,
    failure: 'unknown_device',
  });
});

t.test('while the store cannot commit, every command is refused, saying why', async (t) => {
  const { store, sent, executor } = setup(t);
  const bulb = device(1);
  store.devices.upsert(bulb);
  const failing = Object.assign(Object.create(store) as typeof store, { storageProblem: () => 'the disk holding /data/hub.db is full' });
  const refusing = new HubCommandExecutor({ setState: async () => ({}) } as unknown as ZigbeeNetwork, failing);
  t.same(await refusing.execute({ kind: 'set_state', id: 'c1', ieee: bulb.ieee, state: { state: 'ON' } }), {
    ok: false,
    error: 'not run: the hub cannot store data right now: the disk holding /data/hub.db is full',
  });
  t.match(await refusing.execute({ kind: 'rename_device', id: 'c2', ieee: bulb.ieee, name: 'Hall' }), { ok: false, error: /cannot store data/ });
  t.equal(store.devices.get(bulb.ieee)?.name, bulb.ieee, 'not renamed');
  t.same(sent, []);
  t.same(await executor.execute({ kind: 'set_state', id: 'c3', ieee: bulb.ieee, state: { state: 'ON' } }), { ok: true, state: { state: 'ON' } }, 'a working store runs it');
});

t.test('permit_join via a router: resolved by name to its ieee; unknown or left devices refused', async (t) => {
  const store = openStore({ path: join(t.testdir({}), 'hub.db'), clock: new FakeClock(), log: recordingLog() });
  t.teardown(() => store.close());
  const asked: Array<[number, string | undefined]> = [];
  const network = {
    permitJoin: async (seconds: number, via?: string) => (asked.push([seconds, via]), seconds),
  } as unknown as ZigbeeNetwork;
  const executor = new HubCommandExecutor(network, store);
  const router = device(1);
  const gone = device(2);
  store.devices.upsert(router);
  store.devices.upsert(gone);
  store.devices.rename(router.ieee, 'Hall plug');
  store.devices.markLeft(gone.ieee);

  t.same(await executor.execute({ kind: 'permit_join', id: 'p1', seconds: 60, via: 'Hall plug' }), {
    ok: true,
    state: { permit_join: true, seconds: 60, via: router.ieee },
  });
  t.match(await executor.execute({ kind: 'permit_join', id: 'p2', seconds: 60, via: 'Kitchen plug' }), { ok: false, error: 'unknown device "Kitchen plug"', failure: 'unknown_device' });
  t.match(await executor.execute({ kind: 'permit_join', id: 'p3', seconds: 60, via: gone.ieee }), { ok: false, failure: 'left_network' });
  t.same(await executor.execute({ kind: 'permit_join', id: 'p4', seconds: 0 }), { ok: true, state: { permit_join: false, seconds: 0 } });
  t.same(asked, [[60, router.ieee], [0, undefined]], 'only the known, present router reached the network');
});
