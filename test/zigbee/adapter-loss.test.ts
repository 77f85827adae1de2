// The coordinator link drops (a USB stick pulled out): adapter_disconnected is emitted, and
// the same ZigbeeNetwork can be stopped and started again in-process, resuming the network
// with its devices, as the daemon does when the stick comes back.
import t from 'tap';
import { activeTimers, joinDevice, nextEvent, pendingTimers, startFixture, tempDir, timersAfterStop } from './network-fixture.js';

t.test('adapter loss, then stop and start again on the same instance', async (t) => {
  const timersBefore = activeTimers();
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  const { network, coordinator: vc } = fixture;
  const weather = (await joinDevice(fixture, 'aqara-weather')).ieee;

  const lost = nextEvent(network, 'adapter_disconnected');
  vc.fault({ type: 'disconnect' });
  t.same(await lost, {}, 'adapter_disconnected');

  await network.stop();
  t.equal(await network.start(), 'resumed', 'the coordinator kept the network');
  t.match(network.devices(), [{ ieee: weather, model: 'WSDCGQ11LM', interview: 'successful' }]);
  const state = nextEvent(network, 'state', (e) => e.ieee === weather && 'temperature' in e.state);
  vc.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: 1990 });
  t.same((await state).state, { temperature: 19.9 }, 'reports flow again');

  // Permit join was open when the link dropped, and the sensor announced itself: herdsman
  // leaves timers for both behind unless we clear them; the process could not exit.
  await network.permitJoin(254);
  const lostAgain = nextEvent(network, 'adapter_disconnected');
  vc.fault({ type: 'disconnect' });
  await lostAgain;
  await fixture.stop();
  const timersAfter = await timersAfterStop(timersBefore);
  t.ok(timersAfter <= timersBefore, `no timer left running after stop: ${timersAfter} ref'd timers, ${timersBefore} before start`, { pending: timersAfter <= timersBefore ? undefined : pendingTimers() });
});
