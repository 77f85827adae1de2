// The LAN API end to end: the daemon as a real process on the virtual coordinator, hubctl as a
// real process over real TLS: with no cloud at all, beside the reference cloud, and with a
// cloud configured but out of reach.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { fromStruct, toStruct } from '../../daemon/cloud/index.js';
import type { SimulatedDevice } from '../../scripts/virtual-coordinator/devices/simulated-device.js';
import { DaemonProcess } from '../../scripts/lib/daemon-process.js';
import { startVirtualCoordinator } from '../../scripts/virtual-coordinator/coordinator.js';
import { daemonOnFormedStick } from '../zigbee/formed-stick.js';
import { adminRequest } from '../../scripts/hubctl/admin-client.js';
import { unaryCall, watchCall } from '../../scripts/hubctl/calls.js';
import { fetchCertificate, pinnedClient } from '../../scripts/hubctl/pinned-client.js';
import { joinDevices, startStack } from '../e2e/stack.js';
import { hubctl, HubctlWatch } from './hubctl-process.js';

const LAN = { listen: '127.0.0.1', port: 0, mdns: false };

// Each case has its own data dir, stick and daemon (LAN on port 0, no mDNS) and mostly waits on
// process starts: they run side by side (tap buffers each one's output).
t.jobs = 3;

