// Absurd electrical readings (1e30 W, -5000 W) from a real definition's converters never
// become state: refused with the device and the reason in the log, counted, and the next
// plausible reading still arrives.
import t from 'tap';
import { joinDevice, nextEvent, recordEvents, startFixture, tempDir } from './network-fixture.js';

t.test('a plug reporting 1e30 W or -5000 W: refused, logged, counted; 57.5 W still becomes state', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  const { network, coordinator: vc } = fixture;
  const plug = (await joinDevice(fixture, 'aqara-plug')).ieee;
  const states = recordEvents(network, 'state');

  for (const absurd of [1e30, -5000]) {
    const rejected = nextEvent(network, 'rejected', (e) => e.ieee === plug);
    vc.set(plug, 2, 'genAnalogInput', { presentValue: absurd });
    // genAnalogInput.presentValue is a float32: 1e30 arrives as 1.0000000150474662e+30.
    t.match((await rejected).reason, absurd > 0 ? /^power 1\.0*\d*e\+30 is above 100000$/ : /^power -5000 is below -100$/);
  }
  const good = nextEvent(network, 'state', (e) => e.ieee === plug && 'power' in e.state);
  vc.set(plug, 2, 'genAnalogInput', { presentValue: 57.5 });
  t.same((await good).state, { power: 57.5 });
  t.same(states.filter((s) => s.ieee === plug && 'power' in s.state).map((s) => s.state.power), [57.5], 'no absurd power became state');

  const logged = fixture.log.lines.filter((l) => l.msg === 'rejected input from device' && l.fields?.ieee === plug);
  t.match(logged.map((l) => l.fields?.reason), [/^power 1\.0*\d*e\+30 is above 100000$/, 'power -5000 is below -100'], 'each logged once with the device and the reason');
  t.equal(logged.length, 2);
  t.match(network.stats().rejectedByReason, { 'power # is above #': 1, 'power # is below #': 1 });
});
