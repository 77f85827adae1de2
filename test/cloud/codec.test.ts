// Every domain event and command survives real protobuf encoding (the same serializers the
// gRPC stream uses) unchanged: proves wire.ts matches cloud.proto and the codecs are lossless.
import t from 'tap';
import type { HubCommand, HubEvent, SequencedEvent } from '../../daemon/domain/events.js';
import { decodeCommand, encodeCommand } from '../../daemon/cloud/command-codec.js';
import { decodeEvent, encodeEvent } from '../../daemon/cloud/event-codec.js';
import { hubLinkService } from '../../daemon/cloud/proto.js';
import type { CloudMessage, HubMessage } from '../../daemon/cloud/wire.js';
import { toStruct } from '../../daemon/cloud/struct-codec.js';

const connect = hubLinkService.Connect!;
const overHubWire = (message: HubMessage) => connect.requestDeserialize(connect.requestSerialize(message)) as HubMessage;
const overCloudWire = (message: CloudMessage) =>
  connect.responseDeserialize(connect.responseSerialize(message)) as CloudMessage;

const IEEE = '0x00124b0001abcd01';
const EVENTS: HubEvent[] = [
  { kind: 'device_joined', ieee: IEEE, nwk: 0x1a2b },
  { kind: 'device_interview', ieee: IEEE, status: 'in_progress' },
  {
    kind: 'device_interview',
    ieee: IEEE,
    status: 'successful',
    device: {
      ieee: IEEE,
      nwk: 0x1a2b,
      type: 'EndDevice',
      manufacturerCode: 4447,
      manufacturerName: 'LUMI',
      modelId: 'lumi.weather',
      powerSource: 'Battery',
      model: 'WSDCGQ11LM',
      vendor: 'Aqara',
      description: 'Temperature, humidity and pressure sensor',
      supported: true,
      interview: 'successful',
      endpoints: [{ id: 1, profileId: 260, deviceId: 24321, inClusters: [0, 3, 0xffff], outClusters: [0, 4] }],
    },
  },
  {
    kind: 'device_interview',
    ieee: IEEE,
    status: 'failed',
    device: { ieee: IEEE, nwk: 1, type: 'Unknown', supported: false, interview: 'failed', endpoints: [{ id: 242, inClusters: [], outClusters: [33] }] },
  },
  { kind: 'device_left', ieee: IEEE },
  { kind: 'device_removed', ieee: IEEE },
  { kind: 'device_renamed', ieee: IEEE, name: 'Kitchen sensor', room: 'Kitchen' },
  { kind: 'device_renamed', ieee: IEEE, name: 'Hall lamp' },
  {
    kind: 'state_changed',
    ieee: IEEE,
    state: {
      temperature: 21.55,
      humidity: 48,
      pressure: -1,
      big: 2 ** 40,
      battery_low: false,
      state: 'ON',
      color: { x: 0.3127, y: 0.329 },
      action_group: null,
      list: [1, 'two', true],
    },
    changed: ['temperature', 'humidity'],
  },
  { kind: 'availability_changed', ieee: IEEE, available: false },
  { kind: 'permit_join_changed', open: true, seconds: 254 },
  { kind: 'command_result', commandId: 'c-1', ok: true, state: { state: 'OFF' } },
  { kind: 'command_result', commandId: 'c-2', ok: false, error: 'expired' },
  { kind: 'resync_requested', reason: 'database rebuilt after corruption' },
  { kind: 'gap', fromSeq: 10, toSeq: 5000, dropped: 4000, reason: 'outbox over 100000 events' },
  { kind: 'health_changed', component: 'store', status: 'bad', reason: 'data dir is read-only' },
  { kind: 'health_changed', component: 'coordinator', status: 'ok' },
  { kind: 'device_quarantined', ieee: '0x00158d0001a2b3c4', reason: 'manufacturerName is a number', stage: 'interview' },
  { kind: 'snapshot_started', snapshotId: 's-1', devices: 2, groups: 1, reason: 'requested by command c-9' },
  {
    kind: 'snapshot_device',
    snapshotId: 's-1',
    device: {
      description: { ieee: IEEE, nwk: 0x1234, type: 'Router', supported: true, interview: 'successful', endpoints: [], model: 'LED1545G12' },
      name: 'Hall light',
      room: 'Hall',
      available: true,
      left: false,
      state: { state: 'ON', brightness: 128 },
      lastSeen: 1_763_000_000_000,
    },
  },
  {
    kind: 'snapshot_device',
    snapshotId: 's-1',
    device: {
      description: { ieee: '0x00158d0001a2b3c4', nwk: 1, type: 'EndDevice', supported: false, interview: 'failed', endpoints: [] },
      name: '0x00158d0001a2b3c4',
      available: false,
      left: true,
      quarantine: { reason: 'bad frames', stage: 'message' },
      state: {},
    },
  },
  { kind: 'group_changed', groupId: 3, name: 'Hall', members: [{ ieee: IEEE, endpoint: 1 }], deleted: false, snapshotId: 's-1', state: { state: 'ON', brightness: 128 } },
  { kind: 'snapshot_ended', snapshotId: 's-1', devices: 2, groups: 1 },
  {
    kind: 'gateway_status',
    reason: 'connected',
    firmwareVersion: '1.0.0',
    nodeVersion: 'v22.11.0',
    coordinator: { type: 'zStack3x0', firmware: '20230507', ieee: '0x00124b0000000001' },
    network: { channel: 25, panId: 6754, extendedPanId: '0xdddddddddddddddd' },
    devices: { total: 3, available: 2, unavailable: 1, left: 0, quarantined: 1 },
    uptimeSeconds: 3600,
    outbox: { events: 12, bytes: 3400, oldestAgeMs: 1500 },
    lastError: 'store: disk full',
    health: [{ component: 'store', status: 'ok' }, { component: 'coordinator', status: 'bad', reason: 'unplugged' }],
  },
  { kind: 'group_state_changed', groupId: 3, state: { state: 'ON', brightness: 120, color: { x: 0.3, y: 0.4 } }, changed: ['state'] },
  { kind: 'group_changed', groupId: 3, name: 'Hall', members: [{ ieee: IEEE, endpoint: 2 }], deleted: false },
  { kind: 'group_changed', groupId: 4, name: 'Old', members: [], deleted: true },
];