t.test('with no cloud: pair with hubctl, join and switch the IKEA bulb, watch a sensor report', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zigbee-hubd-lan-'));
  const coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: path.join(dir, 'stick.json'), ...(await daemonOnFormedStick(path.join(dir, 'data'))) });
  const daemon = DaemonProcess.start({
    dir,
    config: {
      data_dir: './data',
      serial: { path: `tcp://127.0.0.1:${coordinator.port}`, adapter: 'zstack' },
      cloud: { enabled: false },
      log: { level: 'info', format: 'json' },
      lan: LAN,
    },
  });
  let watch: HubctlWatch | undefined;
  t.teardown(async () => {
    watch?.stop();
    await daemon.stop();
    await coordinator.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  await daemon.ready();
  const listening = await daemon.waitForLog((l) => l.msg === 'lan api listening');
  const address = `127.0.0.1:${listening['port']}`;
  const socket = path.join(dir, 'data', 'admin', 'lan.sock');
  const config = path.join(dir, 'client', 'hubctl.json');

  const opened = await hubctl(['admin', 'pair', '--scope', 'admin', '--socket', socket, '--json']);
  t.equal(opened.code, 0, opened.stderr);
  const { code, fingerprint } = JSON.parse(opened.stdout) as { code: string; fingerprint: string };
  t.equal(fingerprint, listening['fingerprint'], 'the admin socket prints the fingerprint the hub serves');

  const wrongFingerprint = `sha256:${'0'.repeat(64)}`;
  const refused = await hubctl(['pair', address, '--code', code, '--fingerprint', wrongFingerprint, '--config', config]);
  t.equal(refused.code, 4, 'a hub with another certificate is refused');
  t.match(refused.stderr, /presents certificate sha256:[0-9a-f]{64}, not sha256:0{64}: refusing/);
  t.notOk(fs.existsSync(config), 'nothing saved');

  const paired = await hubctl(['pair', address, '--code', code, '--fingerprint', fingerprint, '--name', 'test laptop', '--config', config]);
  t.equal(paired.code, 0, paired.stderr);
  t.equal(fs.statSync(config).mode & 0o777, 0o600, 'hubctl config is 0600');
  t.equal(fs.statSync(path.join(dir, 'data', 'lan', 'lan-key.pem')).mode & 0o777, 0o600, 'hub key is 0600');

  // Each hubctl is a process start (seconds on a busy machine): calls that do not depend on
  // each other's effects run side by side.
  watch = new HubctlWatch(['--config', config]);
  const [, permit] = await Promise.all([watch.waitFor((item) => item['snapshot'] !== undefined), hubctl(['permit-join', '120', '--config', config])]);
  t.equal(permit.code, 0);
  const bulb = coordinator.join('ikea-bulb').ieee;
  const weather = coordinator.join('aqara-weather').ieee;
  for (const ieee of [bulb, weather]) {
    await watch.waitFor((i) => i['event']?.device_interview?.ieee === ieee && i['event'].device_interview.status === 'INTERVIEW_STATUS_SUCCESSFUL');
  }

  const devices = await hubctl(['devices', '--json', '--config', config]);
  t.equal(devices.code, 0, devices.stderr);
  const list = JSON.parse(devices.stdout) as Array<Record<string, any>>;
  const listedBulb = list.find((d) => d['ieee'] === bulb)!;
  t.match(listedBulb, { model: 'LED1545G12', vendor: 'IKEA', available: true });
  const brightness = JSON.stringify(listedBulb['exposes']).includes('"property":"brightness"');
  t.ok(brightness, 'the bulb lists its exposes (brightness among them)');

  t.equal((await hubctl(['rename', bulb, 'bulb', '--config', config])).code, 0);
  const set = await hubctl(['set', 'bulb', 'state=ON', 'brightness=128', '--config', config]);
  t.equal(set.code, 0, set.stderr);
  t.match(set.stdout, /bulb: .*state=ON/);
  const simulated = coordinator.device(bulb) as unknown as { get(ep: number, cluster: number, attr: number): unknown };
  t.equal(simulated.get(1, 0x0006, 0x0000), true, 'the simulated bulb is on');
  t.equal(simulated.get(1, 0x0008, 0x0000), 128, 'at brightness 128');
  await watch.waitFor((i) => i['event']?.state_changed?.ieee === bulb && i['event'].state_changed.state.fields.brightness?.numberValue === 128);

  // Refused requests change nothing, so they cannot affect each other.
  const [invalid, unknownKey, wrongType, unknown] = await Promise.all([
    hubctl(['set', 'bulb', 'brightness=999', '--config', config]),
    hubctl(['set', 'bulb', 'colour=red', '--config', config]),
    hubctl(['set', 'bulb', 'brightness=bright', '--config', config]),
    hubctl(['set', 'nosuch', 'state=ON', '--config', config]),
  ]);
  t.equal(invalid.code, 1);
  t.match(invalid.stderr, /INVALID_ARGUMENT: .*brightness/);
  t.match(unknownKey.stderr, /INVALID_ARGUMENT: LED1545G12 cannot set 'colour' \(settable: .*brightness/, 'an unknown key names the settable ones');
  t.match(wrongType.stderr, /INVALID_ARGUMENT: .*'brightness' must be a number/);
  t.match(unknown.stderr, /NOT_FOUND: no device "nosuch"/);

  // The two refused ones are refused for what they name, whatever permit join the first opened.
  const [viaBulb, viaSensor, viaNothing] = await Promise.all([
    hubctl(['permit-join', '30', '--via', 'bulb', '--config', config]),
    hubctl(['permit-join', '30', '--via', weather, '--config', config]),
    hubctl(['permit-join', '30', '--via', 'nosuch', '--config', config]),
  ]);
  t.equal(viaBulb.code, 0, viaBulb.stderr);
  t.equal(viaBulb.stdout.trim(), `permit join open for 30 s through bulb (${bulb}) only`);
  t.equal(viaSensor.code, 1);
  t.match(viaSensor.stderr, new RegExp(`INVALID_ARGUMENT: permit join through ${weather}: it is an end device, not a router`));
  t.match(viaNothing.stderr, /NOT_FOUND: no device "nosuch"/);
  t.equal((await hubctl(['permit-join', '0', '--config', config])).code, 0);

  coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: 2150 });
  const report = await watch.waitFor((i) => i['event']?.state_changed?.ieee === weather && i['event'].state_changed.state.fields.temperature !== undefined);
  t.equal(report['event'].state_changed.state.fields.temperature.numberValue, 21.5, 'hubctl watch sees the sensor report');

  const [info, infoTable] = await Promise.all([hubctl(['info', '--json', '--config', config]), hubctl(['info', '--config', config])]);
  t.match(JSON.parse(info.stdout), {
    cloud: { enabled: false, state: 'disabled' },
    coordinator: { available: true, type: /^ZStack/i, firmware: /^\d+$/, ieee: coordinator.ieee },
    devices: { total: 2 },
  });
  t.match(infoTable.stdout, new RegExp(`coordinator +zstack at tcp://127\\.0\\.0\\.1:\\d+, up \\(ZStack\\w+ firmware \\d+, ${coordinator.ieee}\\)`), 'hubctl info shows the coordinator firmware');

  // Backup: the database and a fresh coordinator backup (network key, frame counters), both 0600.
  const backup = await hubctl(['backup', '--json', '--config', config]);
  t.equal(backup.code, 0, backup.stderr);
  const written = JSON.parse(backup.stdout) as { path: string; coordinator_backup_path: string };
  const dataFile = (file: string) => path.resolve(dir, file);
  for (const file of [written.path, written.coordinator_backup_path]) t.equal(fs.statSync(dataFile(file)).mode & 0o777, 0o600, `${path.basename(file)} is 0600`);
  const coordinatorBackup = JSON.parse(fs.readFileSync(dataFile(written.coordinator_backup_path), 'utf8')) as Record<string, any>;
  t.match(coordinatorBackup, { metadata: { format: 'zigpy/open-coordinator-backup' }, coordinator_ieee: coordinator.ieee.replace(/^0x/, ''), network_key: { key: /^[0-9a-f]{32}$/ } });
  t.notOk(JSON.stringify(daemon.lines).includes(coordinatorBackup['network_key'].key), 'the network key is in no log line');

  const logs = JSON.stringify(daemon.lines);
  const token = (JSON.parse(fs.readFileSync(config, 'utf8')) as { token: string }).token;
  t.notOk(logs.includes(token), 'the token is in no daemon log line');
  t.notOk(logs.includes(code), 'nor the pairing code');
});

