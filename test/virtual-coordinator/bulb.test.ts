// The IKEA bulb follows on/off, brightness and colour temperature commands sent through
// herdsman and reports its new state once bound and configured for reporting.
import t from 'tap';
import { definitionOf, stateFromMessage } from './converters.js';
import { startHarness, waitForEvent } from './harness.js';

type Message = { type: string; cluster: string; device: { ieeeAddr: string }; data: Record<string, unknown> };

t.test('bulb: configure, then on/off, brightness and colour temperature', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.stop());
  const { controller, coordinator } = h;
  await controller.permitJoin(254);
  const bulb = coordinator.join('ikea-bulb');
  const [interview] = await waitForEvent(controller, 'deviceInterview', (e: { status: string; device: { ieeeAddr: string } }) => e.device.ieeeAddr === bulb.ieee && e.status !== 'started');
  t.equal((interview as { status: string }).status, 'successful');
  const device = controller.getDeviceByIeeeAddr(bulb.ieee)!;
  const definition = await definitionOf(device);
  t.equal(definition.model, 'LED1545G12');

  // Bind and configure reporting the way Zigbee2MQTT does for lights.
  const coordinatorEndpoint = controller.getDevicesByType('Coordinator')[0].getEndpoint(1)!;
  const endpoint = device.getEndpoint(1)!;
  for (const [cluster, attribute] of [['genOnOff', 'onOff'], ['genLevelCtrl', 'currentLevel'], ['lightingColorCtrl', 'colorTemperature']] as const) {
    await endpoint.bind(cluster, coordinatorEndpoint);
    await endpoint.configureReporting(cluster, [{ attribute: attribute as never, minimumReportInterval: 0, maximumReportInterval: 3600, reportableChange: 1 }]);
  }
  t.same(
    coordinator.network.byIeee(bulb.ieee)!.bindings.map((b) => b.clusterId).sort((a, b) => a - b),
    [0x0006, 0x0008, 0x0300],
    'the bulb holds the three bindings',
  );

  const reportOf = (cluster: string) =>
    waitForEvent(controller, 'message', (m: Message) => m.device.ieeeAddr === bulb.ieee && m.type === 'attributeReport' && m.cluster === cluster);

  // The bulb starts on (its power-on default): switch it off, dim, warm it up, switch on.
  let report = reportOf('genOnOff');
  await endpoint.command('genOnOff', 'off', {});
  t.match(await stateFromMessage((await report)[0]), { state: 'OFF' });
  t.equal(coordinator.device(bulb.ieee).definition.id, 'ikea-bulb');

  report = reportOf('genLevelCtrl');
  // Plain moveToLevel dims without switching on (moveToLevelWithOnOff would switch it on).
  await endpoint.command('genLevelCtrl', 'moveToLevel', { level: 128, transtime: 0, optionsMask: 0, optionsOverride: 0 });
  t.match(await stateFromMessage((await report)[0]), { brightness: 128 });

  report = reportOf('lightingColorCtrl');
  await endpoint.command('lightingColorCtrl', 'moveToColorTemp', { colortemp: 300, transtime: 0 });
  t.match(await stateFromMessage((await report)[0]), { color_temp: 300 });

  report = reportOf('genOnOff');
  await endpoint.command('genOnOff', 'on', {});
  t.match(await stateFromMessage((await report)[0]), { state: 'ON' });

  // Group commands: herdsman adds the bulb to group 5 (genGroups add), then switches the group.
  const group = controller.createGroup(5);
  await endpoint.addToGroup(group);
  report = reportOf('genOnOff');
  await group.command('genOnOff', 'off', {});
  t.match(await stateFromMessage((await report)[0]), { state: 'OFF' }, 'a group command reaches the member');

  // A read through herdsman gets the device's current values.
  const read = await endpoint.read('genLevelCtrl', ['currentLevel']);
  t.equal(read.currentLevel, 128);
  await h.stop();
});
