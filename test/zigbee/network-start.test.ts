// Start, stop and resume against the virtual coordinator with the real zigbee-herdsman:
// 'reset' on a blank stick, 'resumed' with the same data dir and NV state, our credentials
// in use on both sides, permit join bounded, and the network key in no log line.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { ZigbeeError } from '../../daemon/zigbee/errors.js';
import { activeTimers, joinDevice, nextEvent, pendingTimers, recordingLogger, startFixture, tempDir, TEST_CREDENTIALS, timersAfterStop } from './network-fixture.js';
import { ZigbeeNetwork } from '../../daemon/zigbee/zigbee-network.js';

const hex = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');

t.test('blank stick: reset with our credentials, then resumed with the same dir and NV', async (t) => {
  const timersBefore = activeTimers();
  const dataDir = tempDir(t);
  const nvStateFile = path.join(dataDir, 'vc-state.json');

  const first = await startFixture(t, { dataDir, coordinator: { nvStateFile }, debugLog: true, blankStick: true });
  t.equal(first.result, 'reset');
  t.match(first.log.lines.find((l) => l.msg === 'zigbee network started')?.fields, {
    result: 'reset',
    coordinator: 'ZStack3x0',
    firmware: /^\d{8}$/,
    coordinator_ieee: first.coordinator.ieee,
  }, 'the start line names the coordinator type, its firmware revision and address');
  t.same(await first.network.networkParameters(), {
    panId: TEST_CREDENTIALS.panId,
    extendedPanId: `0x${hex(TEST_CREDENTIALS.extendedPanId)}`,
    channel: TEST_CREDENTIALS.channel,
  });
  t.match(first.coordinator.networkSummary(), {
    panId: TEST_CREDENTIALS.panId,
    extendedPanId: `0x${hex(TEST_CREDENTIALS.extendedPanId)}`,
    channel: TEST_CREDENTIALS.channel,
  }, 'the emulator formed the network we asked for');
  const plug = await joinDevice(first, 'aqara-plug');
  t.equal(plug.status, 'successful');
  // Stopped right after the interview: the plug's configure is still in flight.
  await first.stop();
  const timersAfter = await timersAfterStop(timersBefore);
  t.ok(timersAfter <= timersBefore, `no timer left running after stop (no retry of the cut-short configure): ${timersAfter} ref'd timers, ${timersBefore} before start`, {
    pending: timersAfter <= timersBefore ? undefined : pendingTimers(),
  });

  // herdsman took its coordinator backup on stop: same network, our key.
  const backup = JSON.parse(readFileSync(path.join(dataDir, 'coordinator_backup.json'), 'utf8'));
  t.equal(backup.pan_id.toLowerCase(), TEST_CREDENTIALS.panId.toString(16).padStart(4, '0'));
  t.equal(backup.extended_pan_id.toLowerCase(), hex(TEST_CREDENTIALS.extendedPanId));
  t.equal(backup.network_key.key.toLowerCase(), hex(TEST_CREDENTIALS.networkKey));

  const second = await startFixture(t, { dataDir, coordinator: { nvStateFile }, debugLog: true });
  t.equal(second.result, 'resumed');
  const devices = second.network.devices();
  t.equal(devices.length, 1, 'herdsman remembers the plug');
  t.match(devices[0], { ieee: plug.ieee, model: 'ZNCZ02LM', vendor: 'Xiaomi', supported: true, interview: 'successful', type: 'Router' },
    'definitions are resolved at start, so devices() is complete right away');

  // The key went to herdsman and the emulator, but into no log line (herdsman debug included).
  const lines = [...first.log.lines, ...second.log.lines].map((l) => JSON.stringify(l));
  t.ok(lines.length > 100, `herdsman debug lines were recorded (${lines.length})`);
  const key = TEST_CREDENTIALS.networkKey;
  const leaks = lines.filter((l) => l.includes(key.join(',')) || l.toLowerCase().includes(hex(key)));
  t.same(leaks, [], 'no log line carries the network key');
  await second.stop();
});

t.test('permit join is bounded by the configured maximum and can be closed', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t), network: { maxPermitJoinSeconds: 60 } });
  const { network, coordinator } = fixture;

  const opened = nextEvent(network, 'permit_join_changed', (e) => e.open);
  t.equal(await network.permitJoin(600), 60, 'asked for 600 s, got the maximum');
  t.match(await opened, { open: true, seconds: 60 });
  t.equal(coordinator.networkSummary().permitJoinSeconds > 0, true, 'the coordinator opened the network');

  const closed = nextEvent(network, 'permit_join_changed', (e) => !e.open);
  t.equal(await network.permitJoin(0), 0);
  t.match(await closed, { open: false });
  t.throws(() => coordinator.join('aqara-door'), /permit join is closed/, 'nobody can join after closing');

  await t.rejects(network.permitJoin(-1), { code: 'invalid_value' });
  await t.rejects(network.permitJoin(1.5), ZigbeeError);
});

t.test('a coordinator that is not there fails start with a clear error', async (t) => {
  const network = new ZigbeeNetwork({
    // Port 1 on loopback: nothing listens there.
    serial: { path: 'tcp://127.0.0.1:1', adapter: 'zstack' },
    network: { ...TEST_CREDENTIALS },
    dataDir: tempDir(t),
    log: recordingLogger(),
  });
  await t.rejects(network.start(), { code: 'device_error', message: /coordinator start failed/ });
  t.throws(() => network.devices(), { code: 'not_started' });
});
