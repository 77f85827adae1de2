// A blank stick plus herdsman's coordinator backup: herdsman restores the backup into NV
// (extended tables, NIB, keys, IEEE) and the network comes back with the old identity.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { makeTempDir, startHarness, TEST_NETWORK, waitForEvent } from './harness.js';

t.test('herdsman restores its backup onto a blank virtual stick', async (t) => {
  const dir = makeTempDir();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const first = await startHarness({ dir, coordinator: { nvStateFile: path.join(dir, 'old-stick.json') } });
  t.teardown(() => first.stop());
  await first.controller.permitJoin(254);
  const plug = first.coordinator.join('aqara-plug');
  await waitForEvent(first.controller, 'deviceInterview', (e: { status: string; device: { ieeeAddr: string } }) => e.device.ieeeAddr === plug.ieee && e.status === 'successful');
  const oldIeee = first.coordinator.ieee;
  await first.stop(); // writes the backup, with the plug as a direct child
  const backup = JSON.parse(fs.readFileSync(path.join(dir, 'coordinator_backup.json'), 'utf8'));
  t.same(backup.devices.map((d: { ieee_address: string }) => `0x${d.ieee_address}`), [plug.ieee], 'the backup lists the joined plug');

  // A new, blank stick (another IEEE, empty NV) with the same herdsman configuration and backup.
  const second = await startHarness({ dir, coordinator: { nvStateFile: path.join(dir, 'new-stick.json'), ieee: '0x00124b00aabbccdd' } });
  t.teardown(() => second.stop());
  t.equal(second.startResult, 'restored');
  t.equal(second.coordinator.ieee, oldIeee, 'the coordinator IEEE comes back from the backup');
  const network = second.coordinator.networkSummary();
  t.equal(network.panId, TEST_NETWORK.panID);
  t.equal(network.channel, 11);
  t.equal(network.extendedPanId, `0x${Buffer.from(TEST_NETWORK.extendedPanID).toString('hex')}`);
  t.equal(second.coordinator.firmware.networkKey()?.toString('hex'), Buffer.from(TEST_NETWORK.networkKey).toString('hex'));
  await second.controller.backup();
  const again = JSON.parse(fs.readFileSync(path.join(dir, 'coordinator_backup.json'), 'utf8'));
  t.same(again.devices.map((d: { ieee_address: string }) => `0x${d.ieee_address}`), [plug.ieee], 'the restored address table lists the plug');
  await second.stop();
});