t.test('beside the cloud: a change made from the LAN reaches the cloud stream', async (t) => {
  const stack = await startStack({ config: { lan: LAN } });
  t.teardown(() => stack.stop());
  const ieees = await joinDevices(stack, ['ikea-bulb']);
  const bulb = ieees.get('ikea-bulb')!;
  const listening = await stack.daemon.waitForLog((l) => l.msg === 'lan api listening');
  const address = `127.0.0.1:${listening['port']}`;
  const opened = await adminRequest(path.join(stack.dir, 'data', 'admin', 'lan.sock'), { cmd: 'pair' });
  const certificate = await fetchCertificate(address);
  t.equal(certificate.fingerprint, opened['fingerprint']);
  const client = pinnedClient(address, { certificate: certificate.pem, fingerprint: certificate.fingerprint });
  t.teardown(() => client.close());
  const { token } = await unaryCall(client, 'Pair', { code: opened['code'], client_name: 'tablet' });
  await unaryCall(client, 'SetState', { device: bulb, state: toStruct({ state: 'ON', brightness: 77 }) }, token);
  const atCloud = await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === bulb && e.event.state['brightness'] === 77);
  t.ok(atCloud, 'the cloud saw brightness 77');

  // The bulb's level changes without a report; ReadState asks the bulb and both sides learn it.
  (stack.coordinator.device(bulb) as SimulatedDevice).set(1, 0x0008, { 0: 33 }, 'silent');
  const read = await unaryCall(client, 'ReadState', { device: bulb, keys: ['brightness'] }, token);
  t.same(fromStruct(read['state']), { brightness: 33 }, 'ReadState answers with the fresh value');
  await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === bulb && e.event.state['brightness'] === 33 && e.event.changed.includes('brightness'));
  const refused = await unaryCall(client, 'ReadState', { device: bulb, keys: ['read'] }, token).then(
    () => undefined,
    (error: { code: number; details: string }) => error,
  );
  t.match(refused, { details: /cannot read 'read' \(readable: / }, 'a key that is not readable is refused, naming the readable ones');

  // A group's state derived from its member, on the LAN and at the cloud.
  await unaryCall(client, 'CreateGroup', { name: 'Hall' }, token);
  await unaryCall(client, 'AddGroupMember', { group: 'Hall', device: bulb }, token);
  await unaryCall(client, 'SetGroupState', { group: 'Hall', state: toStruct({ state: 'OFF' }) }, token);
  await stack.waitForCloud((e) => e.event.kind === 'group_state_changed' && e.event.state['state'] === 'OFF');

  // Bindings and reporting set over the LAN, then listed as herdsman recorded them.
  await unaryCall(client, 'Bind', { device: bulb, target_group: 'Hall', clusters: ['genScenes'] }, token);
  await unaryCall(client, 'ConfigureReporting', { device: bulb, cluster: 'genOnOff', attribute: 'onOff', minimum_interval: 0, maximum_interval: 900, reportable_change: 0 }, token);
  const listed = (await unaryCall(client, 'ListBindings', { device: bulb }, token)) as { bindings: Array<Record<string, unknown>>; reporting: Array<Record<string, unknown>> };
  t.ok(listed.bindings.some((b) => b['cluster'] === 'genScenes' && b['target_group_id'] === 1), `bindings listed (${JSON.stringify(listed.bindings)})`);
  t.ok(listed.reporting.some((r) => r['cluster'] === 'genOnOff' && r['attribute'] === 'onOff' && r['maximum_interval'] === 900), 'reporting listed');
  const groups = (await unaryCall(client, 'ListGroups', {}, token)) as { groups: Array<{ name: string; state: unknown }> };
  t.match(groups.groups.map((g) => ({ name: g.name, state: fromStruct(g.state as never) })), [{ name: 'Hall', state: { state: 'OFF' } }]);
});

