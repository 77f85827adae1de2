// A group's state derived from its members, as Zigbee2MQTT does: real herdsman against the
// virtual coordinator, real SQLite, device-sync telling the follower of member changes as in
// the daemon.
import t, { type Test } from 'tap';
import type { SimulatedDevice } from '../../scripts/virtual-coordinator/devices/simulated-device.js';
import { startHubStack } from './hub-stack.js';
import { joinDevice, nextEvent } from '../zigbee/network-fixture.js';

const LEVEL = 0x0008;

async function setup(t: Test) {
  const { fixture, store, run } = await startHubStack(t, { groupState: true });
  const groupEvents = () =>
    store.outbox
      .readAfter(0, 10_000)
      .map((e) => e.event)
      .filter((e) => e.kind === 'group_state_changed' || e.kind === 'group_changed');
  return { fixture, store, run, groupEvents };
}

t.test('a group follows its members: last report wins, OFF only once every member is off', async (t) => {
  const { fixture, store, run, groupEvents } = await setup(t);
  await store.flush();
  const a = (await joinDevice(fixture, 'ikea-bulb')).ieee;
  const b = (await joinDevice(fixture, 'ikea-bulb')).ieee;
  t.match(await run({ kind: 'create_group', name: 'Living room' }), { ok: true });
  await run({ kind: 'add_group_member', group: 1, ieee: a });
  await run({ kind: 'add_group_member', group: 1, ieee: b });

  t.match(await run({ kind: 'set_group_state', group: 1, state: { state: 'ON' } }), { ok: true });
  t.match(store.groupState.get(1), { state: 'ON' }, 'the command sets the group state');

  // A member reports a brightness: the group takes it.
  const dimmed = nextEvent(fixture.network, 'state', (e) => e.ieee === a && e.state['brightness'] === 100);
  (fixture.coordinator.device(a) as SimulatedDevice).set(1, LEVEL, { 0: 100 });
  await dimmed;
  t.equal(store.groupState.get(1)['brightness'], 100, "a member's brightness report is the group's");

  // One member off while the other is on: the group stays on.
  t.match(await run({ kind: 'set_state', ieee: a, state: { state: 'OFF' } }), { ok: true });
  t.equal(store.state.get(a)?.['state'], 'OFF');
  t.equal(store.groupState.get(1)['state'], 'ON', 'b is still on, so the group is');
  t.match(await run({ kind: 'set_state', ieee: b, state: { state: 'OFF' } }), { ok: true });
  t.equal(store.groupState.get(1)['state'], 'OFF', 'the last member off turns the group off');
  t.match(await run({ kind: 'set_state', ieee: b, state: { state: 'ON' } }), { ok: true });
  t.equal(store.groupState.get(1)['state'], 'ON', 'any member on turns it on');

  await store.flush();
  const events = groupEvents();
  t.match(events.filter((e) => e.kind === 'group_changed').at(-1), { kind: 'group_changed', groupId: 1, name: 'Living room', deleted: false, members: [{ endpoint: 1 }, { endpoint: 1 }] });
  const states = events.filter((e) => e.kind === 'group_state_changed');
  t.match(states.at(-1), { kind: 'group_state_changed', groupId: 1, state: { state: 'ON', brightness: 100 }, changed: ['state'] }, 'full state plus the changed keys');
  t.notOk(states.some((e, i) => i > 0 && JSON.stringify(e.state) === JSON.stringify(states[i - 1]!.state)), 'no event without a change');

  await run({ kind: 'rename_group', group: 1, name: 'Lounge' });
  t.match(await run({ kind: 'rename_group', group: 1, name: ' ' }), { ok: false, failure: 'invalid' });
  await run({ kind: 'delete_group', group: 'Lounge' });
  await store.flush();
  t.match(groupEvents().slice(-2), [{ kind: 'group_changed', name: 'Lounge', deleted: false }, { kind: 'group_changed', groupId: 1, deleted: true, members: [] }]);
  t.same(store.groupState.get(1), {}, 'its state went with it');
});

t.test("a group command gives every member the result optimistically, also one whose own report was lost", async (t) => {
  const { fixture, store, run } = await setup(t);
  const a = (await joinDevice(fixture, 'ikea-bulb')).ieee;
  const b = (await joinDevice(fixture, 'ikea-bulb')).ieee;
  await run({ kind: 'create_group', name: 'Hall' });
  await run({ kind: 'add_group_member', group: 'Hall', ieee: a });
  await run({ kind: 'add_group_member', group: 'Hall', ieee: b });
  t.match(await run({ kind: 'set_state', ieee: b, state: { state: 'ON' } }), { ok: true });

  // b obeys the group cast but its report never arrives (as a report lost on the air).
  fixture.coordinator.fault({ type: 'silent', ieee: b });
  t.match(await run({ kind: 'set_group_state', group: 'Hall', state: { state: 'OFF' } }), { ok: true });
  t.equal((fixture.coordinator.device(b) as SimulatedDevice).get(1, 0x0006, 0), false, 'b did switch off');
  t.equal(store.state.get(b)?.['state'], 'OFF', "the hub shows b off without b's report");
  t.equal(store.groupState.get(1)['state'], 'OFF');
});
