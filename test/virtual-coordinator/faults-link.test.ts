// Link-level faults: the chip reboots by itself (herdsman does not notice the resetInd and
// its commands fail until it restarts), and the TCP link is cut (herdsman reports the
// adapter disconnected). In both cases a restarted herdsman resumes the same network.
import t from 'tap';
import { clearHerdsmanDebouncers, createController, makeTempDir, startHarness, waitForEvent } from './harness.js';
import fs from 'node:fs';

type InterviewEvent = { status: string; device: { ieeeAddr: string } };

t.test('spontaneous coordinator reset and cut link', async (t) => {
  const dir = makeTempDir();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const h = await startHarness({ dir });
  t.teardown(() => h.stop());
  const { coordinator } = h;
  await h.controller.permitJoin(254);
  const plug = coordinator.join('aqara-plug');
  await waitForEvent(h.controller, 'deviceInterview', (e: InterviewEvent) => e.device.ieeeAddr === plug.ieee && e.status === 'successful');
  const read = (controller: typeof h.controller) =>
    controller.getDeviceByIeeeAddr(plug.ieee)!.getEndpoint(1)!.read('genOnOff', ['onOff'], { timeout: 1500 });

  // The chip reboots: resetInd goes out, RAM state (AF endpoints) is lost, the network resumes.
  const resetInd = waitForEvent(coordinator, 'frame', (dir: string, f: { subsystem: number; command: number }) => dir === 'tx' && f.subsystem === 1 && f.command === 0x80);
  const backOnline = waitForEvent(coordinator, 'stateChanged', (state: number) => state === 9);
  coordinator.fault({ type: 'reset' });
  await resetInd;
  await backOnline;
  t.equal(coordinator.firmware.endpoints.size, 0, 'registered endpoints are gone with the reboot');
  await t.rejects(read(h.controller), /INVALID_PARAM/, 'AF requests fail until the host registers its endpoints again');
  t.same(coordinator.devices().map((d) => d.ieee), [plug.ieee], 'NV and the network survive the reboot');

  // herdsman restarts against the same stick: resumed, endpoints registered, commands work.
  await h.controller.stop();
  clearHerdsmanDebouncers(h.controller);
  const second = createController(coordinator.port, dir);
  t.teardown(async () => {
    await second.stop().catch(() => {});
    clearHerdsmanDebouncers(second);
  });
  t.equal(await second.start(), 'resumed');
  t.match(await read(second), { onOff: Number });

  // The link is cut: herdsman sees its adapter disconnect; the emulator accepts a new host.
  const disconnected = waitForEvent(second, 'adapterDisconnected');
  coordinator.fault({ type: 'disconnect' });
  await disconnected;
  t.notOk(coordinator.link.connected);
  await second.stop();
  const third = createController(coordinator.port, dir);
  t.teardown(async () => {
    await third.stop().catch(() => {});
    clearHerdsmanDebouncers(third);
  });
  t.equal(await third.start(), 'resumed', 'a reconnecting host resumes the network');
  t.match(await read(third), { onOff: Number });
  await third.stop();
  await coordinator.stop();
});
