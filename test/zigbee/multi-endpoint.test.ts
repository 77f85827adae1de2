// Multi-endpoint devices, as Zigbee2MQTT handles them: a key with an endpoint suffix
// (state_right, state_l2) is set through the converter of its plain key on that endpoint, and
// state from each endpoint is named the same way. Real herdsman and converters against the
// virtual coordinator's Aqara double rocker (QBKG12LM, endpoints left = 1, right = 2).
import t from 'tap';
import type { SimulatedDevice } from '../../scripts/virtual-coordinator/devices/simulated-device.js';
import { joinDevice, nextEvent, startFixture, tempDir } from './network-fixture.js';

const ON_OFF = 0x0006;

t.test('Aqara double rocker: each relay set and reported under its own endpoint name', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  const { network, coordinator: vc } = fixture;
  const joined = await joinDevice(fixture, 'aqara-double-rocker');
  t.match(joined.description, { model: 'QBKG12LM', vendor: 'Aqara' }, 'interviewed to its real model');
  const { ieee } = joined;
  const relay = (ep: number) => (vc.device(ieee) as SimulatedDevice).get(ep, ON_OFF, 0);

  const reported = nextEvent(network, 'state', (e) => e.ieee === ieee && 'state_right' in e.state && e.linkquality !== undefined);
  t.same(await network.setState(ieee, { state_right: 'ON' }), { state_right: 'ON' }, 'answered under the endpoint key');
  t.same([relay(1), relay(2)], [false, true], 'only the right relay switched');
  t.same((await reported).state, { state_right: 'ON' }, "the relay's own report is named state_right");

  t.same(await network.setState(ieee, { state_left: 'ON', state_right: 'OFF' }), { state_left: 'ON', state_right: 'OFF' });
  t.same([relay(1), relay(2)], [true, false], 'both, each on its own endpoint');
  t.same(await network.setState(ieee, { state_left: 'TOGGLE' }), { state_left: 'OFF' }, 'a toggle reads the state of its own endpoint');
  t.equal(relay(1), false);

  await t.rejects(network.setState(ieee, { state_middle: 'ON' }), { code: 'unsupported_key', message: /settable: .*state_left.*state_right/ }, 'an endpoint the device has not');
  await t.rejects(network.setState(ieee, { state: 'ON' }), { code: 'unsupported_key' }, 'the plain key names no relay');
  await t.rejects(network.setState(ieee, { state_left: 'MAYBE' }), { code: 'invalid_value' });
  t.same([relay(1), relay(2)], [false, false], 'refusals sent nothing');
});

t.test('a suffixed key on a device that exposes only the plain key: the named endpoint, as Zigbee2MQTT does', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  const { network, coordinator: vc } = fixture;
  // The Xiaomi plug exposes a plain `state`; its definition names no endpoints, so endpoint
  // ids stand for themselves (state_1).
  const { ieee } = await joinDevice(fixture, 'aqara-plug');
  t.same(await network.setState(ieee, { state_1: 'ON' }), { state_1: 'ON' });
  t.equal((vc.device(ieee) as SimulatedDevice).get(1, ON_OFF, 0), true, 'endpoint 1 switched');
  await t.rejects(network.setState(ieee, { state_7: 'ON' }), { code: 'unsupported_key' }, 'no endpoint 7');
  await t.rejects(network.setState(ieee, { power_1: 5 }), { code: 'unsupported_key' }, 'a key that is not settable stays refused with a suffix');
});
