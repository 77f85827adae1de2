// The converters read settings at configure that they keep beside the state, not as state: a
// metering plug's multipliers and divisors, a colour bulb's capabilities and colour temperature
// range. Those answers are no refused input: nothing is rejected, logged or counted for them,
// while the plug's measurements still become state scaled by its own divisors.
import t from 'tap';
import { joinDevice, nextEvent, recordEvents, startFixture, tempDir } from './network-fixture.js';

t.test("a plug's divisors and a bulb's colour capabilities, read at configure, are not refused", async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  const { network, coordinator: vc } = fixture;
  const rejected = recordEvents(network, 'rejected');
  const configured = recordEvents(network, 'device_configured');
  const energy = nextEvent(network, 'state', (e) => 'energy' in e.state);
  const plug = (await joinDevice(fixture, 'innr-plug')).ieee;
  t.equal((await energy).state.energy, 123.45, 'energy read at configure, over the divisor 100');
  const bulbConfigured = nextEvent(network, 'device_configured', (e) => e.ieee !== plug);
  const bulb = (await joinDevice(fixture, 'hue-color-bulb')).ieee;
  t.equal((await bulbConfigured).ieee, bulb);
  t.same(configured.filter((c) => !c.ok), [], 'both configured');

  // After configure, a report: scaled by the plug's own power divisor (0.1 W).
  const power = nextEvent(network, 'state', (e) => e.ieee === plug && 'power' in e.state);
  vc.set(plug, 1, 'haElectricalMeasurement', { activePower: 1234 });
  t.equal((await power).state.power, 123.4);

  t.same(rejected.filter((r) => r.ieee === plug || r.ieee === bulb), [], 'nothing refused');
  t.equal(network.stats().rejected, 0, 'nothing counted');
});
