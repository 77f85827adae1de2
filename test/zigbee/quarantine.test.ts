// A device whose data keeps failing (here: a converter that throws on every one of its 0xFF02
// reports) is contained: each failure is counted and logged once per reason with the device;
// after three in a row the device is quarantined (event with reason and stage), its messages
// are ignored, other devices are untouched, and a re-interview takes it out of quarantine.
import t from 'tap';
import { joinDevice, nextEvent, recordEvents, startFixture, tempDir } from './network-fixture.js';
import { LUMI_FF02, weatherWithBrokenFf02 } from './test-devices.js';

t.test('failing data quarantines the device alone; a re-interview releases it', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  const { network, coordinator: vc } = fixture;
  const broken = (await joinDevice(fixture, weatherWithBrokenFf02())).ieee;
  const healthy = (await joinDevice(fixture, 'aqara-weather')).ieee;
  const quarantined = recordEvents(network, 'device_quarantined');

  const temperature = async (ieee: string, centi: number) => {
    const state = nextEvent(network, 'state', (e) => e.ieee === ieee && e.state.temperature === centi / 100);
    vc.set(ieee, 1, 'msTemperatureMeasurement', { measuredValue: centi });
    await state;
  };
  await temperature(broken, 2001);

  // Two failures, then a good message: the count starts again.
  for (let i = 0; i < 2; i++) vc.report(broken, 1, 'genBasic', [LUMI_FF02]);
  await temperature(broken, 2002);
  t.same(quarantined, [], 'two failures in a row do not quarantine');

  const event = nextEvent(network, 'device_quarantined', (e) => e.ieee === broken);
  for (let i = 0; i < 3; i++) vc.report(broken, 1, 'genBasic', [LUMI_FF02]);
  t.match(await event, { ieee: broken, stage: 'message', reason: /^3 failures in a row, last: converter failed: .*elmVal/ });

  const failureLines = fixture.log.lines.filter((l) => l.msg === 'device data handling failed' && l.fields?.ieee === broken);
  t.equal(failureLines.filter((l) => l.level === 'warn').length, 1, 'logged once at warn for the one reason');
  t.equal(failureLines.length, 5, 'every failure counted (later ones at debug)');
  t.match(network.stats(), { deviceFailures: 5, deviceFailuresByStage: { message: 5 }, quarantined: 1 });

  // Ignored now: its report makes no state, while the healthy sensor's does (ordered after it).
  const states = recordEvents(network, 'state');
  vc.set(broken, 1, 'msTemperatureMeasurement', { measuredValue: 2003 });
  await temperature(healthy, 2101);
  t.same(states.filter((s) => s.ieee === broken), [], "the quarantined device's report was ignored");
  t.ok(network.stats().ignoredMessages >= 1, 'and counted as ignored');

  const interview = await network.reinterview(broken);
  t.equal(interview.interview, 'successful');
  t.equal(network.stats().quarantined, 0, 'a re-interview releases it');
  await temperature(broken, 2004);
  t.equal(quarantined.length, 1, 'one quarantine event in all');
});
