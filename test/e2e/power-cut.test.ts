// A bulb that loses power and comes back reports its real state without a command, end to end:
// the daemon as a process, the simulated bulb really losing power (it hears and sends nothing,
// so the hub's pings go unanswered and it is marked unavailable), then coming back in its
// power-on state (IKEA: on, at its previous level) while the hub last knew it off, and
// announcing itself. Nothing tells the hub the new state but its own read.
import t from 'tap';
import type { SimulatedDevice } from '../../scripts/virtual-coordinator/devices/simulated-device.js';
import { GATEWAY, joinDevices, startStack, type Stack } from './stack.js';

const ON_OFF = 0x0006;
const lastSeq = (stack: Stack) => stack.cloud.events(GATEWAY).at(-1)?.seq ?? 0;

t.test('a bulb back from a power cut: unavailable, then available with its real state, no command sent', async (t) => {
  const stack = await startStack({
    config: { availability: { mains_timeout_seconds: 2, battery_timeout_seconds: 3, check_interval_seconds: 1 } },
  });
  t.teardown(() => stack.stop());
  const bulb = (await joinDevices(stack, ['ikea-bulb'])).get('ikea-bulb')!;
  const device = stack.coordinator.device(bulb) as SimulatedDevice;

  const off = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_state', ieee: bulb, state: { state: 'OFF' } }, 30_000);
  t.ok(off.ok, 'switched off from the cloud');
  await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === bulb && e.event.state.state === 'OFF');

  let mark = lastSeq(stack);
  stack.coordinator.power(bulb, false);
  await stack.waitForCloud((e) => e.seq > mark && e.event.kind === 'availability_changed' && e.event.ieee === bulb && !e.event.available);
  t.pass('without power it answers no ping: unavailable at the cloud');

  mark = lastSeq(stack);
  const commandsBefore = stack.cloud.events(GATEWAY).filter((e) => e.event.kind === 'command_result').length;
  stack.coordinator.power(bulb, true);
  t.equal(device.get(1, ON_OFF, 0), true, 'the bulb came back on (StartUpOnOff 1), and said nothing about it');
  const back = await stack.waitForCloud((e) => e.seq > mark && e.event.kind === 'availability_changed' && e.event.ieee === bulb && e.event.available);
  const on = await stack.waitForCloud((e) => e.seq > mark && e.event.kind === 'state_changed' && e.event.ieee === bulb && e.event.changed.includes('state') && e.event.state.state === 'ON');
  t.ok(back.seq > mark && on.seq > mark, 'available again, and its real state, ON, reached the cloud');
  t.equal(stack.cloud.events(GATEWAY).filter((e) => e.event.kind === 'command_result').length, commandsBefore, 'without any command');
  const stored = stack.query<{ value: string }>("SELECT value FROM device_state WHERE ieee = ? AND key = 'state'", bulb);
  t.same(stored.map((r) => JSON.parse(r.value) as unknown), ['ON'], 'ON in SQLite');
});
