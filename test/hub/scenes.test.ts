// Scenes (genScenes) through the command executor: real herdsman against the virtual
// coordinator, whose simulated bulbs store and recall scenes for real, and real SQLite.
import t, { type Test } from 'tap';
import type { SimulatedDevice } from '../../scripts/virtual-coordinator/devices/simulated-device.js';
import { startHubStack } from './hub-stack.js';
import { joinDevice } from '../zigbee/network-fixture.js';

const ON_OFF = 0x0006;
const LEVEL = 0x0008;

async function setup(t: Test) {
  const { fixture, store, run } = await startHubStack(t);
  const bulb = (ieee: string) => {
    const device = fixture.coordinator.device(ieee) as SimulatedDevice;
    return { on: device.get(1, ON_OFF, 0), level: device.get(1, LEVEL, 0) };
  };
  return { fixture, store, run, bulb };
}

t.test('a group scene stored and recalled: every member restores its on/off and brightness', async (t) => {
  const { fixture, store, run, bulb } = await setup(t);
  const a = (await joinDevice(fixture, 'ikea-bulb')).ieee;
  const b = (await joinDevice(fixture, 'ikea-bulb')).ieee;
  await run({ kind: 'create_group', name: 'Living room' });
  await run({ kind: 'add_group_member', group: 1, ieee: a });
  await run({ kind: 'add_group_member', group: 1, ieee: b });

  t.match(await run({ kind: 'set_group_state', group: 1, state: { state: 'ON', brightness: 200 } }), { ok: true });
  const stored = await run({ kind: 'store_scene', target: { group: 'Living room' }, sceneId: 1, name: 'Evening' });
  t.same(stored, { ok: true, state: { scene_id: 1, name: 'Evening', group_id: 1 } }, `stored (${stored.error ?? ''})`);
  t.match(store.scenes.list(), [{ target: { groupId: 1 }, sceneId: 1, name: 'Evening', state: { [a]: { state: 'ON', brightness: 200 }, [b]: { state: 'ON', brightness: 200 } } }], 'in SQLite with the state it restores');

  t.match(await run({ kind: 'set_group_state', group: 1, state: { state: 'OFF' } }), { ok: true });
  t.match(await run({ kind: 'set_state', ieee: a, state: { state: 'ON', brightness: 20 } }), { ok: true });
  t.same([bulb(a), bulb(b)], [{ on: true, level: 20 }, { on: false, level: 200 }]);

  t.match(await run({ kind: 'recall_scene', target: { group: 1 }, scene: 'Evening' }), { ok: true, state: { scene_id: 1 } });
  t.same([bulb(a), bulb(b)], [{ on: true, level: 200 }, { on: true, level: 200 }], 'both bulbs restored by the devices themselves');
  t.match(store.state.get(b), { state: 'ON', brightness: 200 }, "the hub's copy follows at once");

  t.match(await run({ kind: 'store_scene', target: { group: 1 }, sceneId: 2, name: 'Evening' }), { ok: false, error: /scene name "Evening" is already used by scene 1/ });
  t.match(await run({ kind: 'store_scene', target: { group: 1 }, sceneId: 256, name: 'Night' }), { ok: false, error: /scene id must be a whole number 0\.\.255, got 256/ });
  t.match(await run({ kind: 'recall_scene', target: { group: 'Kitchen' }, scene: 1 }), { ok: false, error: /unknown group "Kitchen"/ });

  t.match(await run({ kind: 'remove_scene', target: { group: 1 }, scene: 1 }), { ok: true });
  t.same(store.scenes.list(), []);
  t.match(await run({ kind: 'recall_scene', target: { group: 1 }, scene: 1 }), { ok: false, error: /no scene 1 on group 1/ });
});

t.test('a scene on one device: stored, recalled by name, removed from the device too', async (t) => {
  const { fixture, store, run, bulb } = await setup(t);
  const a = (await joinDevice(fixture, 'ikea-bulb')).ieee;
  t.match(await run({ kind: 'set_state', ieee: a, state: { state: 'ON', brightness: 50 } }), { ok: true });
  t.match(await run({ kind: 'store_scene', target: { ieee: a }, sceneId: 3, name: 'Dim' }), { ok: true, state: { ieee: a, endpoint: 1, scene_id: 3 } });
  t.match(await run({ kind: 'set_state', ieee: a, state: { state: 'OFF' } }), { ok: true });
  t.match(await run({ kind: 'recall_scene', target: { ieee: a }, scene: 'Dim' }), { ok: true });
  t.same(bulb(a), { on: true, level: 50 });
  t.match(store.state.get(a), { state: 'ON', brightness: 50 });

  t.match(await run({ kind: 'remove_scene', target: { ieee: a }, scene: 3 }), { ok: true });
  // The device forgot it too: asked directly, it answers "not found".
  await t.rejects(fixture.network.scenes.recall({ ieee: a }, 3), /refused scene 3 recall \(ZCL status 0x8b: not found\)/);
  t.match(await run({ kind: 'store_scene', target: { ieee: a, endpoint: '7' }, sceneId: 1, name: 'X' }), { ok: false, error: /has no endpoint '7'/ });
});
