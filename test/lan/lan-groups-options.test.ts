// The LAN API's device options and group calls: decoded, scoped, and handed to the one
// command executor (recorded here) as the same commands the cloud sends. Real gRPC over TLS,
// real store.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { fromStruct, toStruct } from '../../daemon/cloud/index.js';
import { runHubctl } from '../../scripts/hubctl.js';
import { LanCallError } from '../../scripts/hubctl/calls.js';
import { writeHubctlConfig } from '../../scripts/hubctl/config-file.js';
import { device } from '../store/helpers.js';
import { startTestLan } from './helpers.js';

t.test('SetDeviceOptions and the group calls reach the executor as hub commands', async (t) => {
  const lan = await startTestLan(t);
  const { token } = await lan.pair('control', 'tablet');
  const bulb = device(1);
  lan.store.devices.upsert(bulb);
  lan.store.devices.rename(bulb.ieee, 'Hall lamp');

  await lan.call('SetDeviceOptions', { device: 'Hall lamp', options: toStruct({ transition: 2, occupancy_timeout: null }) }, token);
  await lan.call('CreateGroup', { name: 'Hall' }, token);
  await lan.call('AddGroupMember', { group: 'Hall', device: 'Hall lamp', endpoint: 'left' }, token);
  await lan.call('RemoveGroupMember', { group: '3', device: bulb.ieee }, token);
  await lan.call('SetGroupState', { group: 'Hall', state: toStruct({ state: 'ON' }) }, token);
  await lan.call('RenameGroup', { group: 'Hall', name: 'Hallway' }, token);
  await lan.call('DeleteGroup', { group: '3' }, token);
  t.same(
    lan.executor.commands.map(({ id, ...rest }) => (t.match(id, /^lan-/), rest)),
    [
      { kind: 'set_options', ieee: bulb.ieee, options: { transition: 2, occupancy_timeout: null } },
      { kind: 'create_group', name: 'Hall' },
      { kind: 'add_group_member', group: 'Hall', ieee: 'Hall lamp', endpoint: 'left' },
      { kind: 'remove_group_member', group: 3, ieee: bulb.ieee },
      { kind: 'set_group_state', group: 'Hall', state: { state: 'ON' } },
      { kind: 'rename_group', group: 'Hall', name: 'Hallway' },
      { kind: 'delete_group', group: 3 },
    ],
  );

  lan.store.groups.create(3, 'Hall');
  lan.store.groups.addMember(3, bulb.ieee, 1);
  lan.store.groupState.apply(3, { state: 'ON', brightness: 120 });
  const reader = await lan.pair('read', 'dashboard');
  const listed = (await lan.call('ListGroups', {}, reader.token)) as { groups: Array<{ state: unknown }> };
  t.same(
    listed.groups.map((g) => ({ ...g, state: fromStruct(g.state as never) })),
    [{ id: 3, name: 'Hall', members: [{ ieee: bulb.ieee, endpoint: 1 }], state: { state: 'ON', brightness: 120 } }],
    'with the state derived from its members',
  );
  const denied = await lan.call('CreateGroup', { name: 'Kitchen' }, reader.token).catch((error: unknown) => error);
  t.ok(denied instanceof LanCallError, 'a read client cannot create groups');
  t.match((denied as LanCallError).details, /CreateGroup needs the "control" scope/);
  const empty = await lan.call('SetDeviceOptions', { device: bulb.ieee }, token).catch((error: unknown) => error);
  t.match((empty as LanCallError).details, /options must name at least one option/);
});

t.test('hubctl options NAME key=value: SetDeviceOptions, null removes', async (t) => {
  const lan = await startTestLan(t);
  const { token, clientId } = await lan.pair('control', 'laptop');
  const bulb = device(1);
  lan.store.devices.upsert(bulb);
  lan.store.devices.rename(bulb.ieee, 'Hall lamp');
  const config = path.join(lan.dir, 'hubctl.json');
  const certificate = fs.readFileSync(path.join(lan.dir, 'lan', 'lan-cert.pem'), 'utf8');
  writeHubctlConfig(config, { address: lan.address, fingerprint: lan.lan.fingerprint, certificate, token, clientId, clientName: 'laptop' });
  const out: string[] = [];
  const io = { stdout: (l: string) => out.push(l), stderr: (l: string) => out.push(l), env: {}, interrupted: new Promise<void>(() => {}) };
  const code = await runHubctl(['options', 'Hall lamp', 'transition=2', 'occupancy_timeout=null', '--config', config], io);
  t.equal(code, 0, out.join('\n'));
  t.match(lan.executor.commands.at(-1), { kind: 'set_options', ieee: bulb.ieee, options: { transition: 2, occupancy_timeout: null } });
  t.equal(await runHubctl(['options', 'Hall lamp', '--config', config], io), 2, 'no option given: a usage error');
});

