// setState runs the converters' toZigbee: ON/OFF/TOGGLE, brightness and colour temperature
// reach the simulated bulb and come back as state; bad requests fail clearly and send nothing.
import t from 'tap';
import type { SimulatedDevice } from '../../scripts/virtual-coordinator/devices/simulated-device.js';
import { joinDevice, nextEvent, startFixture, tempDir } from './network-fixture.js';

const ON_OFF = 0x0006;
const LEVEL = 0x0008;
const COLOR = 0x0300;
const COLOR_TEMPERATURE = 0x0007;

t.test('setState on the bulb and the plug', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  const { network, coordinator: vc } = fixture;
  const bulb = (await joinDevice(fixture, 'ikea-bulb')).ieee;
  const plug = (await joinDevice(fixture, 'aqara-plug')).ieee;
  const weather = (await joinDevice(fixture, 'aqara-weather')).ieee;
  const lamp = vc.device(bulb) as SimulatedDevice;
  const attr = (cluster: number, id: number) => lamp.get(1, cluster, id);
  // Frames the coordinator delivered to the bulb, to prove that refused requests send nothing.
  let framesToBulb = 0;
  vc.network.on('delivered', (node) => {
    if (node.ieee === bulb) framesToBulb++;
  });

  t.test('OFF, then ON with a brightness, reach the bulb and come back as state', async (t) => {
    const event = nextEvent(network, 'state', (e) => e.ieee === bulb && e.state.state === 'OFF');
    t.match(await network.setState(bulb, { state: 'OFF' }), { state: 'OFF' });
    t.match((await event).state, { state: 'OFF' }, 'emitted as a state event');
    t.equal(attr(ON_OFF, 0), false, 'the bulb is off');

    t.match(await network.setState(bulb, { state: 'ON' }), { state: 'ON' });
    t.equal(attr(ON_OFF, 0), true, 'the bulb is on');
    t.match(await network.setState(bulb, { brightness: 100 }), { state: 'ON', brightness: 100 });
    t.equal(attr(LEVEL, 0), 100, 'at level 100');

    await network.setState(bulb, { state: 'toggle' });
    t.equal(attr(ON_OFF, 0), false, 'toggled off (values are case-insensitive)');
  });

  t.test('colour temperature by number and by preset', async (t) => {
    t.match(await network.setState(bulb, { state: 'ON', color_temp: 300 }), { color_temp: 300 });
    t.equal(attr(COLOR, COLOR_TEMPERATURE), 300);
    await network.setState(bulb, { color_temp: 'warmest' });
    t.equal(attr(COLOR, COLOR_TEMPERATURE), 454, "the converters' preset for the warmest white");
  });

  t.test('the plug switches', async (t) => {
    t.match(await network.setState(plug, { state: 'ON' }), { state: 'ON' });
    t.equal((vc.device(plug) as SimulatedDevice).get(1, ON_OFF, 0), true);
  });

  t.test('bad requests fail with a clear error and send nothing', async (t) => {
    const before = { frames: framesToBulb, on: attr(ON_OFF, 0), level: attr(LEVEL, 0) };
    await t.rejects(network.setState('0x00124b00ffffffff', { state: 'ON' }), { code: 'unknown_device', message: /no device 0x00124b00ffffffff/ });
    await t.rejects(network.setState(bulb, { flux: 1 }), { code: 'unsupported_key', message: /cannot set 'flux'.*settable: .*brightness/ });
    await t.rejects(network.setState(bulb, { brightness: 300 }), { code: 'invalid_value', message: /brightness' 300 is above 254/ });
    await t.rejects(network.setState(bulb, { brightness: 'bright' }), { code: 'invalid_value', message: /must be a number/ });
    await t.rejects(network.setState(bulb, { state: 'MAYBE' }), { code: 'invalid_value', message: /'state' must be one of 'ON', 'OFF', 'TOGGLE'/ });
    await t.rejects(network.setState(bulb, { color_temp: 'hottest' }), { code: 'invalid_value', message: /coolest.*warmest/ });
    await t.rejects(network.setState(bulb, {}), { code: 'invalid_value' });
    // One bad key refuses the whole request, also the good part of it.
    await t.rejects(network.setState(bulb, { state: 'OFF', brightness: 999 }), { code: 'invalid_value' });
    t.same({ frames: framesToBulb, on: attr(ON_OFF, 0), level: attr(LEVEL, 0) }, before, 'the bulb received nothing');

    await t.rejects(network.setState(weather, { temperature: 30 }), { code: 'unsupported_key', message: /WSDCGQ11LM cannot set 'temperature' \(settable: none\)/ });
  });
});
