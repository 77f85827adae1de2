// Per-device availability through the whole product: device options set by cloud commands
// change what the daemon (a real process) does. With a 25 h battery timeout configured, the
// weather sensor given availability_timeout_seconds: 4 is unavailable at the cloud within
// seconds; the bulb given availability: false, silent about as long (twice its 2 s mains
// timeout), gets no ping at all.
import t from 'tap';
import type { NetworkNode } from '../../scripts/virtual-coordinator/network/simulated-network.js';
import type { ZclFrame } from '../../scripts/virtual-coordinator/devices/definition.js';
import { GATEWAY, joinDevices, startStack } from './stack.js';

/** herdsman's ping: a ZCL global read of genBasic zclVersion. */
const isPing = ({ clusterId, data }: ZclFrame) => clusterId === 0x0000 && data.length === 5 && (data[0]! & 0x07) === 0 && data[2] === 0x00 && data.readUInt16LE(3) === 0;

t.test('availability options per device: a timeout of its own, and availability off', async (t) => {
  const stack = await startStack({
    config: { availability: { mains_timeout_seconds: 2, battery_timeout_seconds: 90_000, check_interval_seconds: 1 } },
  });
  t.teardown(() => stack.stop());
  const ieees = await joinDevices(stack, ['ikea-bulb', 'aqara-weather']);
  const bulb = ieees.get('ikea-bulb')!;
  const sensor = ieees.get('aqara-weather')!;

  const off = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_options', ieee: bulb, options: { availability: false } }, 30_000);
  t.same([off.ok, off.state], [true, { availability: false }], 'bulb: availability off');
  const pings: string[] = [];
  stack.coordinator.network.on('delivered', (node: NetworkNode, frame: ZclFrame) => {
    if (isPing(frame)) pings.push(node.ieee);
  });
  stack.coordinator.fault({ type: 'silent', ieee: bulb });
  const mark = stack.cloud.events(GATEWAY).at(-1)?.seq ?? 0;
  const timeout = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_options', ieee: sensor, options: { availability_timeout_seconds: 4 } }, 30_000);
  t.ok(timeout.ok, 'sensor: a timeout of 4 s');
  const bad = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_options', ieee: sensor, options: { availability_timeout_seconds: 'soon' } }, 30_000);
  t.match(bad, { ok: false, error: /option 'availability_timeout_seconds' must be a whole number of seconds/ }, 'a bad value is refused, naming the option');

  await stack.waitForCloud((e) => e.seq > mark && e.event.kind === 'availability_changed' && e.event.ieee === sensor && !e.event.available);
  t.pass('the sensor is unavailable after its own 4 s (the configured battery timeout is 25 h)');
  // The bulb, silent about as long (4 s, twice its mains timeout), was due through several sweeps.
  t.same(pings.filter((p) => p === bulb), [], 'the bulb with availability off was never pinged');
  t.notOk(stack.cloud.events(GATEWAY).some((e) => e.event.kind === 'availability_changed' && e.event.ieee === bulb), 'nor marked unavailable');
});