t.test('the scene calls reach the executor as hub commands; ListScenes shows what the hub stored', async (t) => {
  const lan = await startTestLan(t);
  const { token } = await lan.pair('control', 'tablet');
  const bulb = device(1);
  lan.store.devices.upsert(bulb);
  lan.store.devices.rename(bulb.ieee, 'Hall lamp');

  await lan.call('StoreScene', { group: 'Hall', scene_id: 2, name: 'Evening' }, token);
  await lan.call('RecallScene', { device: 'Hall lamp', endpoint: 'left', scene: 'Dim' }, token);
  await lan.call('RemoveScene', { group: '3', scene: '2' }, token);
  t.same(
    lan.executor.commands.map(({ id, ...rest }) => (t.match(id, /^lan-/), rest)),
    [
      { kind: 'store_scene', target: { group: 'Hall' }, sceneId: 2, name: 'Evening' },
      { kind: 'recall_scene', target: { ieee: 'Hall lamp', endpoint: 'left' }, scene: 'Dim' },
      { kind: 'remove_scene', target: { group: 3 }, scene: 2 },
    ],
  );
  const both = await lan.call('RecallScene', { group: 'Hall', device: 'Hall lamp', scene: '1' }, token).catch((error: unknown) => error);
  t.match((both as LanCallError).details, /a scene needs either group or device \(exactly one\)/);

  lan.store.groups.create(3, 'Hall');
  lan.store.scenes.put({ target: { groupId: 3 }, sceneId: 2, name: 'Evening', state: {} });
  lan.store.scenes.put({ target: { ieee: bulb.ieee, endpoint: 1 }, sceneId: 0, name: 'Dim', state: { [bulb.ieee]: { brightness: 10 } } });
  const reader = await lan.pair('read', 'dashboard');
  t.same((await lan.call('ListScenes', {}, reader.token)) as unknown, {
    scenes: [
      { group_id: 0, ieee: bulb.ieee, endpoint: 1, scene_id: 0, name: 'Dim' },
      { group_id: 3, ieee: '', endpoint: 0, scene_id: 2, name: 'Evening' },
    ],
  });
  const denied = await lan.call('StoreScene', { group: 'Hall', scene_id: 1, name: 'x' }, reader.token).catch((error: unknown) => error);
  t.match((denied as LanCallError).details, /StoreScene needs the "control" scope/);
});

t.test('Bind, Unbind and ConfigureReporting reach the executor as hub commands; a target must be one thing', async (t) => {
  const lan = await startTestLan(t);
  const { token } = await lan.pair('control', 'tablet');
  const remote = device(2);
  lan.store.devices.upsert(remote);

  t.same(await lan.call('Bind', { device: remote.ieee, target_device: 'Hall lamp', target_endpoint: 'left', clusters: ['genOnOff'] }, token), { bindings: [], reporting: [] });
  await lan.call('Unbind', { device: remote.ieee, endpoint: '1', target_group: '3' }, token);
  await lan.call('ConfigureReporting', { device: 'Hall lamp', cluster: 'genLevelCtrl', attribute: 'currentLevel', minimum_interval: 1, maximum_interval: 300, reportable_change: 5 }, token);
  t.same(
    lan.executor.commands.map(({ id, ...rest }) => (t.match(id, /^lan-/), rest)),
    [
      { kind: 'bind', ieee: remote.ieee, target: { ieee: 'Hall lamp', endpoint: 'left' }, clusters: ['genOnOff'] },
      { kind: 'bind', ieee: remote.ieee, endpoint: '1', target: { group: 3 }, unbind: true },
      { kind: 'configure_reporting', ieee: 'Hall lamp', cluster: 'genLevelCtrl', attribute: 'currentLevel', minimumInterval: 1, maximumInterval: 300, reportableChange: 5 },
    ],
  );
  const both = await lan.call('Bind', { device: remote.ieee, target_group: '3', target_device: 'x' }, token).catch((error: unknown) => error);
  t.match((both as LanCallError).details, /a binding needs either target_group or target_device \(exactly one\)/);
  const reader = await lan.pair('read', 'dashboard');
  const listed = await lan.call('ListBindings', { device: remote.ieee }, reader.token).catch((error: unknown) => error);
  t.match((listed as LanCallError).details, /bindings cannot be listed: the hub has no radio here/, 'said so, without a radio');
  const denied = await lan.call('Bind', { device: remote.ieee, target_group: '3' }, reader.token).catch((error: unknown) => error);
  t.match((denied as LanCallError).details, /Bind needs the "control" scope/);
});
