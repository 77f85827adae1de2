// Device-level faults and herdsman's real-firmware reactions: retries after a dropped
// response or a failed dataConfirm, errors when the device stays silent or the failure
// persists, malformed frames skipped. The emulator keeps serving afterwards.
import t from 'tap';
import type { MtFrame } from '../../scripts/virtual-coordinator/transport/unpi.js';
import { startHarness, waitForEvent } from './harness.js';

const SHORT = { timeout: 1500 }; // herdsman's response timeout for these reads (default 10 s)

t.test('device faults', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.stop());
  const { controller, coordinator } = h;
  await controller.permitJoin(254);
  const bulb = coordinator.join('ikea-bulb');
  await waitForEvent(controller, 'deviceInterview', (e: { status: string; device: { ieeeAddr: string } }) => e.device.ieeeAddr === bulb.ieee && e.status === 'successful');
  const endpoint = controller.getDeviceByIeeeAddr(bulb.ieee)!.getEndpoint(1)!;

  let requestsToBulb = 0;
  coordinator.on('frame', (direction: string, frame: MtFrame) => {
    if (direction === 'rx' && frame.subsystem === 4 && frame.command === 0x01 && frame.data.readUInt16LE(0) === bulb.nwk) requestsToBulb++;
  });
  const readOnOff = async () => (await endpoint.read('genOnOff', ['onOff'], SHORT)).onOff;

  await t.test('a dropped response: herdsman times out, recovers the route and retries', async (t) => {
    requestsToBulb = 0;
    coordinator.fault({ type: 'drop', ieee: bulb.ieee, count: 1 });
    t.equal(await readOnOff(), 1);
    t.equal(requestsToBulb, 2, 'the read went out twice');
  });

  await t.test('a delayed response still arrives', async (t) => {
    requestsToBulb = 0;
    coordinator.fault({ type: 'delay', ieee: bulb.ieee, ms: 400 });
    t.equal(await readOnOff(), 1);
    t.equal(requestsToBulb, 1, 'within the timeout: no retry');
    coordinator.fault({ type: 'delay', ieee: bulb.ieee, ms: 0 });
  });

  await t.test('one MAC no-ack: herdsman retries and succeeds', async (t) => {
    requestsToBulb = 0;
    coordinator.fault({ type: 'dataConfirm', ieee: bulb.ieee, status: 0xe9, count: 1 });
    t.equal(await readOnOff(), 1);
    t.equal(requestsToBulb, 2);
  });

  await t.test('a persistent no-route: herdsman gives up with the status', async (t) => {
    coordinator.fault({ type: 'dataConfirm', ieee: bulb.ieee, status: 0xcd, count: 100 });
    await t.rejects(readOnOff(), /NWK_NO_ROUTE/);
    coordinator.fault({ type: 'clear', ieee: bulb.ieee });
    t.equal(await readOnOff(), 1, 'served again once the fault is cleared');
  });

  await t.test('a silent device: herdsman times out (and retries once)', async (t) => {
    requestsToBulb = 0;
    coordinator.fault({ type: 'silent', ieee: bulb.ieee });
    await t.rejects(readOnOff(), /Timeout/i);
    t.equal(requestsToBulb, 2);
    coordinator.fault({ type: 'silent', ieee: bulb.ieee, on: false });
    t.equal(await readOnOff(), 1);
  });

  await t.test('malformed frames on the link are skipped by herdsman', async (t) => {
    coordinator.fault({ type: 'malformed', kind: 'badFcs' });
    coordinator.fault({ type: 'malformed', kind: 'garbage' });
    t.equal(await readOnOff(), 1);
  });

  await t.test('a truncated ZCL report is dropped by herdsman, the next one arrives', async (t) => {
    const messages: number[] = [];
    const onMessage = (m: { device: { ieeeAddr: string }; cluster: string | number; data: unknown }) => {
      const level = (m.data as { currentLevel?: number }).currentLevel;
      if (m.device.ieeeAddr === bulb.ieee && m.cluster === 'genLevelCtrl' && level !== undefined) messages.push(level);
    };
    controller.on('message', onMessage);
    t.teardown(() => controller.off('message', onMessage));
    coordinator.fault({ type: 'malformed', kind: 'zcl', ieee: bulb.ieee, count: 1 });
    const next = waitForEvent(controller, 'message', (m: { device: { ieeeAddr: string }; cluster: string }) => m.device.ieeeAddr === bulb.ieee && m.cluster === 'genLevelCtrl');
    coordinator.report(bulb.ieee, 1, 'genLevelCtrl', ['currentLevel']);
    coordinator.set(bulb.ieee, 1, 'genLevelCtrl', { currentLevel: 77 });
    await next;
    t.same(messages, [77], 'only the intact report reached herdsman');
  });

  t.throws(() => coordinator.fault({ type: 'drop', ieee: '0x0000000000000001' }), /needs the IEEE address of a device/);
  t.throws(() => coordinator.fault({ type: 'explode' } as never), /unknown fault type/);
  await h.stop();
});
