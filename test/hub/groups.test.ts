// Zigbee groups through the command executor: real herdsman against the virtual coordinator
// (which delivers group casts to member endpoints only), real SQLite in a temp dir.
import t from 'tap';
import { reconcileGroups } from '../../daemon/hub/reconcile-groups.js';
import type { SimulatedDevice } from '../../scripts/virtual-coordinator/devices/simulated-device.js';
import { committedEvents, recordingLog } from '../store/helpers.js';
import { startHubStack } from './hub-stack.js';
import { joinDevice } from '../zigbee/network-fixture.js';

const ON_OFF = 0x0006;


t.test('a group of two bulbs switched with one command; members told, stored, removed', async (t) => {
  const { fixture, store, run } = await startHubStack(t);
  const a = (await joinDevice(fixture, 'ikea-bulb')).ieee;
  const b = (await joinDevice(fixture, 'ikea-bulb')).ieee;
  const plug = (await joinDevice(fixture, 'aqara-plug')).ieee;
  const on = (ieee: string) => (fixture.coordinator.device(ieee) as SimulatedDevice).get(1, ON_OFF, 0);

  const created = await run({ kind: 'create_group', name: 'Living room' });
  t.same(created, { ok: true, state: { group_id: 1 } });
  t.match(await run({ kind: 'create_group', name: 'Living room' }), { ok: false, error: /already used by group 1/ });
  t.match(await run({ kind: 'add_group_member', group: 'Living room', ieee: a }), { ok: true });
  t.match(await run({ kind: 'add_group_member', group: 1, ieee: b }), { ok: true, state: { members: [`${a}/1`, `${b}/1`].sort() } });
  t.same(fixture.network.groups.list(), [{ id: 1, members: [{ ieee: a, endpoint: 1 }, { ieee: b, endpoint: 1 }].sort((x, y) => x.ieee.localeCompare(y.ieee)) }], 'herdsman knows the members');

  const frames: Array<{ ieee: string; group: number | undefined }> = [];
  fixture.coordinator.network.on('delivered', (node: { ieee: string }, frame: { groupId?: number }) => frames.push({ ieee: node.ieee, group: frame.groupId }));
  t.match(await run({ kind: 'set_group_state', group: 'Living room', state: { state: 'ON' } }), { ok: true, state: { state: 'ON' } });
  t.same([on(a), on(b), on(plug)], [true, true, false], 'both bulbs on, the plug (not a member) untouched');
  // A group cast reaches every node once (as a multicast does); only member endpoints act on it.
  t.equal(new Set(frames.map((f) => f.ieee)).size, frames.length, `one frame per node, not one command per member (${JSON.stringify(frames)})`);
  t.ok(frames.every((f) => f.group === 1), 'group-addressed');

  t.match(await run({ kind: 'set_group_state', group: 1, state: { color_xy: 3 } }), { ok: false, error: /no member of group 1 can set 'color_xy'/ });
  t.match(await run({ kind: 'set_group_state', group: 1, state: { brightness: 999 } }), { ok: false, error: /brightness/ });

  t.match(await run({ kind: 'remove_group_member', group: 1, ieee: b }), { ok: true, state: { members: [`${a}/1`] } });
  await run({ kind: 'set_group_state', group: 1, state: { state: 'OFF' } });
  t.same([on(a), on(b)], [false, true], 'only the remaining member obeys');

  t.match(await run({ kind: 'delete_group', group: 'Living room' }), { ok: true });
  t.same(fixture.network.groups.list(), []);
  t.same(store.groups.list(), []);
  t.match(await run({ kind: 'set_group_state', group: 1, state: { state: 'ON' } }), { ok: false, error: /unknown group 1/ });
});

t.test('at start, groups are reconciled with herdsman: imported, created again, members as the radio has them', async (t) => {
  const { fixture, store } = await startHubStack(t);
  const a = (await joinDevice(fixture, 'ikea-bulb')).ieee;
  fixture.network.groups.create(7);
  await fixture.network.groups.addMember(7, a);
  store.groups.create(9, 'Hall');
  store.groups.addMember(9, a, 1);

  const result = reconcileGroups(fixture.network, store, recordingLog() as never);
  t.same(result, { imported: [7], recreated: [9] });
  t.same(store.groups.get(7), { id: 7, name: 'group 7', members: [{ ieee: a, endpoint: 1 }] }, 'imported with its members');
  t.same(store.groups.get('Hall')?.members, [], 'members the devices were not told about are dropped');
  t.same(fixture.network.groups.list().map((g) => g.id), [7, 9], 'herdsman has both');
});

t.test('removing a device takes it out of its groups with a group_changed for each, in the removal\'s transaction', async (t) => {
  const { fixture, store, run, dbPath } = await startHubStack(t);
  const a = (await joinDevice(fixture, 'ikea-bulb')).ieee;
  const b = (await joinDevice(fixture, 'ikea-bulb')).ieee;
  t.match(await run({ kind: 'create_group', name: 'Hall' }), { ok: true });
  t.match(await run({ kind: 'create_group', name: 'Stairs' }), { ok: true });
  for (const [group, ieee] of [[1, a], [1, b], [2, a]] as const) t.match(await run({ kind: 'add_group_member', group, ieee }), { ok: true });

  await store.flush();
  const before = committedEvents(dbPath).length;
  t.match(await run({ kind: 'remove_device', ieee: a, force: true }), { ok: true });
  await store.flush();
  const after = committedEvents(dbPath).slice(before).map((e) => e.event);
  t.ok(after.some((e) => e.kind === 'device_removed' && e.ieee === a), 'device_removed');
  t.same(
    after.filter((e) => e.kind === 'group_changed'),
    [
      { kind: 'group_changed', groupId: 1, name: 'Hall', members: [{ ieee: b, endpoint: 1 }], deleted: false },
      { kind: 'group_changed', groupId: 2, name: 'Stairs', members: [], deleted: false },
    ],
    'each group it was in, as it is without it',
  );
  t.same(store.groups.list().map((g) => g.members), [[{ ieee: b, endpoint: 1 }], []], 'stored');
});
