// Network management through herdsman against the simulated network: LQI and routing
// tables, button actions, leave (requested and spontaneous), sleepy end devices and
// devices surviving an emulator restart through the state file.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import type { DeviceDefinition } from '../../scripts/virtual-coordinator/devices/definition.js';
import { stateFromMessage } from './converters.js';
import { makeTempDir, startHarness, waitForEvent } from './harness.js';

type InterviewEvent = { status: string; device: { ieeeAddr: string } };
const interviewed = (ieee: string) => (e: InterviewEvent) => e.device.ieeeAddr === ieee && e.status !== 'started';

/** A ZDO-only router: takes part in join, interview and tables but speaks no ZCL. */
const bareRouter: DeviceDefinition = {
  id: 'bare-router',
  description: 'ZDO-only test router',
  logicalType: 'router',
  manufacturerCode: 0x1234,
  powerSource: 'mains',
  endpoints: [{ id: 1, profileId: 0x0104, deviceId: 0x0008, inClusters: [], outClusters: [] }],
};

t.test('tables, actions and leaving', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.stop());
  const { controller, coordinator } = h;
  await controller.permitJoin(254);

  const plug = coordinator.join('aqara-plug');
  await waitForEvent(controller, 'deviceInterview', interviewed(plug.ieee));
  const router = coordinator.join(bareRouter);
  await waitForEvent(controller, 'deviceInterview', interviewed(router.ieee));
  const button = coordinator.join('aqara-switch', { parent: router.ieee });
  const [buttonInterview] = await waitForEvent(controller, 'deviceInterview', interviewed(button.ieee));
  t.equal((buttonInterview as InterviewEvent).status, 'successful', 'a device joined through a router is interviewed');
  t.equal(coordinator.devices().find((d) => d.ieee === button.ieee)?.parent, router.ieee);

  // LQI of the coordinator: its direct children; of the router: its parent and its child.
  const zhCoordinator = controller.getDevicesByType('Coordinator')[0];
  const coordinatorLqi = await zhCoordinator.lqi();
  t.same(coordinatorLqi.map((n) => n.eui64).sort(), [plug.ieee, router.ieee].sort());
  const routerLqi = await controller.getDeviceByIeeeAddr(router.ieee)!.lqi();
  const byIeee = new Map<string, (typeof routerLqi)[number]>(routerLqi.map((n) => [n.eui64, n]));
  t.equal(byIeee.get(coordinator.ieee)?.relationship, 0, 'the coordinator is the router\'s parent');
  t.equal(byIeee.get(button.ieee)?.relationship, 1, 'the button is the router\'s child');
  const routes = await zhCoordinator.routingTable();
  t.same(routes.map((r) => r.destinationAddress).sort(), [plug.nwk, router.nwk].sort(), 'the coordinator routes to both routers');

  // A button press arrives as an action.
  const click = waitForEvent(controller, 'message', (m: { device: { ieeeAddr: string }; cluster: string }) => m.device.ieeeAddr === button.ieee && m.cluster === 'genMultistateInput');
  coordinator.press(button.ieee, 'single');
  t.match(await stateFromMessage((await click)[0]), { action: 'single' });
  t.throws(() => coordinator.press(button.ieee, 'quadruple'), /no action/);

  // Leave requested by herdsman: mgmtLeaveRsp, leaveInd, gone from both sides.
  const plugLeft = waitForEvent(controller, 'deviceLeave', (e: { ieeeAddr: string }) => e.ieeeAddr === plug.ieee);
  await controller.getDeviceByIeeeAddr(plug.ieee)!.removeFromNetwork();
  await plugLeft;
  t.notOk(coordinator.network.byIeee(plug.ieee), 'the plug is gone from the simulated network');
  t.notOk(controller.getDeviceByIeeeAddr(plug.ieee), 'and from herdsman');

  // Spontaneous leave: the device goes by itself.
  const buttonLeft = waitForEvent(controller, 'deviceLeave', (e: { ieeeAddr: string }) => e.ieeeAddr === button.ieee);
  coordinator.leave(button.ieee);
  await buttonLeft;
  t.same(coordinator.devices().map((d) => d.ieee), [router.ieee]);
  t.throws(() => coordinator.leave(button.ieee), /no device/);
  await h.stop();
});

t.test('a sleepy end device answers only after its poll delay', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.stop());
  await h.controller.permitJoin(254);
  const sleepy: DeviceDefinition = { ...bareRouter, id: 'sleepy', logicalType: 'enddevice', powerSource: 'battery', pollDelayMs: 300 };
  const started = Date.now();
  const device = h.coordinator.join(sleepy);
  const [event] = await waitForEvent(h.controller, 'deviceInterview', interviewed(device.ieee));
  t.equal((event as InterviewEvent).status, 'successful');
  // nodeDesc, activeEp and simpleDesc each wait for a poll: the interview cannot be quicker.
  t.ok(Date.now() - started >= 900, 'three round trips of at least 300 ms each');
  t.equal(h.controller.getDeviceByIeeeAddr(device.ieee)!.type, 'EndDevice');
  await h.stop();
});

t.test('joined devices survive an emulator restart through the state file', async (t) => {
  const dir = makeTempDir();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const nvStateFile = path.join(dir, 'vc.json');
  const first = await startHarness({ dir, coordinator: { nvStateFile, devices: ['aqara-weather'] } });
  t.teardown(() => first.stop());
  const joined = waitForEvent(first.controller, 'deviceInterview', (e: InterviewEvent) => e.status === 'successful');
  await first.controller.permitJoin(254); // the queued start device joins now
  const [{ device }] = (await joined) as [InterviewEvent];
  await first.stop();

  const saved = JSON.parse(fs.readFileSync(nvStateFile, 'utf8'));
  t.same(saved.devices.map((d: { definition: DeviceDefinition }) => d.definition.ieee), [device.ieeeAddr]);

  // Same devices list again: the weather sensor is already there, it does not join twice.
  const second = await startHarness({ dir, coordinator: { nvStateFile, devices: ['aqara-weather'] } });
  t.teardown(() => second.stop());
  t.equal(second.startResult, 'resumed');
  t.same(second.coordinator.devices().map((d) => d.ieee), [device.ieeeAddr]);
  const report = waitForEvent(second.controller, 'message', (m: { device: { ieeeAddr: string }; cluster: string }) => m.device.ieeeAddr === device.ieeeAddr && m.cluster === 'msRelativeHumidity');
  second.coordinator.set(device.ieeeAddr, 1, 'msRelativeHumidity', { measuredValue: 4550 });
  t.match(await stateFromMessage((await report)[0]), { humidity: 45.5 });
  await second.stop();
});
