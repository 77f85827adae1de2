// Devices carried over to a new stick (members of a network, in the air): they take part only
// once the stick runs the network they hold (extended PAN ID and key), without joining, and a
// stick that forms another network never hears them. The host's side (herdsman restoring its
// backup) is in test/e2e/new-stick.test.ts; here the firmware alone forms and resumes.
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import t from 'tap';
import { startVirtualCoordinator, type VirtualCoordinator } from '../../scripts/virtual-coordinator/coordinator.js';
import { membersOfStick } from '../../scripts/virtual-coordinator/network/network-members.js';
import { makeTempDir } from './harness.js';

async function networkUp(stick: VirtualCoordinator, start: () => void): Promise<void> {
  const up = once(stick.firmware, 'networkUp');
  start();
  await up;
}

t.test('members of a network come back only on that network', async (t) => {
  const dir = makeTempDir();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const oldFile = path.join(dir, 'old.json');
  const old = await startVirtualCoordinator({ nvStateFile: oldFile });
  await networkUp(old, () => old.firmware.formNetwork());
  old.network.permitJoin(60);
  const sensor = old.join('aqara-weather');
  const bulb = old.join('ikea-bulb');
  const oldNv = old.nv.snapshot();
  await old.stop();
  const members = membersOfStick(oldFile);
  t.same(members.devices.map((d) => d.definition.ieee).sort(), [sensor.ieee, bulb.ieee].sort(), 'the old stick\'s devices');

  const other = await startVirtualCoordinator({ members, ieee: '0x00124b0011111111' });
  t.teardown(() => other.stop());
  t.same(other.devices(), [], 'a blank stick has no devices');
  await networkUp(other, () => other.firmware.formNetwork()); // a new network: random key and extended PAN
  t.same(other.devices(), [], 'a stick forming another network does not hear them');

  const same = await startVirtualCoordinator({ members, initialNv: oldNv });
  t.teardown(() => same.stop());
  const joined: string[] = [];
  same.on('joined', (d) => joined.push(d.ieee));
  await networkUp(same, () => same.firmware.startup());
  const back = same.devices();
  t.same(back.map((d) => d.ieee).sort(), [sensor.ieee, bulb.ieee].sort(), 'on their network they are there');
  t.equal(back.find((d) => d.ieee === bulb.ieee)?.nwk, bulb.nwk, 'with their network address');
  t.same(joined, [], 'without joining');

  t.throws(() => membersOfStick(path.join(dir, 'missing.json')), /no such state file/, 'a missing file is named');
});
