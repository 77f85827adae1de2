// Moving the network to a new stick (README "Moving to a new stick"): the daemon is stopped, the
// stick replaced by a blank one (another IEEE, empty NV) while the devices stay in the home with
// the network key, and the daemon started again. herdsman restores its coordinator backup onto
// the new stick: same PAN, extended PAN, key and coordinator IEEE, and the devices go on working
// with nothing re-paired. Also when herdsman's own backup is gone (a fresh SD card) and the
// operator put the daemon's copy from backups/ in its place.
import t, { type Test } from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { startVirtualCoordinator } from '../../scripts/virtual-coordinator/coordinator.js';
import { membersOfStick } from '../../scripts/virtual-coordinator/network/network-members.js';
import { TEST_CREDENTIALS } from '../zigbee/formed-stick.js';
import { GATEWAY, joinDevices, startStack } from './stack.js';

t.test('the network moves to a blank stick without re-pairing', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.stop());
  const ieees = await joinDevices(stack, ['aqara-weather', 'ikea-bulb']);
  const weather = ieees.get('aqara-weather')!;
  const bulb = ieees.get('ikea-bulb')!;
  const original = { ieee: stack.coordinator.ieee, network: stack.coordinator.networkSummary() };
  const dataDir = path.join(stack.dir, 'data');
  let stickFile = path.join(stack.dir, 'stick.json'); // the stick's NV and the devices in its range
  let temperature = 2000;

  /** Stops the daemon, prepares the data dir, swaps the stick for a blank one, starts again. */
  async function moveToNewStick(t: Test, name: string, newIeee: string, prepareDataDir: () => void): Promise<void> {
    await stack.daemon.stop(); // herdsman writes its backup, the daemon archives a copy
    prepareDataDir();
    const old = stack.coordinator;
    await old.stop(); // saves its state file
    // The same serial path (port), a new stick; the devices carry over in the air, not in its NV.
    const members = membersOfStick(stickFile);
    stickFile = path.join(stack.dir, `stick-${name}.json`);
    stack.coordinator = await startVirtualCoordinator({ port: old.port, nvStateFile: stickFile, ieee: newIeee, members });
    t.equal(stack.coordinator.networkSummary().panId, undefined, 'the new stick is blank');
    t.not(stack.coordinator.ieee, original.ieee);
    const seqBefore = stack.cloud.events(GATEWAY).at(-1)?.seq ?? 0;
    await stack.restartDaemon();

    const started = stack.daemon.lines.find((l) => l.msg === 'zigbee network started');
    t.equal(started?.result, 'restored', 'herdsman restored its backup onto the new stick');
    t.equal(started?.coordinator_ieee, original.ieee, 'the start line names the old coordinator IEEE');
    t.equal(stack.coordinator.ieee, original.ieee, 'the new stick took the old coordinator IEEE');
    const network = stack.coordinator.networkSummary();
    t.equal(network.panId, original.network.panId, 'same PAN ID');
    t.equal(network.extendedPanId, original.network.extendedPanId, 'same extended PAN ID');
    t.equal(network.channel, original.network.channel, 'same channel');
    t.equal(stack.coordinator.firmware.networkKey()?.toString('hex'), Buffer.from(TEST_CREDENTIALS.networkKey).toString('hex'), 'same network key');

    temperature += 10;
    stack.coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: temperature });
    await stack.waitForCloud((e) => e.seq > seqBefore && e.event.kind === 'state_changed' && e.event.ieee === weather && e.event.state.temperature === temperature / 100);
    t.pass('the sensor report reaches the cloud under its old ieee');
    const command = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_state', ieee: bulb, state: { state: temperature % 20 === 0 ? 'ON' : 'OFF' } }, 30_000);
    t.ok(command.ok, `the bulb answers a command (${command.error ?? ''})`);
    const repaired = stack.cloud.events(GATEWAY).filter((e) => e.seq > seqBefore && (e.event.kind === 'device_joined' || e.event.kind === 'device_interview'));
    t.same(repaired, [], 'nothing was re-paired or re-interviewed');
    t.same(
      stack.query<{ ieee: string }>('SELECT ieee FROM devices ORDER BY ieee').map((r) => r.ieee),
      [...ieees.values()].sort(),
      'the same devices',
    );
  }

  await t.test('stop, swap the stick, start', (t) => moveToNewStick(t, 'first', '0x00124b00aabbccdd', () => {}));

  await t.test('a fresh SD card: the coordinator backup copied back from backups/', (t) =>
    moveToNewStick(t, 'second', '0x00124b00eeff0011', () => {
      const herdsmanDir = path.join(dataDir, 'herdsman');
      fs.rmSync(path.join(herdsmanDir, 'coordinator_backup.json'));
      fs.rmSync(path.join(herdsmanDir, 'good-copies'), { recursive: true, force: true });
      const copies = fs.readdirSync(path.join(dataDir, 'backups')).filter((f) => /^coordinator_backup\..+\.json$/.test(f)).sort();
      t.ok(copies.length > 0, `the daemon kept coordinator backups (${copies.join(', ')})`);
      fs.copyFileSync(path.join(dataDir, 'backups', copies.at(-1)!), path.join(herdsmanDir, 'coordinator_backup.json'));
    }),
  );
});
