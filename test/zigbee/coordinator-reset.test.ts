// A stick that reboots by itself is reported as coordinator_reset (herdsman 10.9.5 ignores the
// ZNP reset indication); the resets herdsman itself asks for while starting are not.
import t from 'tap';
import { nextEvent, recordEvents, startFixture, tempDir } from './network-fixture.js';

t.test('coordinator_reset on a spontaneous reset only', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  const { network, coordinator: vc } = fixture;
  const resets = recordEvents(network, 'coordinator_reset');

  await network.stop();
  await network.start(); // herdsman resets the stick while starting: not a spontaneous reset
  t.same(resets, [], 'herdsman\'s own resets at start are not reported');

  const reset = nextEvent(network, 'coordinator_reset');
  vc.fault({ type: 'reset' });
  t.same(await reset, { reason: 'watchdog' }, 'the reset and its reason');
  t.ok(fixture.log.lines.some((l) => l.level === 'warn' && l.msg.startsWith('coordinator reset by itself')), 'logged as a warning');
});