t.test('every hub event round-trips through protobuf', async (t) => {
  const sequenced: SequencedEvent[] = EVENTS.map((event, i) => ({ seq: 2 ** 40 + i, at: 1_763_000_000_000 + i, event }));
  const decoded = overHubWire({ events: { events: sequenced.map(encodeEvent) } });
  t.equal(decoded.body, 'events');
  const back = decoded.events!.events!.map(decodeEvent);
  t.same(back, sequenced);
  // Strict: absent optional fields stay absent (not '' or 0), numbers are numbers.
  t.strictSame(back, sequenced);
});

t.test('an event with an unknown payload decodes to undefined, not garbage', async (t) => {
  const decoded = overHubWire({ events: { events: [{ seq: 7, at_ms: 1 }] } });
  t.equal(decodeEvent(decoded.events!.events![0]!), undefined);
});

t.test('every command round-trips through protobuf', async (t) => {
  const commands: HubCommand[] = [
    { kind: 'set_state', id: 'a', ieee: IEEE, state: { state: 'ON', brightness: 200, color: { x: 0.1, y: 0.2 } }, expiresAt: 1_763_000_000_000 },
    { kind: 'permit_join', id: 'b', seconds: 0 },
    { kind: 'permit_join', id: 'b2', seconds: 60, via: IEEE },
    { kind: 'remove_device', id: 'c', ieee: IEEE, force: true },
    { kind: 'set_options', id: 'd', ieee: IEEE, options: { temperature_calibration: -1.5, invert_cover: true, occupancy_timeout: null } },
    { kind: 'request_snapshot', id: 'd' },
    { kind: 'read_state', id: 'e', ieee: IEEE, keys: ['state', 'brightness'] },
    { kind: 'create_group', id: 'f', name: 'Hall' },
    { kind: 'create_group', id: 'g', name: 'Hall', groupId: 65527 },
    { kind: 'delete_group', id: 'h', group: 3 },
    { kind: 'rename_group', id: 'i', group: 3, name: 'Hallway' },
    { kind: 'add_group_member', id: 'j', group: 3, ieee: IEEE, endpoint: 'left' },
    { kind: 'remove_group_member', id: 'k', group: 3, ieee: IEEE },
    { kind: 'set_group_state', id: 'l', group: 3, state: { state: 'ON', brightness: 10 } },
    { kind: 'store_scene', id: 'm', target: { group: 3 }, sceneId: 0, name: 'Evening' },
    { kind: 'store_scene', id: 'n', target: { ieee: IEEE, endpoint: 'left' }, sceneId: 255, name: 'Dim' },
    { kind: 'recall_scene', id: 'o', target: { ieee: IEEE }, scene: 2 },
    { kind: 'remove_scene', id: 'p', target: { group: 3 }, scene: 2 },
    { kind: 'bind', id: 'q', ieee: IEEE, target: { group: 3 } },
    { kind: 'bind', id: 'r', ieee: IEEE, endpoint: '1', target: { ieee: '0x00158d0001a2b3c4', endpoint: 'left' }, clusters: ['genOnOff', 'genLevelCtrl'], unbind: true },
    { kind: 'configure_reporting', id: 's', ieee: IEEE, cluster: 'genLevelCtrl', attribute: 'currentLevel', minimumInterval: 1, maximumInterval: 300, reportableChange: 0.5 },
  ];
  for (const command of commands) {
    const wire = overCloudWire({ command: encodeCommand(command) });
    t.equal(wire.body, 'command');
    t.strictSame(decodeCommand(wire.command!), { ok: true, command });
  }
});

