// The command policy: set_state may only set what the device's definition exposes as settable.
// The converters' generic raw-ZCL keys (read, write, command, reset, zclcommand, ...) are on
// every definition; through the real herdsman and the virtual coordinator, none of them may
// reach the device.
import t from 'tap';
import type { SimulatedDevice } from '../../scripts/virtual-coordinator/devices/simulated-device.js';
import { joinDevice, startFixture, tempDir } from './network-fixture.js';

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
