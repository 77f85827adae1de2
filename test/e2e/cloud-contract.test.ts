// The cloud contract as a platform written from cloud.proto alone sees it, against the real
// daemon process on the virtual coordinator: the gateway status at connect, full state in every
// StateChanged, fresh values after read_state, and a complete, bracketed snapshot on request.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { DaemonProcess } from '../../scripts/lib/daemon-process.js';
import { startVirtualCoordinator } from '../../scripts/virtual-coordinator/coordinator.js';
import { daemonOnFormedStick } from '../zigbee/formed-stick.js';
import type { SimulatedDevice } from '../../scripts/virtual-coordinator/devices/simulated-device.js';
import { ProtoOnlyCloud, type ReceivedEvent } from '../cloud/helpers/proto-only-cloud.js';
import { daemonConfig } from './stack.js';

t.test('the contract, end to end, decoded from the .proto alone', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zigbee-hubd-contract-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: path.join(dir, 'stick.json'), ...(await daemonOnFormedStick(path.join(dir, 'data'))) });
  t.teardown(() => coordinator.stop());
  const cloud = await ProtoOnlyCloud.start();
  t.teardown(() => cloud.stop());
  const daemon = DaemonProcess.start({ dir, config: daemonConfig(coordinator.port, cloud.port) });
  t.teardown(() => daemon.stop());
  await daemon.ready();

  const connected = await cloud.waitForEvent((e) => e.payload === 'gateway_status' && e['gateway_status'].reason === 'connected', 60_000);
  t.match(connected['gateway_status'], {
    firmware_version: /\S/,
    node_version: process.version,
    coordinator: { type: /\S/, ieee: /^0x[0-9a-f]{16}$/ },
    devices: { total: 0 },
    outbox: {},
  }, 'gateway status at connect');
  t.ok(connected['gateway_status'].channel >= 11 && connected['gateway_status'].channel <= 26, 'with the channel');
  t.ok(connected['gateway_status'].pan_id > 0, 'and the PAN id');

  t.match(await cloud.command({ permit_join: { seconds: 60 } }, 30_000), { ok: true });
  const bulb = coordinator.join('ikea-bulb').ieee;
  const weather = coordinator.join('aqara-weather').ieee;
  for (const ieee of [bulb, weather]) {
    await cloud.waitForEvent((e) => e.payload === 'device_interview' && e['device_interview'].ieee === ieee && e['device_interview'].status === 'INTERVIEW_STATUS_SUCCESSFUL', 90_000);
  }

  await t.test('StateChanged carries the full state and names what changed', async (t) => {
    coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: 2150 });
    await cloud.waitForEvent((e) => e.payload === 'state_changed' && e['state_changed'].ieee === weather && e['state_changed'].state.temperature === 21.5);
    coordinator.set(weather, 1, 'msRelativeHumidity', { measuredValue: 4000 });
    const change = await cloud.waitForEvent((e) => e.payload === 'state_changed' && e['state_changed'].ieee === weather && e['state_changed'].changed.includes('humidity'));
    t.match(change['state_changed'].state, { temperature: 21.5, humidity: 40 }, 'temperature is still there');
    t.notOk(change['state_changed'].changed.includes('temperature'));
  });

  await t.test('read_state returns fresh values and reports them as a state change first', async (t) => {
    (coordinator.device(bulb) as SimulatedDevice).set(1, 0x0008, { 0: 77 }, 'silent');
    const result = await cloud.command({ read_state: { ieee: bulb, keys: ['brightness'] } }, 30_000);
    t.match(result, { ok: true, state: { brightness: 77 } });
    const change = cloud.events.find((e) => e.payload === 'state_changed' && e['state_changed'].ieee === bulb && e['state_changed'].state.brightness === 77);
    const answer = cloud.events.find((e) => e.payload === 'command_result' && e['command_result'] === result);
    t.ok(change && answer && change.seq < answer.seq, 'the state change comes before the result');
    t.match(await cloud.command({ read_state: { ieee: bulb, keys: ['write'] } }), { ok: false, error: /cannot read 'write' \(readable: / });
  });

  await t.test('request_snapshot: every device and group between a start and an end, then the result', async (t) => {
    t.match(await cloud.command({ create_group: { name: 'Empty' } }, 30_000), { ok: true, state: { group_id: 1 } });
    t.match(await cloud.command({ create_group: { name: 'Hall' } }, 30_000), { ok: true, state: { group_id: 2 } });
    t.match(await cloud.command({ change_group_member: { group_id: 2, ieee: bulb } }, 30_000), { ok: true });
    t.match(await cloud.command({ set_group_state: { group_id: 2, state: { state: 'ON' } } }, 30_000), { ok: true });
    await cloud.waitForEvent((e) => e.payload === 'group_state_changed' && e['group_state_changed'].group_id === 2 && e['group_state_changed'].state.state === 'ON');

    const result = await cloud.command({ request_snapshot: {} }, 30_000);
    t.match(result, { ok: true, state: { snapshot_id: /\S/, devices: 2, groups: 2 } });
    const id = result['state'].snapshot_id as string;
    const start = cloud.events.findIndex((e) => e.payload === 'snapshot_started' && e['snapshot_started'].snapshot_id === id);
    const run: ReceivedEvent[] = cloud.events.slice(start, start + 6);
    t.same(run.map((e) => e.payload), ['snapshot_started', 'snapshot_device', 'snapshot_device', 'group_changed', 'group_changed', 'snapshot_ended']);
    t.same(run.map((e) => e.seq - run[0]!.seq), [0, 1, 2, 3, 4, 5], 'consecutive seqs');
    t.match(run[0]!['snapshot_started'], { devices: 2, groups: 2 });
    t.match(run[5]!['snapshot_ended'], { snapshot_id: id, devices: 2, groups: 2 });
    const groups = run.slice(3, 5).map((e) => e['group_changed']);
    t.match(groups[0], { snapshot_id: id, group_id: 1, name: 'Empty', members: [], deleted: false });
    t.same(groups[1], { snapshot_id: id, group_id: 2, name: 'Hall', members: [{ ieee: bulb, endpoint: 1 }], deleted: false, state: { state: 'ON' } }, 'a group with its members and state');
    const devices = run.slice(1, 3).map((e) => e['snapshot_device']);
    const byIeee = new Map(devices.map((d) => [d.device.ieee, d]));
    t.match(byIeee.get(bulb), { snapshot_id: id, name: bulb, available: true, device: { model: 'LED1545G12' }, state: { brightness: 77, state: 'ON' } });
    t.match(byIeee.get(weather), { device: { model: 'WSDCGQ11LM' }, state: { temperature: 21.5, humidity: 40 } });
    const answer = cloud.events.find((e) => e.payload === 'command_result' && e['command_result'] === result)!;
    t.ok(answer.seq > run[5]!.seq, 'the result follows snapshot_ended');
  });
});