t.test('set_device_options needs an ieee and at least one option of a plain type', async (t) => {
  t.match(decodeCommand({ id: 'x', set_device_options: {} }), { ok: false, error: /set_device_options needs ieee/ });
  const empty = overCloudWire({ command: encodeCommand({ kind: 'set_options', id: 'y', ieee: IEEE, options: {} }) });
  t.match(decodeCommand(empty.command!), { ok: false, id: 'y', error: /needs at least one option/ });
  const list = overCloudWire({ command: encodeCommand({ kind: 'set_options', id: 'z', ieee: IEEE, options: { precision: [1, 2] } }) });
  t.match(decodeCommand(list.command!), { ok: false, error: /options\.precision must be a boolean, number, string or object/ });
});

t.test('set_state: null inside a value is kept (how a Yale lock\'s PIN is cleared), not at the top; limits still hold', async (t) => {
  const decode = (state: Record<string, unknown>) => decodeCommand(overCloudWire({ command: encodeCommand({ kind: 'set_state', id: 'n1', ieee: IEEE, state }) }).command!);
  t.strictSame(decode({ pin_code: { user: 1, pin_code: null } }), { ok: true, command: { kind: 'set_state', id: 'n1', ieee: IEEE, state: { pin_code: { user: 1, pin_code: null } } } });
  t.match(decode({ state: null }), { ok: false, error: /set_state state\.state must be a boolean, number, string or object \(null only inside one\)/ });
  t.match(decode({ a: { b: { c: { d: { e: null } } } } }), { ok: false, error: /state nested deeper than 4/ }, 'the depth limit counts objects around a null');
  t.match(decode({ pin_code: { user: 1, pin_code: [null] } }), { ok: false, error: /state\.pin_code must be a boolean, number, string or object/ }, 'a list is still refused');
  const group = decodeCommand(overCloudWire({ command: encodeCommand({ kind: 'set_group_state', id: 'n2', group: 3, state: { color: { x: 0.3, y: null } } }) }).command!);
  t.match(group, { ok: true }, 'the same rule for a group');
});

t.test('permit_join via: an ieee (normalised) or nothing; anything else is refused naming it', async (t) => {
  t.match(decodeCommand({ id: 'x', permit_join: { seconds: 60, via: '0x00124B0001ABCD01' } }), { ok: true, command: { via: IEEE } });
  t.strictSame(decodeCommand({ id: 'x', permit_join: { seconds: 60, via: '' } }), { ok: true, command: { kind: 'permit_join', id: 'x', seconds: 60 } });
  t.same(decodeCommand({ id: 'x', permit_join: { seconds: 60, via: 'hall plug' } }), {
    ok: false,
    id: 'x',
    error: `invalid: permit_join via must be a router's ieee as 0x + 16 hex digits, got "hall plug"`,
  });
});

