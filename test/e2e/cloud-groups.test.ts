// Groups on the cloud link, end to end: the reference cloud sends the group commands, the
// daemon (a real process) tells the devices on the virtual coordinator and stores the groups;
// group changes and the group's state derived from its members come back as events; scenes
// are stored on and recalled by the simulated devices themselves.
import t from 'tap';
import type { HubEvent } from '../../daemon/domain/events.js';
import { GATEWAY, joinDevices, startStack } from './stack.js';

const ON_OFF = 0x0006;

t.test('create, add a bulb and one relay of a double rocker, switch, rename, scenes, delete: all from the cloud', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.stop());
  const joined = await joinDevices(stack, ['ikea-bulb', 'aqara-double-rocker']);
  const bulb = joined.get('ikea-bulb')!;
  const rocker = joined.get('aqara-double-rocker')!;
  const onOff = (ieee: string, ep: number) => (stack.coordinator.device(ieee) as unknown as { get(ep: number, cluster: number, attr: number): unknown }).get(ep, ON_OFF, 0);
  const send = (command: Record<string, unknown>) => stack.cloud.sendCommand(GATEWAY, command as never, 30_000);
  const groupEvent = <K extends 'group_changed' | 'group_state_changed'>(kind: K, accept: (e: Extract<HubEvent, { kind: K }>) => boolean) =>
    stack.waitForCloud((e) => e.event.kind === kind && accept(e.event as Extract<HubEvent, { kind: K }>));

  const created = await send({ kind: 'create_group', name: 'Living room' });
  t.match(created, { ok: true, state: { group_id: 1 } }, `created (${created.error ?? ''})`);
  await groupEvent('group_changed', (e) => e.groupId === 1 && e.name === 'Living room' && e.members.length === 0);

  t.match(await send({ kind: 'add_group_member', group: 1, ieee: bulb }), { ok: true });
  const added = await send({ kind: 'add_group_member', group: 1, ieee: rocker, endpoint: 'right' });
  t.ok(added.ok, `relay added (${added.error ?? ''})`);
  await groupEvent('group_changed', (e) => e.members.length === 2);
  t.same(
    stack.query<{ ieee: string; endpoint: number }>('SELECT ieee, endpoint FROM group_members WHERE group_id = 1 ORDER BY ieee'),
    [{ ieee: bulb, endpoint: 1 }, { ieee: rocker, endpoint: 2 }].sort((a, b) => a.ieee.localeCompare(b.ieee)),
    'stored in SQLite, the right relay as endpoint 2',
  );

  const off = await send({ kind: 'set_group_state', group: 1, state: { state: 'OFF' } });
  t.ok(off.ok, `group off (${off.error ?? ''})`);
  t.same([onOff(bulb, 1), onOff(rocker, 1), onOff(rocker, 2)].map(Boolean), [false, false, false]);
  const on = await send({ kind: 'set_group_state', group: 1, state: { state: 'ON' } });
  t.ok(on.ok, `group on (${on.error ?? ''})`);
  t.same([onOff(bulb, 1), onOff(rocker, 1), onOff(rocker, 2)], [true, false, true], 'the bulb and the right relay, not the left one');
  await groupEvent('group_state_changed', (e) => e.groupId === 1 && e.state['state'] === 'ON');
  // The members' state (optimistic, then their own reports) under their own names.
  await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === rocker && e.event.state['state_right'] === 'ON');

  // The right relay switched off at the wall: the bulb is still on, so the group stays on...
  stack.coordinator.set(rocker, 2, 'genOnOff', { onOff: false });
  const relayOff = await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === rocker && e.event.state['state_right'] === 'OFF');
  // ...and the bulb switched off from the cloud: now every member is off.
  t.match(await send({ kind: 'set_state', ieee: bulb, state: { state: 'OFF' } }), { ok: true });
  const bulbOff = await stack.waitForCloud((e) => e.seq > relayOff.seq && e.event.kind === 'state_changed' && e.event.ieee === bulb && e.event.state['state'] === 'OFF');
  const groupOff = await stack.waitForCloud((e) => e.seq > relayOff.seq && e.event.kind === 'group_state_changed' && e.event.state['state'] === 'OFF');
  t.ok(groupOff.seq > bulbOff.seq, `the group turned off only after its last member did (relay off #${relayOff.seq}, bulb off #${bulbOff.seq}, group off #${groupOff.seq})`);

  t.match(await send({ kind: 'rename_group', group: 1, name: 'Lounge' }), { ok: true });
  await groupEvent('group_changed', (e) => e.name === 'Lounge' && !e.deleted);
  t.match(await send({ kind: 'set_group_state', group: 9, state: { state: 'ON' } }), { ok: false, error: /unknown group 9/ });
  t.match(await send({ kind: 'set_group_state', group: 1, state: { state: 'BRIGHT' } }), { ok: false, error: /state/ });
  t.match(await send({ kind: 'create_group', name: 'Lounge' }), { ok: false, error: /already used by group 1/ });

  // Scenes from the cloud: stored on the group, recalled after the members changed.
  t.match(await send({ kind: 'set_group_state', group: 1, state: { state: 'ON' } }), { ok: true });
  const stored = await send({ kind: 'store_scene', target: { group: 1 }, sceneId: 4, name: 'All on' });
  t.match(stored, { ok: true, state: { scene_id: 4, name: 'All on', group_id: 1 } }, `scene stored (${stored.error ?? ''})`);
  t.same(stack.query<{ name: string }>('SELECT name FROM scenes WHERE group_id = 1 AND scene_id = 4'), [{ name: 'All on' }], 'in SQLite');
  t.match(await send({ kind: 'set_group_state', group: 1, state: { state: 'OFF' } }), { ok: true });
  t.same([onOff(bulb, 1), onOff(rocker, 2)], [false, false]);
  const recalled = await send({ kind: 'recall_scene', target: { group: 1 }, scene: 4 });
  t.ok(recalled.ok, `scene recalled (${recalled.error ?? ''})`);
  t.same([onOff(bulb, 1), onOff(rocker, 1), onOff(rocker, 2)], [true, false, true], 'the members restored it, the left relay untouched');
  t.same(stack.query<{ key: string }>("SELECT key FROM device_state WHERE ieee = ? AND key = 'state_right'", rocker), [{ key: 'state_right' }]);
  t.match(await send({ kind: 'set_state', ieee: rocker, state: { state_left: 'ON' } }), { ok: true });
  const device = await send({ kind: 'store_scene', target: { ieee: rocker, endpoint: 'left' }, sceneId: 1, name: 'Left on' });
  t.match(device, { ok: true, state: { ieee: rocker, endpoint: 1 } }, `device scene stored (${device.error ?? ''})`);
  const restores = stack.query<{ state: string }>('SELECT state FROM scenes WHERE ieee = ?', rocker).map((r) => JSON.parse(r.state) as Record<string, Record<string, unknown>>);
  t.same(restores, [{ [rocker]: { state_left: 'ON' } }], 'a scene on the left relay restores state_left only (the hub knows state_right too)');
  t.match(await send({ kind: 'remove_scene', target: { group: 1 }, scene: 4 }), { ok: true });
  t.match(await send({ kind: 'recall_scene', target: { group: 1 }, scene: 4 }), { ok: false, error: /no scene 4 on group 1/ });

  t.match(await send({ kind: 'delete_group', group: 1 }), { ok: true });
  await groupEvent('group_changed', (e) => e.groupId === 1 && e.deleted);
  t.same(stack.query('SELECT id FROM groups'), [], 'gone from SQLite');
  t.same((stack.coordinator.device(bulb) as unknown as { groupsOf(ep: number): number[] }).groupsOf(1), [], 'the bulb was told to leave');
});
