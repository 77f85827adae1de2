// Bindings and reporting through the command executor: real herdsman against the virtual
// coordinator, which keeps each device's binding table and routes bound commands between its
// simulated devices, so a remote bound to a bulb toggles it with the hub stopped.
import t from 'tap';
import { ikeaRemote } from '../../scripts/virtual-coordinator/devices/remotes.js';
import type { SimulatedDevice } from '../../scripts/virtual-coordinator/devices/simulated-device.js';
import { startHubStack } from './hub-stack.js';
import { joinDevice } from '../zigbee/network-fixture.js';

const ON_OFF = 0x0006;

t.test('a remote bound to a bulb, then to a group, toggles it with the hub stopped; reporting configured and listed', async (t) => {
  const { fixture, store, run } = await startHubStack(t);
  const on = (ieee: string) => (fixture.coordinator.device(ieee) as SimulatedDevice).get(1, ON_OFF, 0);
  const press = (ieee: string) => (fixture.coordinator.device(ieee) as SimulatedDevice).press('toggle');

  const hall = (await joinDevice(fixture, 'ikea-bulb')).ieee;
  const desk = (await joinDevice(fixture, 'ikea-bulb')).ieee;
  const joined = await joinDevice(fixture, ikeaRemote);
  t.equal(joined.description.model, 'E1524/E1810', 'the remote is resolved to its real model');
  const remote = joined.ieee;
  store.devices.rename(remote, 'Remote');

  const bound = await run({ kind: 'bind', ieee: 'Remote', target: { ieee: hall } });
  t.match(bound, { ok: true, state: { clusters: ['genScenes', 'genOnOff', 'genLevelCtrl'] } }, `bound (${bound.error ?? ''})`);
  type Listed = Array<{ endpoint: number; cluster: string; target: { ieee?: string; endpoint?: number; group?: number } }>;
  const toHall = (state: unknown) => ((state as { bindings: Listed }).bindings).filter((b) => b.target.ieee === hall);
  // Its definition's configure step bound genOnOff to IKEA's default group 901 and genPowerCfg to the coordinator: listed too.
  t.same(toHall(bound.state), [
    { endpoint: 1, cluster: 'genScenes', target: { ieee: hall, endpoint: 1 } },
    { endpoint: 1, cluster: 'genOnOff', target: { ieee: hall, endpoint: 1 } },
    { endpoint: 1, cluster: 'genLevelCtrl', target: { ieee: hall, endpoint: 1 } },
  ], 'listed per device');
  t.ok(fixture.coordinator.network.byIeee(remote)!.bindings.some((b) => b.clusterId === ON_OFF && b.destinationIeee === hall), "in the remote's own binding table");

  t.equal(on(hall), true);
  press(remote);
  t.equal(on(hall), false, 'the bound bulb toggled');
  t.equal(on(desk), true, 'the other one did not');

  // Rebound to a group holding the other bulb only.
  const unbound = await run({ kind: 'bind', ieee: remote, target: { ieee: hall }, unbind: true });
  t.match(unbound, { ok: true, state: { clusters: ['genScenes', 'genOnOff', 'genLevelCtrl'] } });
  t.same(toHall(unbound.state), [], 'unbound');
  await run({ kind: 'create_group', name: 'Desk' });
  await run({ kind: 'add_group_member', group: 'Desk', ieee: desk });
  const toGroup = await run({ kind: 'bind', ieee: remote, target: { group: 'Desk' }, clusters: ['genOnOff'] });
  t.match(toGroup, { ok: true, state: { clusters: ['genOnOff'] } });
  t.ok((toGroup.state as { bindings: Listed }).bindings.some((b) => b.cluster === 'genOnOff' && b.target.group === 1), 'bound to the group');
  t.match(await run({ kind: 'bind', ieee: remote, target: { ieee: hall }, clusters: ['lightingColorCtrl'] }), { ok: false, error: /does not send lightingColorCtrl \(output clusters: .*genOnOff/ });
  t.match(await run({ kind: 'bind', ieee: hall, target: { ieee: remote } }), { ok: false, error: /nothing to bind: .* sends none of the clusters/ });

  const reporting = await run({ kind: 'configure_reporting', ieee: desk, cluster: 'genLevelCtrl', attribute: 'currentLevel', minimumInterval: 1, maximumInterval: 300, reportableChange: 5 });
  t.match(reporting, { ok: true, state: { reporting: [{ endpoint: 1, cluster: 'genLevelCtrl', attribute: 'currentLevel', minimumInterval: 1, maximumInterval: 300, reportableChange: 5 }] } }, `reporting (${reporting.error ?? ''})`);
  t.match(await run({ kind: 'configure_reporting', ieee: desk, cluster: 'genLevelCtrl', attribute: 'currentLevel', minimumInterval: 60, maximumInterval: 10, reportableChange: 1 }), { ok: false, error: /maximum_interval 10 is below minimum_interval 60/ });
  t.match(await run({ kind: 'configure_reporting', ieee: desk, cluster: 'msTemperatureMeasurement', attribute: 'measuredValue', minimumInterval: 1, maximumInterval: 60, reportableChange: 1 }), { ok: false, error: /has no msTemperatureMeasurement cluster/ });

  // The hub goes away; the remote and the bulbs keep working between themselves.
  await fixture.network.stop();
  press(remote);
  t.same([on(hall), on(desk)], [false, false], 'the group member toggled, the unbound bulb stayed as it was');
  press(remote);
  t.same([on(hall), on(desk)], [false, true]);
});
