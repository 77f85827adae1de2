// Catalogue devices join through herdsman's permit join, are interviewed completely and
// resolve to their real zigbee-herdsman-converters definitions; reports reach herdsman.
import t from 'tap';
import { definitionOf, stateFromMessage } from './converters.js';
import { startHarness, waitForEvent } from './harness.js';

const EXPECTED_MODELS: Record<string, string> = {
  'aqara-weather': 'WSDCGQ11LM',
  'aqara-door': 'MCCGQ11LM',
  'aqara-motion': 'RTCGQ11LM',
  'aqara-plug': 'ZNCZ02LM',
  'ikea-bulb': 'LED1545G12',
  'aqara-switch': 'WXKG11LM',
};

t.test('every catalogue device joins, is interviewed and resolves to its model', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.stop());
  const { controller, coordinator } = h;

  t.throws(() => coordinator.join('aqara-weather'), /permit join is closed/, 'no join while permit join is closed');
  await controller.permitJoin(254);

  const interviews = new Map<string, Promise<unknown>>();
  const joined = [];
  for (const id of Object.keys(EXPECTED_MODELS)) {
    const device = coordinator.join(id);
    joined.push(device);
    interviews.set(
      device.ieee,
      waitForEvent(controller, 'deviceInterview', (e: { status: string; device: { ieeeAddr: string } }) => e.device.ieeeAddr === device.ieee && e.status !== 'started', 60_000),
    );
  }
  for (const device of joined) {
    const [event] = (await interviews.get(device.ieee)) as [{ status: string }];
    t.equal(event.status, 'successful', `${device.id} interview`);
    const zhDevice = controller.getDeviceByIeeeAddr(device.ieee)!;
    t.equal(zhDevice.networkAddress, device.nwk, `${device.id} network address`);
    t.equal(zhDevice.type, device.logicalType === 'router' ? 'Router' : 'EndDevice');
    const definition = await definitionOf(zhDevice);
    t.equal(definition.model, EXPECTED_MODELS[device.id], `${device.id} resolves to ${EXPECTED_MODELS[device.id]}`);
  }
  t.same(coordinator.devices().map((d) => d.id).sort(), Object.keys(EXPECTED_MODELS).sort());

  // A report of 2150 on msTemperatureMeasurement becomes temperature 21.5.
  const weather = joined.find((d) => d.id === 'aqara-weather')!;
  const report = waitForEvent(controller, 'message', (m: { type: string; cluster: string; device: { ieeeAddr: string } }) =>
    m.device.ieeeAddr === weather.ieee && m.type === 'attributeReport' && m.cluster === 'msTemperatureMeasurement',
  );
  coordinator.set(weather.ieee, 1, 'msTemperatureMeasurement', { measuredValue: 2150 });
  const [message] = (await report) as unknown as [{ data: Record<string, unknown>; linkquality: number }];
  t.equal(message.data.measuredValue, 2150);
  t.ok(message.linkquality > 0, 'link quality travels with the report');
  t.match(await stateFromMessage(message), { temperature: 21.5 });

  await h.stop();
});
