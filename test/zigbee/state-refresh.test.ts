// A bulb that loses power and comes back: it announces itself, the network reads its state
// (on/off, then brightness as it is on) and reports its real state without any command; an
// availability ping plays no part. The same read runs for a device the hub had counted
// unavailable (refreshState, called by hub/availability.ts through onBack).
import t from 'tap';
import type { SimulatedDevice } from '../../scripts/virtual-coordinator/devices/simulated-device.js';
import { joinDevice, nextEvent, startFixture, tempDir } from './network-fixture.js';

const ON_OFF = 0x0006;
const LEVEL = 0x0008;

t.test('a bulb back from a power cut reports its real state without a command', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  const { network, coordinator: vc } = fixture;
  const { ieee } = await joinDevice(fixture, 'ikea-bulb');
  const bulb = vc.device(ieee) as SimulatedDevice;
  await network.setState(ieee, { state: 'OFF' });
  t.equal(bulb.get(1, ON_OFF, 0), false);

  // Power cut and back: the bulb comes on at full brightness (its power-on behaviour), says
  // nothing about it, and announces itself.
  bulb.setUnreported(1, ON_OFF, { 0: true });
  bulb.setUnreported(1, LEVEL, { 0: 254 });
  const on = nextEvent(network, 'state', (e) => e.ieee === ieee && e.state.state === 'ON');
  const brightness = nextEvent(network, 'state', (e) => e.ieee === ieee && e.state.brightness === 254);
  vc.network.announce(vc.network.byIeee(ieee)!);
  t.same((await on).state, { state: 'ON' }, 'its real on/off state, read after the announce');
  t.equal((await brightness).state.brightness, 254, 'and, as it is on, its brightness');

  // Counted unavailable and heard again (no announce): the hub asks too.
  bulb.setUnreported(1, ON_OFF, { 0: false });
  const off = nextEvent(network, 'state', (e) => e.ieee === ieee && e.state.state === 'OFF');
  await network.refreshState(ieee);
  t.same((await off).state, { state: 'OFF' });
});
