// Every catalogue device joins through our network, is interviewed by herdsman and resolved
// by the converters to its real model; an unknown device gets the generic definition; the
// definitions' configure runs once and is remembered across a restart.
import path from 'node:path';
import t from 'tap';
import { joinDevice, nextEvent, recordEvents, startFixture, tempDir } from './network-fixture.js';
import { unknownGadget } from './test-devices.js';

const EXPECTED: Record<string, { model: string; vendor: string; type: string }> = {
  'aqara-weather': { model: 'WSDCGQ11LM', vendor: 'Aqara', type: 'EndDevice' },
  'aqara-door': { model: 'MCCGQ11LM', vendor: 'Aqara', type: 'EndDevice' },
  'aqara-motion': { model: 'RTCGQ11LM', vendor: 'Aqara', type: 'EndDevice' },
  'aqara-plug': { model: 'ZNCZ02LM', vendor: 'Xiaomi', type: 'Router' },
  'ikea-bulb': { model: 'LED1545G12', vendor: 'IKEA', type: 'Router' },
  'aqara-switch': { model: 'WXKG11LM', vendor: 'Aqara', type: 'EndDevice' },
};

t.test('catalogue devices and an unknown device join, are interviewed and resolved', async (t) => {
  const dataDir = tempDir(t);
  const nvStateFile = path.join(dataDir, 'vc-state.json');
  const fixture = await startFixture(t, { dataDir, coordinator: { nvStateFile } });
  const { network } = fixture;
  const joins = recordEvents(network, 'device_joined');
  const interviews = recordEvents(network, 'device_interview');
  const configured = recordEvents(network, 'device_configured');

  const ieeeOf: Record<string, string> = {};
  for (const [id, expected] of Object.entries(EXPECTED)) {
    const joined = await joinDevice(fixture, id);
    ieeeOf[id] = joined.ieee;
    t.equal(joined.status, 'successful', `${id} interviewed`);
    t.match(joined.description, { ieee: joined.ieee, nwk: joined.nwk, supported: true, interview: 'successful', ...expected }, `${id} is a ${expected.model}`);
    t.ok(joined.description.description, `${id} has the converters' description`);
    t.ok(joins.some((e) => e.ieee === joined.ieee && e.nwk === joined.nwk), `${id} device_joined with its network address`);
    t.ok(interviews.some((e) => e.ieee === joined.ieee && e.status === 'in_progress'), `${id} interview start reported`);
  }

  const gadget = await joinDevice(fixture, unknownGadget());
  t.equal(gadget.status, 'successful', 'an unknown device is not an interview failure');
  t.match(gadget.description, {
    supported: false,
    modelId: 'ACME-GADGET-X1-NOT-REAL',
    manufacturerName: 'Acme Test Labs',
    model: 'ACME-GADGET-X1-NOT-REAL',
    description: /generated/i,
  }, 'the generic definition of the converters');

  // The unknown device still works through the generic definition.
  const reading = nextEvent(network, 'state', (e) => e.ieee === gadget.ieee && 'temperature' in e.state);
  fixture.coordinator.set(gadget.ieee, 1, 'msTemperatureMeasurement', { measuredValue: 1875 });
  t.match((await reading).state, { temperature: 18.75 });

  const listed = network.devices();
  t.same(listed.map((d) => d.ieee).sort(), [...Object.values(ieeeOf), gadget.ieee].sort(), 'devices() lists what herdsman knows, without the coordinator');
  t.match(listed.find((d) => d.ieee === ieeeOf['ikea-bulb']), { model: 'LED1545G12', supported: true });

  // Definitions with a configure ran it once; the generic temperature one binds and sets up
  // reporting, which the simulated device recorded.
  const bulb = ieeeOf['ikea-bulb']!;
  for (const ieee of [bulb, gadget.ieee]) {
    if (!configured.some((e) => e.ieee === ieee && e.ok)) await nextEvent(network, 'device_configured', (e) => e.ieee === ieee && e.ok);
  }
  const node = fixture.coordinator.network.byIeee(gadget.ieee)!;
  t.ok(node.bindings.some((b) => b.clusterId === 0x0402 && b.destinationIeee === fixture.coordinator.ieee), 'temperature bound to the coordinator by configure');
  t.same(configured.filter((e) => !e.ok), [], 'no configure failed');
  await fixture.stop();

  // After a restart nothing is configured again: the success was recorded with the device.
  const again = await startFixture(t, { dataDir, coordinator: { nvStateFile } });
  t.equal(again.result, 'resumed');
  const reconfigured = recordEvents(again.network, 'device_configured');
  // A message from the bulb is the moment a pending configure would run.
  const seen = nextEvent(again.network, 'seen', (e) => e.ieee === bulb);
  t.equal(await again.network.ping(bulb), true, 'the bulb answers a ping after the restart');
  await seen;
  t.same(reconfigured, [], 'configure is not repeated');
  t.match(again.network.devices().find((d) => d.ieee === gadget.ieee), { supported: false, interview: 'successful' });
});
