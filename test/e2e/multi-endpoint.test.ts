// A double rocker through the whole product: the daemon as a process, a cloud command for
// `state_right` switches the right relay alone, and each relay's state reaches SQLite and the
// cloud under its endpoint name.
import t from 'tap';
import { GATEWAY, joinDevices, startStack } from './stack.js';

const ON_OFF = 0x0006;

t.test('Aqara double rocker (QBKG12LM): state_right switched alone, end to end', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.stop());
  const ieee = (await joinDevices(stack, ['aqara-double-rocker'])).get('aqara-double-rocker')!;
  t.same(stack.query<{ model: string }>('SELECT model FROM devices WHERE ieee = ?', ieee), [{ model: 'QBKG12LM' }]);
  const relay = (ep: number) => (stack.coordinator.device(ieee) as unknown as { get(ep: number, cluster: number, attr: number): unknown }).get(ep, ON_OFF, 0);

  const result = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_state', ieee, state: { state_right: 'ON' } }, 30_000);
  t.ok(result.ok, `command ok (${result.error ?? ''})`);
  t.same([relay(1), relay(2)], [false, true], 'only the right relay is on');
  await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === ieee && e.event.state.state_right === 'ON');

  // Switched behind the hub's back (the rocker pressed): the left relay reports as state_left.
  stack.coordinator.set(ieee, 1, 'genOnOff', { onOff: true });
  await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === ieee && e.event.state.state_left === 'ON');
  const stored = stack.query<{ key: string; value: string }>("SELECT key, value FROM device_state WHERE ieee = ? AND key LIKE 'state%' ORDER BY key", ieee);
  t.same(stored.map((r) => [r.key, JSON.parse(r.value)]), [['state_left', 'ON'], ['state_right', 'ON']], 'one row per relay, no plain state');
});
