// Each catalogue device, interviewed over ZCL and parsed by zigbee-herdsman, resolves to its real
// model in zigbee-herdsman-converters, and what it reports converts to the expected state.

import t from 'tap';
import { catalogue, catalogueDevice } from '../../../scripts/virtual-coordinator/devices/catalogue.js';
import { SimulatedDevice } from '../../../scripts/virtual-coordinator/devices/simulated-device.js';
import { convert, resolveModel } from './converters-harness.js';
import { command, recorder } from './helpers.js';

const expected: Record<string, { model: string; vendor: string }> = {
  'aqara-weather': { model: 'WSDCGQ11LM', vendor: 'Aqara' },
  'aqara-door': { model: 'MCCGQ11LM', vendor: 'Aqara' },
  'aqara-motion': { model: 'RTCGQ11LM', vendor: 'Aqara' },
  'aqara-plug': { model: 'ZNCZ02LM', vendor: 'Xiaomi' },
  'ikea-bulb': { model: 'LED1545G12', vendor: 'IKEA' },
  'aqara-switch': { model: 'WXKG11LM', vendor: 'Aqara' },
  'aqara-double-rocker': { model: 'QBKG12LM', vendor: 'Aqara' },
  'ikea-blind': { model: 'E1757', vendor: 'IKEA' },
  'aqara-leak': { model: 'SJCGQ11LM', vendor: 'Aqara' },
  'hue-color-bulb': { model: '9290012573A', vendor: 'Philips' },
  'innr-plug': { model: 'OSP 240', vendor: 'Innr' },
  'danfoss-ally': { model: '014G2461', vendor: 'Danfoss' },
  'yale-lock': { model: 'YRD256HA20BP', vendor: 'Yale' },
  // TS0601_cover_4, under the name of its white label for this manufacturer name.
  'tuya-blind-motor': { model: 'AM43-0.45/40-ES-EB', vendor: 'Moes' },
  'ikea-remote': { model: 'E1524/E1810', vendor: 'IKEA' },
};

t.test('every catalogue entry resolves to its real model', async (t) => {
  t.same(Object.keys(catalogue).sort(), Object.keys(expected).sort(), 'catalogue holds exactly the expected devices');
  for (const id of Object.keys(catalogue)) {
    const resolved = await resolveModel(catalogueDevice(id));
    t.match(resolved, expected[id], `${id} -> ${expected[id]!.model}`);
  }
});

