// A coordinator that goes away (link cut, stick unplugged and plugged back later) is reopened
// in-process: no restart of the daemon, nothing lost, no re-pairing, commands refused clearly
// while it is gone.
import t from 'tap';
import path from 'node:path';
import { startVirtualCoordinator } from '../../scripts/virtual-coordinator/coordinator.js';
import { joinDevices, startStack, GATEWAY } from './stack.js';

t.test('the daemon reopens a lost coordinator and carries on', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.stop());
  const ieees = await joinDevices(stack, ['aqara-weather', 'ikea-bulb']);
  const weather = ieees.get('aqara-weather')!;
  const bulb = ieees.get('ikea-bulb')!;
  const lost = () => stack.daemon.lines.filter((l) => l.msg.startsWith('coordinator lost')).length;
  const reconnected = () => stack.daemon.lines.filter((l) => l.msg === 'coordinator reconnected').length;

  await t.test('a cut link is reopened at once', async (t) => {
    stack.coordinator.fault({ type: 'disconnect' });
    await stack.daemon.waitForLog((l) => l.msg === 'coordinator reconnected', 60_000);
    t.equal(lost(), 1);
    t.equal(stack.daemon.lines.find((l) => l.msg === 'coordinator reconnected')?.result, 'resumed', 'the same network resumes');
    stack.coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: 2150 });
    await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === weather && e.event.state.temperature === 21.5);
    const on = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_state', ieee: bulb, state: { state: 'OFF' } }, 30_000);
    t.ok(on.ok, `commands work again (${on.error ?? ''})`);
  });

  await t.test('a coordinator gone for a while is retried with backoff until it is back', async (t) => {
    const port = stack.coordinator.port;
    const stateFile = path.join(stack.dir, 'stick.json');
    await stack.coordinator.stop(); // the stick is unplugged: its NV and devices stay in the state file
    await stack.daemon.waitForLog((l) => l.msg === 'coordinator still unavailable' && /ECONNREFUSED|connect|timed out|failed/i.test(String(l.error)), 60_000);
    const refused = await stack.cloud.sendCommand(GATEWAY, { kind: 'permit_join', seconds: 30 }, 30_000);
    t.notOk(refused.ok, 'a command while the coordinator is gone fails');
    t.match(refused.error, /coordinator is not available/);
    t.equal(stack.daemon.child.exitCode, null, 'the daemon keeps running');

    stack.coordinator = await startVirtualCoordinator({ port, nvStateFile: stateFile }); // plugged back in
    await stack.daemon.waitForLog((l) => l.msg === 'coordinator reconnected' && reconnected() === 2, 120_000);
    t.equal(reconnected(), 2);
    t.same(stack.query<{ ieee: string }>('SELECT ieee FROM devices ORDER BY ieee').map((r) => r.ieee), [...ieees.values()].sort(), 'no device lost');
    stack.coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: 2255 });
    await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === weather && e.event.state.temperature === 22.55);
    t.equal(stack.daemon.lines.filter((l) => l.msg === 'zigbee-hubd ready').length, 1, 'the daemon process was never restarted');
    t.equal(stack.daemon.child.exitCode, null);
  });
});