t.test('with a cloud configured but unreachable: local control still works', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zigbee-hubd-lan-'));
  const closed = net.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const deadPort = (closed.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: path.join(dir, 'stick.json'), ...(await daemonOnFormedStick(path.join(dir, 'data'))) });
  const daemon = DaemonProcess.start({
    dir,
    config: {
      data_dir: './data',
      serial: { path: `tcp://127.0.0.1:${coordinator.port}`, adapter: 'zstack' },
      cloud: { enabled: true, target: `127.0.0.1:${deadPort}`, insecure: true, gateway_id: 'offline-hub' },
      log: { level: 'info', format: 'json' },
      lan: LAN,
    },
  });
  t.teardown(async () => {
    await daemon.stop();
    await coordinator.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  await daemon.ready();
  const listening = await daemon.waitForLog((l) => l.msg === 'lan api listening');
  const address = `127.0.0.1:${listening['port']}`;
  const opened = await adminRequest(path.join(dir, 'data', 'admin', 'lan.sock'), { cmd: 'pair', scope: 'admin' });
  const certificate = await fetchCertificate(address);
  const client = pinnedClient(address, { certificate: certificate.pem, fingerprint: opened['fingerprint'] });
  t.teardown(() => client.close());
  const { token } = await unaryCall(client, 'Pair', { code: opened['code'], client_name: 'offline tablet' });

  const info = await unaryCall(client, 'GetHubInfo', {}, token);
  t.match(info, { hub_id: 'offline-hub', cloud: { enabled: true } });
  t.not(info['cloud'].state, 'connected', 'the cloud is out of reach');

  t.same(await unaryCall(client, 'PermitJoin', { seconds: 60 }, token), { seconds: 60, via: '' });
  const bulb = coordinator.join('ikea-bulb').ieee;
  const stream = watchCall(client, {}, token);
  t.teardown(() => stream.cancel());
  stream.on('error', () => undefined);
  await new Promise<void>((resolve) =>
    stream.on('data', (item: Record<string, any>) => {
      const interviewed = item['event']?.device_interview;
      const inSnapshot = item['snapshot']?.devices.some((d: Record<string, any>) => d['ieee'] === bulb && d['interview'] === 'INTERVIEW_STATUS_SUCCESSFUL');
      if ((interviewed?.ieee === bulb && interviewed.status === 'INTERVIEW_STATUS_SUCCESSFUL') || inSnapshot) resolve();
    }),
  );
  await unaryCall(client, 'SetState', { device: bulb, state: toStruct({ state: 'ON' }) }, token);
  const simulated = coordinator.device(bulb) as unknown as { get(ep: number, cluster: number, attr: number): unknown };
  t.equal(simulated.get(1, 0x0006, 0x0000), true, 'the simulated bulb is on');
  const { devices } = await unaryCall(client, 'ListDevices', {}, token);
  t.equal(devices.length, 1);
});
