// The command policy: set_state may only set what the device's definition exposes as settable.
// The converters' generic raw-ZCL keys (read, write, command, reset, zclcommand, ...) are on
// every definition; through the real herdsman and the virtual coordinator, none of them may
// reach the device.
import t from 'tap';
import type { SimulatedDevice } from '../../scripts/virtual-coordinator/devices/simulated-device.js';
import { joinDevice, startFixture, tempDir } from './network-fixture.js';
import { twoGangSwitch } from './test-devices.js';

const ON_OFF = 0x0006;

t.test('raw ZCL and resets through set_state are refused and send nothing', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  const { network, coordinator: vc } = fixture;
  const bulb = (await joinDevice(fixture, 'ikea-bulb')).ieee;
  const lamp = vc.device(bulb) as SimulatedDevice;
  let framesToBulb = 0;
  vc.network.on('delivered', (node) => {
    if (node.ieee === bulb) framesToBulb++;
  });
  await network.setState(bulb, { state: 'ON' });
  t.equal(lamp.get(1, ON_OFF, 0), true, 'an exposed settable key still works');
  const before = framesToBulb;

  const raw: Array<Record<string, unknown>> = [
    { write: { cluster: 'genOnOff', payload: { onOff: 0 } } },
    { command: { cluster: 'genOnOff', command: 'off', payload: {} } },
    { command: { cluster: 'genBasic', command: 'resetFactDefault', payload: {} } },
    { reset: true },
    { read: { cluster: 'genBasic', attributes: ['modelId'] } },
    { zclcommand: { cluster: 'genOnOff', command: 'off' } },
    // A good key does not carry a raw one through with it.
    { state: 'OFF', write: { cluster: 'genOnOff', payload: { onOff: 0 } } },
  ];
  for (const request of raw) {
    const key = Object.keys(request).at(-1)!;
    await t.rejects(
      network.setState(bulb, request),
      { code: 'unsupported_key', message: new RegExp(`cannot set '${key}' \\(settable: .*state.*brightness`) },
      `${key} is refused, naming the settable keys`,
    );
  }
  t.equal(framesToBulb, before, 'the bulb received nothing');
  t.equal(lamp.get(1, ON_OFF, 0), true, 'and is still on');
});

t.test('per-endpoint exposes (state_2) are settable, on their own endpoint only', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  const { network, coordinator: vc } = fixture;
  const ieee = (await joinDevice(fixture, twoGangSwitch())).ieee;
  const gang = (ep: number) => (vc.device(ieee) as SimulatedDevice).get(ep, ON_OFF, 0);

  t.same(await network.setState(ieee, { state_2: 'ON' }), { state_2: 'ON' }, 'the state comes back under the endpoint key');
  t.same([gang(1), gang(2)], [false, true], 'only gang 2 switched on');
  t.same(await network.setState(ieee, { state_1: 'ON', state_2: 'OFF' }), { state_1: 'ON', state_2: 'OFF' });
  t.same([gang(1), gang(2)], [true, false]);

  await t.rejects(network.setState(ieee, { state: 'OFF' }), { code: 'unsupported_key', message: /cannot set 'state' \(settable: state_1, state_2/ }, 'the plain key is not exposed');
  await t.rejects(network.setState(ieee, { state_3: 'OFF' }), { code: 'unsupported_key' });
  await t.rejects(network.setState(ieee, { write: { cluster: 'genOnOff', payload: { onOff: 0 } } }), { code: 'unsupported_key' });
  await t.rejects(network.setState(ieee, { state_1: 'MAYBE' }), { code: 'invalid_value', message: /'state_1' must be one of 'ON', 'OFF', 'TOGGLE'/ });
  t.same([gang(1), gang(2)], [true, false], 'refusals sent nothing');
});
