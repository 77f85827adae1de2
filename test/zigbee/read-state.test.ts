// readState asks the device itself (convertGet): a value changed on the device without a report
// comes back fresh, as a state event and as the result; keys the definition does not expose as
// readable are refused, naming the readable ones, and nothing is sent.
import t from 'tap';
import type { SimulatedDevice } from '../../scripts/virtual-coordinator/devices/simulated-device.js';
import { joinDevice, nextEvent, startFixture, tempDir } from './network-fixture.js';

const ON_OFF = 0x0006;
const LEVEL = 0x0008;

t.test('readState on the bulb', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  const { network, coordinator: vc } = fixture;
  const bulb = (await joinDevice(fixture, 'ikea-bulb')).ieee;
  const lamp = vc.device(bulb) as SimulatedDevice;
  let framesToBulb = 0;
  vc.network.on('delivered', (node) => {
    if (node.ieee === bulb) framesToBulb++;
  });
  await network.setState(bulb, { state: 'ON', brightness: 100 });

  t.test('values changed on the device (no report) come back fresh', async (t) => {
    lamp.set(1, ON_OFF, { 0: false }, 'silent');
    lamp.set(1, LEVEL, { 0: 42 }, 'silent');
    const event = nextEvent(network, 'state', (e) => e.ieee === bulb && e.state.brightness === 42);
    t.same(await network.readState(bulb, ['state', 'brightness']), { state: 'OFF', brightness: 42 });
    t.match((await event).state, { brightness: 42 }, 'also emitted as a state event (stored like any report)');
  });

  t.test('keys that are not readable are refused, naming the readable ones, and nothing is sent', async (t) => {
    const before = framesToBulb;
    await t.rejects(network.readState(bulb, ['state', 'flux']), { code: 'unsupported_key', message: /cannot read 'flux' \(readable: .*state.*brightness/ });
    await t.rejects(network.readState(bulb, ['read']), { code: 'unsupported_key', message: /cannot read 'read'/ }, 'the raw read converter is not reachable');
    await t.rejects(network.readState('0x00124b00ffffffff', ['state']), { code: 'unknown_device' });
    t.equal(framesToBulb, before, 'no frame reached the bulb');
  });
});
