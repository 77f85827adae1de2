// The product path end to end: virtual coordinator -> zigbee-herdsman -> daemon -> SQLite ->
// gRPC -> reference cloud, and commands back, with the daemon as a real process.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { Subsystem } from '../../scripts/virtual-coordinator/transport/unpi.js';
import { joinDevices, startStack, GATEWAY } from './stack.js';

const BDB_START_COMMISSIONING = 0x05;

t.test('devices join, report and obey the cloud; a restart resumes the same network', async (t) => {
  const stack = await startStack({ blankStick: true });
  t.teardown(() => stack.stop());
  let commissionings = 0;
  stack.coordinator.on('frame', (direction, frame) => {
    if (direction === 'rx' && frame.subsystem === Subsystem.APP_CNF && frame.command === BDB_START_COMMISSIONING) commissionings++;
  });
  const first = stack.daemon.lines.find((l) => l.msg === 'zigbee network started');
  t.equal(first?.result, 'reset', 'first start forms a new network');

  const ieees = await joinDevices(stack, ['aqara-weather', 'aqara-door', 'ikea-bulb', 'aqara-plug']);

  await t.test('joined devices are in SQLite with the models the converters resolve', async (t) => {
    const rows = stack.query<{ ieee: string; model: string; vendor: string; interview: string }>(
      'SELECT ieee, model, vendor, interview FROM devices ORDER BY model',
    );
    t.same(
      rows.map((r) => [r.model, r.interview]),
      [['LED1545G12', 'successful'], ['MCCGQ11LM', 'successful'], ['WSDCGQ11LM', 'successful'], ['ZNCZ02LM', 'successful']],
    );
    t.equal(rows.find((r) => r.model === 'WSDCGQ11LM')?.ieee, ieees.get('aqara-weather'));
  });

  await t.test('a temperature report ends as temperature 21.5 in SQLite and at the cloud', async (t) => {
    const weather = ieees.get('aqara-weather')!;
    stack.coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: 2150 });
    const atCloud = await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === weather && 'temperature' in e.event.state);
    // The full latest state, with temperature named as changed.
    t.match(atCloud.event, { kind: 'state_changed', state: { temperature: 21.5 } });
    t.ok(atCloud.event.kind === 'state_changed' && atCloud.event.changed.includes('temperature'));
    const stored = stack.query<{ value: string }>("SELECT value FROM device_state WHERE ieee = ? AND key = 'temperature'", weather);
    t.same(stored.map((r) => JSON.parse(r.value)), [21.5]);
  });

  await t.test('a cloud command switches the simulated bulb and its new state comes back', async (t) => {
    const bulb = ieees.get('ikea-bulb')!;
    const result = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_state', ieee: bulb, state: { state: 'ON', brightness: 128 } }, 30_000);
    t.ok(result.ok, `command ok (${result.error ?? ''})`);
    const device = stack.coordinator.device(bulb) as unknown as { get(ep: number, cluster: number, attr: number): unknown };
    t.equal(device.get(1, 0x0006, 0x0000), true, 'the simulated bulb is on');
    t.equal(device.get(1, 0x0008, 0x0000), 128, 'at the requested level');
    await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === bulb && e.event.state.state === 'ON');
    const off = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_state', ieee: bulb, state: { state: 'OFF' } }, 30_000);
    t.ok(off.ok);
    t.equal(device.get(1, 0x0006, 0x0000), false, 'and off again');
    await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === bulb && e.event.state.state === 'OFF');
  });

  await t.test('a command for an unknown device is refused with a clear reason', async (t) => {
    const result = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_state', ieee: '0x00124b00deadbeef', state: { state: 'ON' } }, 30_000);
    t.notOk(result.ok);
    t.match(result.error, /unknown device.*0x00124b00deadbeef/);
  });

  await t.test('a malformed frame from a device is dropped and the daemon keeps running', async (t) => {
    const weather = ieees.get('aqara-weather')!;
    stack.coordinator.fault({ type: 'malformed', kind: 'zcl', ieee: weather, count: 1 });
    stack.coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: 1990 });
    stack.coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: 2210 });
    await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === weather && e.event.state.temperature === 22.1);
    const temps = stack.cloud.events(GATEWAY).flatMap((e) => (e.event.kind === 'state_changed' && e.event.ieee === weather ? [e.event.state.temperature] : []));
    t.notOk(temps.includes(19.9), 'the truncated report did not become state');
    const logged = stack.daemon.lines.find((l) => l.level === 'warn' && l.ieee === weather && /malformed/.test(String(l.reason)));
    t.ok(logged, 'the rejection is logged with the device and the reason');
    t.equal(stack.daemon.child.exitCode, null, 'daemon still running');
  });

  await t.test('SIGTERM stops cleanly; the restart resumes with the same credentials and devices', async (t) => {
    const networkFile = path.join(stack.dir, 'data', 'network.json');
    const credentialsBefore = fs.readFileSync(networkFile, 'utf8');
    const nwkBefore = stack.coordinator.networkSummary();
    const exit = await stack.daemon.stop();
    t.equal(exit.code, 0, 'clean exit');
    t.ok(stack.daemon.lines.some((l) => l.msg === 'zigbee-hubd stopped'));
    const commissioningsBefore = commissionings;

    const daemon = await stack.restartDaemon();
    t.equal(daemon.lines.find((l) => l.msg === 'zigbee network started')?.result, 'resumed');
    t.equal(commissionings, commissioningsBefore, 'no second commissioning');
    t.equal(fs.readFileSync(networkFile, 'utf8'), credentialsBefore, 'same network credentials');
    const nwkAfter = stack.coordinator.networkSummary();
    t.same([nwkAfter.panId, nwkAfter.extendedPanId, nwkAfter.channel], [nwkBefore.panId, nwkBefore.extendedPanId, nwkBefore.channel]);
    t.equal(stack.query('SELECT ieee FROM devices').length, 4, 'devices still known');
    t.equal((fs.statSync(networkFile).mode & 0o777).toString(8), '600', 'credentials file is private');

    // The network still works after the restart: a report arrives.
    const weather = ieees.get('aqara-weather')!;
    stack.coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: 2333 });
    await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === weather && e.event.state.temperature === 23.33);
  });

  await t.test('the network key never reaches the logs', async (t) => {
    const file = JSON.parse(fs.readFileSync(path.join(stack.dir, 'data', 'network.json'), 'utf8')) as { network_key: string };
    t.match(file.network_key, /^[0-9a-f]{32}$/, 'the credentials file holds a key');
    const bytes = [...Buffer.from(file.network_key, 'hex')];
    const logs = JSON.stringify(stack.daemon.lines).toLowerCase();
    t.notOk(logs.includes(file.network_key), 'key not in the logs as hex');
    t.notOk(logs.includes(bytes.join(',')), 'key not in the logs as a byte list');
  });
});
