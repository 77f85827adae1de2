// Bindings through the whole product: the cloud binds a remote to a bulb and configures a
// reporting, the daemon (a real process) tells the devices on the virtual coordinator; then
// the daemon stops, and the remote still toggles the bulb (bound traffic goes device to device).
import t from 'tap';
import { ikeaRemote } from '../../scripts/virtual-coordinator/devices/remotes.js';
import { GATEWAY, joinDevices, startStack } from './stack.js';

const ON_OFF = 0x0006;

t.test('a remote bound to a bulb from the cloud toggles it with the daemon stopped', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.stop());
  const bulb = (await joinDevices(stack, ['ikea-bulb'])).get('ikea-bulb')!;
  const remote = stack.coordinator.join(ikeaRemote).ieee;
  await stack.waitForCloud((e) => e.event.kind === 'device_interview' && e.event.ieee === remote && e.event.status === 'successful', 90_000);
  const device = (ieee: string) => stack.coordinator.device(ieee) as unknown as { get(ep: number, cluster: number, attr: number): unknown; press(action: string): void };
  const send = (command: Record<string, unknown>) => stack.cloud.sendCommand(GATEWAY, command as never, 30_000);

  const bound = await send({ kind: 'bind', ieee: remote, target: { ieee: bulb }, clusters: ['genOnOff'] });
  t.ok(bound.ok, `bound (${bound.error ?? ''})`);
  t.match(bound.state, { clusters: ['genOnOff'] });
  // Listed with those its definition's configure step made (genOnOff to IKEA's group 901, genPowerCfg to the hub).
  const bindings = (bound.state as { bindings: Array<{ cluster: string; target: { ieee?: string } }> }).bindings;
  t.ok(bindings.some((b) => b.cluster === 'genOnOff' && b.target.ieee === bulb), 'the bulb is listed among the remote\'s bindings');
  const reporting = await send({ kind: 'configure_reporting', ieee: bulb, cluster: 'genOnOff', attribute: 'onOff', minimumInterval: 0, maximumInterval: 600, reportableChange: 0 });
  t.ok(reporting.ok, `reporting configured (${reporting.error ?? ''})`);
  t.match(reporting.state, { reporting: [{ cluster: 'genOnOff', attribute: 'onOff', maximumInterval: 600 }] });
  t.match(await send({ kind: 'bind', ieee: remote, target: { group: 9 } }), { ok: false, error: /unknown group 9/ });

  const stopped = await stack.daemon.stop();
  t.equal(stopped.code, 0, 'the daemon stopped cleanly');
  const on = () => device(bulb).get(1, ON_OFF, 0);
  const before = on();
  device(remote).press('toggle');
  t.equal(on(), !before, 'the remote toggled the bulb with no hub running');
  device(remote).press('toggle');
  t.equal(on(), before);
});
