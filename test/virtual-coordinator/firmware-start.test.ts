// herdsman forms a network on a blank virtual stick, resumes it from the NV state file,
// and its coordinator backup carries the network parameters.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { makeTempDir, startHarness, TEST_NETWORK } from './harness.js';

t.test('first start forms the network, second start resumes it from the state file', async (t) => {
  const dir = makeTempDir();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const nvStateFile = path.join(dir, 'vc-state.json');

  const first = await startHarness({ dir, coordinator: { nvStateFile }, blankStick: true });
  t.teardown(() => first.stop());
  t.equal(first.startResult, 'reset', 'a blank stick is commissioned');
  const params = await first.controller.getNetworkParameters();
  t.equal(params.panID, TEST_NETWORK.panID);
  t.equal(params.channel, 11);
  t.equal(params.extendedPanID, `0x${Buffer.from(TEST_NETWORK.extendedPanID).toString('hex')}`);
  const coordinatorIeee = first.coordinator.ieee;
  t.equal((await first.controller.getCoordinatorVersion()).type, 'ZStack3x0');
  await first.stop();

  const backupFile = path.join(dir, 'coordinator_backup.json');
  const backup = JSON.parse(fs.readFileSync(backupFile, 'utf8'));
  t.equal(backup.metadata.format, 'zigpy/open-coordinator-backup');
  t.equal(backup.pan_id, TEST_NETWORK.panID.toString(16).padStart(4, '0'));
  t.equal(backup.extended_pan_id, Buffer.from(TEST_NETWORK.extendedPanID).toString('hex'));
  t.equal(backup.network_key.key, Buffer.from(TEST_NETWORK.networkKey).toString('hex'));
  t.equal(backup.coordinator_ieee, coordinatorIeee.slice(2));
  t.same(backup.channel_mask, [11]);

  const second = await startHarness({ dir, coordinator: { nvStateFile } });
  t.teardown(() => second.stop());
  t.equal(second.startResult, 'resumed', 'the same NV resumes the network');
  t.equal(second.coordinator.ieee, coordinatorIeee);
  const again = await second.controller.getNetworkParameters();
  t.equal(again.panID, TEST_NETWORK.panID);
  t.equal(again.extendedPanID, params.extendedPanID);
  t.equal(second.coordinator.firmware.networkKey()?.toString('hex'), Buffer.from(TEST_NETWORK.networkKey).toString('hex'));
  const fresh = await second.controller.backup().then(() => JSON.parse(fs.readFileSync(backupFile, 'utf8')));
  t.equal(fresh.network_key.key, Buffer.from(TEST_NETWORK.networkKey).toString('hex'), 'controller.backup() reads the key back');
  await second.stop();
});

t.test('a fresh state file (and no herdsman backup) starts over with "reset"', async (t) => {
  const dir = makeTempDir();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const h = await startHarness({ dir, coordinator: { nvStateFile: path.join(dir, 'fresh.json') }, blankStick: true });
  t.teardown(() => h.stop());
  t.equal(h.startResult, 'reset');
  await h.stop();
});
