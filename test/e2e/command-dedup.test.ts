// "A command id seen before is not run twice": also when the platform re-sends it after the hub
// restarted. A toggle makes a second run visible on the simulated bulb.
import t from 'tap';
import { joinDevices, startStack, GATEWAY } from './stack.js';

t.test('a command re-sent after a hub restart is not run again', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.stop());
  const bulb = (await joinDevices(stack, ['ikea-bulb'])).get('ikea-bulb')!;
  const device = stack.coordinator.device(bulb) as unknown as { get(ep: number, cluster: number, attr: number): unknown };
  const onOff = () => device.get(1, 0x0006, 0x0000);
  const initial = onOff();
  t.type(initial, 'boolean', 'the simulated bulb has an on/off state');

  const toggle = { id: 'toggle-once', kind: 'set_state' as const, ieee: bulb, state: { state: 'TOGGLE' } };
  const first = await stack.cloud.sendCommand(GATEWAY, toggle, 30_000);
  t.ok(first.ok, `first toggle ran (${first.error ?? ''})`);
  t.equal(onOff(), !initial, 'the toggle switched the bulb over');

  await stack.daemon.stop();
  await stack.restartDaemon();
  await stack.cloud.waitForConnection(GATEWAY, 30_000);

  // The re-sent command is ignored by the hub (its first result already reached the cloud).
  void stack.cloud.sendCommand(GATEWAY, toggle, 2_000).catch(() => undefined);
  // Commands run in arrival order: once this one has its result, the re-sent one was handled.
  const after = await stack.cloud.sendCommand(GATEWAY, { id: 'colour-after', kind: 'set_state', ieee: bulb, state: { color_temp: 300 } }, 30_000);
  t.ok(after.ok, `the next command ran (${after.error ?? ''})`);
  t.equal(onOff(), !initial, 'the toggle did not run a second time');
  const results = stack.cloud.events(GATEWAY).filter((e) => e.event.kind === 'command_result' && e.event.commandId === 'toggle-once');
  t.equal(results.length, 1, 'exactly one result for the command id at the cloud');
});