t.test('catalogueDevice returns an independent copy with the address filled in', async (t) => {
  const a = catalogueDevice('ikea-bulb', { ieee: '0x000b57fffe000001', nwk: 0x4321 });
  a.endpoints[0]!.attributes![0x0006]![0x0000]!.value = false;
  t.equal(catalogue['ikea-bulb']!.endpoints[0]!.attributes![0x0006]![0x0000]!.value, true);
  t.match(a, { ieee: '0x000b57fffe000001', nwk: 0x4321 });
  t.throws(() => catalogueDevice('nope'), { message: /no catalogue device "nope" \(have: .*ikea-bulb/ });
});

t.test('weather sensor: measurements and the 0xFF01 struct convert to the expected state', async (t) => {
  const definition = catalogueDevice('aqara-weather');
  const { definition: model, herdsmanDevice } = (await resolveModel(definition))!;
  const io = recorder();
  const dev = new SimulatedDevice(definition, io);
  dev.set(1, 0x0402, { 0: 2150 });
  t.match(await convert(model, herdsmanDevice, io.take()[0]!), { temperature: 21.5 }, 'an unchanged reading is reported too');
  dev.set(1, 0x0402, { 0: 2237 });
  dev.set(1, 0x0405, { 0: 5012 });
  dev.set(1, 0x0403, { 0: 1002, 0x10: 10021 });
  const states = [];
  for (const frame of io.take()) states.push(await convert(model, herdsmanDevice, frame));
  t.same(states, [{ temperature: 22.37 }, { humidity: 50.12 }, { pressure: 1002.1 }]);

  dev.report(1, 0x0000);
  const [struct] = io.take();
  t.match(await convert(model, herdsmanDevice, struct!), { voltage: 3005, battery: 100, temperature: 22.37, humidity: 50.12, pressure: 1002.1 });
  dev.setStructField(0x01, 2900);
  dev.report(1, 0x0000);
  t.match(await convert(model, herdsmanDevice, io.take()[0]!), { voltage: 2900, battery: 33 });
});

t.test('mini switch: every press converts to its action', async (t) => {
  const definition = catalogueDevice('aqara-switch');
  const { definition: model, herdsmanDevice } = (await resolveModel(definition))!;
  const io = recorder();
  const dev = new SimulatedDevice(definition, io);
  const actions = [];
  for (const action of ['single', 'double', 'triple', 'hold', 'release']) {
    dev.press(action);
    actions.push((await convert(model, herdsmanDevice, io.take()[0]!)).action);
  }
  t.same(actions, ['single', 'double', 'triple', 'hold', 'release']);
  t.throws(() => dev.press('shake'), { message: 'aqara-switch has no action "shake" (actions: hold, single, double, triple, release)' });
});

t.test('IKEA remote: its buttons convert to their actions (unbound, it sends to the hub)', async (t) => {
  // An address of its own: the converters drop a transaction number already seen from the same
  // address and endpoint (the mini switch's presses above used the default address).
  const definition = catalogueDevice('ikea-remote', { ieee: '0x000b57fffe0e1810' });
  const { definition: model, herdsmanDevice } = (await resolveModel(definition))!;
  const io = recorder();
  const dev = new SimulatedDevice(definition, io);
  const actions = [];
  for (const action of ['toggle', 'brightness_up_click']) {
    dev.press(action);
    actions.push((await convert(model, herdsmanDevice, io.take()[0]!)).action);
  }
  t.same(actions, ['toggle', 'brightness_up_click']);
});

t.test('door sensor: open/close convert to contact', async (t) => {
  const definition = catalogueDevice('aqara-door');
  const { definition: model, herdsmanDevice } = (await resolveModel(definition))!;
  const io = recorder();
  const dev = new SimulatedDevice(definition, io);
  dev.press('open');
  t.match(await convert(model, herdsmanDevice, io.take()[0]!), { contact: false });
  t.equal(dev.get(1, 0x0006, 0), true, 'state follows the report');
  dev.press('close');
  t.match(await convert(model, herdsmanDevice, io.take()[0]!), { contact: true });
  dev.report(1, 0x0000);
  t.match(await convert(model, herdsmanDevice, io.take()[0]!), { voltage: 2995, contact: true, device_temperature: 24 });
});

t.test('motion sensor: illuminance report converts to illuminance', async (t) => {
  const definition = catalogueDevice('aqara-motion');
  const { definition: model, herdsmanDevice } = (await resolveModel(definition))!;
  const io = recorder();
  const dev = new SimulatedDevice(definition, io);
  dev.set(1, 0x0400, { 0: 120 });
  const state = await convert(model, herdsmanDevice, io.take()[0]!, { occupancy_timeout: 0 });
  t.match(state, { illuminance: 120, occupancy: true });
});

t.test('plug: on/off commands switch the relay and report state; struct carries power', async (t) => {
  const definition = catalogueDevice('aqara-plug');
  const { definition: model, herdsmanDevice } = (await resolveModel(definition))!;
  const io = recorder();
  const dev = new SimulatedDevice(definition, io);
  dev.receive(command('genOnOff', 'on', {}, { disableDefaultResponse: true }));
  const frames = io.take();
  t.equal(frames.length, 1, 'only the state report (default response disabled)');
  t.match(await convert(model, herdsmanDevice, frames[0]!), { state: 'ON' });
  dev.set(2, 0x000c, { 0x0055: 57.5 });
  t.match(await convert(model, herdsmanDevice, io.take()[0]!), { power: 57.5 });
  dev.set(3, 0x000c, { 0x0055: 1.25 }, 'configured');
  dev.report(1, 0x0000);
  t.match(await convert(model, herdsmanDevice, io.take()[0]!), { state: 'ON', power: 57.5, energy: 1.25, voltage: 230, device_temperature: 30 });
});
