// A report of an attribute the definition's converters handle, whose value a converter silently
// drops (zigbee-herdsman-converters' lumi converter ignores temperatures outside (-65, 65) °C),
// must not vanish: it is refused with the attribute named, logged and counted. Found by the fuzzer
// (seed 2026): a weather sensor at 65 °C became neither state nor a log line.
import t from 'tap';
import { joinDevice, nextEvent, recordEvents, startFixture, tempDir } from './network-fixture.js';

t.test('a Lumi weather sensor at 65 °C: refused with the attribute named; 21.5 °C still becomes state', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  const { network, coordinator: vc } = fixture;
  const sensor = (await joinDevice(fixture, 'aqara-weather')).ieee;
  const states = recordEvents(network, 'state');

  const rejected = nextEvent(network, 'rejected', (e) => e.ieee === sensor);
  vc.set(sensor, 1, 'msTemperatureMeasurement', { measuredValue: 6500 });
  const refusal = await rejected;
  t.equal(refusal.cluster, 'msTemperatureMeasurement');
  t.match(refusal.reason, /^msTemperatureMeasurement\.measuredValue = 6500 gave no state/);

  const good = nextEvent(network, 'state', (e) => e.ieee === sensor && 'temperature' in e.state);
  vc.set(sensor, 1, 'msTemperatureMeasurement', { measuredValue: 2150 });
  t.equal((await good).state.temperature, 21.5);
  t.same(states.filter((s) => s.ieee === sensor && 'temperature' in s.state).map((s) => s.state.temperature), [21.5], 'no 65 °C state');

  const logged = fixture.log.lines.filter((l) => l.msg === 'rejected input from device' && l.fields?.ieee === sensor);
  t.equal(logged.length, 1, 'logged once with the device');
  t.match(network.stats().rejectedByReason, { 'msTemperatureMeasurement.measuredValue = # gave no state (the converter ignored the value)': 1 });
});