t.test('group commands name a group by an id in range, and are checked like device commands', async (t) => {
  t.match(decodeCommand({ id: 'x', delete_group: {} }), { ok: false, error: /invalid: delete_group needs group_id 1\.\.65527, got 0/ });
  t.match(decodeCommand({ id: 'x', set_group_state: { group_id: 65528, state: toStruct({ state: 'ON' }) } }), { ok: false, error: /group_id 1\.\.65527, got 65528/ });
  t.match(decodeCommand({ id: 'x', set_group_state: { group_id: 1 } }), { ok: false, error: /set_group_state needs a non-empty state/ });
  t.match(decodeCommand({ id: 'x', create_group: { name: '' } }), { ok: false, error: /create_group name/ });
  t.match(decodeCommand({ id: 'x', create_group: { name: 'Hall', group_id: 70000 } }), { ok: false, error: /or 0 for the lowest free id/ });
  t.match(decodeCommand({ id: 'x', rename_group: { group_id: 2, name: 'a\nb' } }), { ok: false, error: /rename_group name/ });
  t.match(decodeCommand({ id: 'x', change_group_member: { group_id: 2, ieee: 'bulb' } }), { ok: false, error: /change_group_member needs ieee/ });
  t.match(decodeCommand({ id: 'x', change_group_member: { group_id: 2, ieee: IEEE, endpoint: '../1' } }), { ok: false, error: /endpoint "\.\.\/1" must be an endpoint name or id/ });
  t.throws(() => encodeCommand({ kind: 'delete_group', id: 'y', group: 'Hall' }), /names groups by id/);
});

t.test('scene commands name exactly one target and a scene id 0..255', async (t) => {
  t.match(decodeCommand({ id: 'x', use_scene: { scene_id: 1 } }), { ok: false, error: /invalid: use_scene needs either group_id or ieee \(exactly one\)/ });
  t.match(decodeCommand({ id: 'x', use_scene: { group_id: 1, ieee: IEEE } }), { ok: false, error: /exactly one/ });
  t.match(decodeCommand({ id: 'x', store_scene: { group_id: 1, scene_id: 256, name: 'a' } }), { ok: false, error: /scene_id must be 0\.\.255, got 256/ });
  t.match(decodeCommand({ id: 'x', store_scene: { group_id: 1, scene_id: 1 } }), { ok: false, error: /store_scene name/ });
  t.match(decodeCommand({ id: 'x', store_scene: { group_id: 1, endpoint: 'left', scene_id: 1, name: 'a' } }), { ok: false, error: /endpoint is for a device target/ });
  t.match(decodeCommand({ id: 'x', use_scene: { ieee: 'lamp', scene_id: 1 } }), { ok: false, error: /use_scene needs ieee/ });
  t.throws(() => encodeCommand({ kind: 'recall_scene', id: 'y', target: { group: 1 }, scene: 'Evening' }), /names scenes by id/);
});

t.test('bind and configure_reporting: one target, names that are names', async (t) => {
  t.match(decodeCommand({ id: 'x', bind: { ieee: IEEE } }), { ok: false, error: /bind needs either target_group_id or target_ieee \(exactly one\)/ });
  t.match(decodeCommand({ id: 'x', bind: { ieee: IEEE, target_group_id: 70000 } }), { ok: false, error: /target_group_id 1\.\.65527, got 70000/ });
  t.match(decodeCommand({ id: 'x', bind: { ieee: IEEE, target_ieee: 'bulb' } }), { ok: false, error: /target_ieee as 0x/ });
  t.match(decodeCommand({ id: 'x', bind: { ieee: IEEE, target_group_id: 1, clusters: ['gen OnOff'] } }), { ok: false, error: /"gen OnOff" is not a cluster name/ });
  t.match(decodeCommand({ id: 'x', configure_reporting: { ieee: IEEE, cluster: 'genOnOff' } }), { ok: false, error: /configure_reporting attribute "" is not a name/ });
});

t.test('command ieee is normalised to lower case', async (t) => {
  const decoded = decodeCommand({ id: 'x', remove_device: { ieee: '0x00124B0001ABCD01' } });
  t.match(decoded, { ok: true, command: { ieee: IEEE, force: false } });
});

t.test('hello, ping, welcome, ack and pong survive the wire with 64-bit numbers as numbers', async (t) => {
  t.strictSame(overHubWire({ hello: { gateway_id: 'g', firmware_version: '1', last_acked_seq: 2 ** 45, outbox_epoch: 'e' } }), {
    hello: { gateway_id: 'g', firmware_version: '1', last_acked_seq: 2 ** 45, outbox_epoch: 'e' },
    body: 'hello',
  });
  t.strictSame(overCloudWire({ ack: { up_to_seq: 2 ** 45 + 1 } }), { ack: { up_to_seq: 2 ** 45 + 1 }, body: 'ack' });
  t.strictSame(overCloudWire({ welcome: {} }), { welcome: { last_seq_seen: 0 }, body: 'welcome' });
});
