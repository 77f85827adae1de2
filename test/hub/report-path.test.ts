// The report path has one owner per concern: the store's state cache is the one the converters
// read, availability is decided by the availability monitor alone, and nothing is logged twice.
// Real herdsman against the virtual coordinator, real SQLite in a temp dir.
import t, { type Test } from 'tap';
import { AvailabilityMonitor } from '../../daemon/hub/availability.js';
import { systemClock } from '../../daemon/store/index.js';
import { joinDevice, nextEvent } from '../zigbee/network-fixture.js';
import { startHubStack } from './hub-stack.js';

function setup(t: Test) {
  return startHubStack(t, { storeLogInFixture: true });
}

t.test('a device interview is logged once, by the zigbee edge', async (t) => {
  const { fixture } = await setup(t);
  await joinDevice(fixture, 'aqara-plug');
  const lines = fixture.log.lines.filter((l) => l.msg === 'device interviewed');
  t.equal(lines.length, 1, `one line: ${JSON.stringify(lines.map((l) => `${l.ns} ${l.msg}`))}`);
});

t.test("converters read the device's last state from the store (one state cache)", async (t) => {
  const { fixture, store } = await setup(t);
  const { ieee } = await joinDevice(fixture, 'aqara-plug');
  // The store knows the plug is ON (e.g. restored from a backup); the network never saw it.
  store.state.apply(ieee, { state: 'ON' });
  const result = await fixture.network.setState(ieee, { state: 'TOGGLE' });
  t.same(result, { state: 'OFF' }, "the toggle converter computed the new state from the store's");
});

t.test('availability is decided by the monitor alone: a frame makes a device available through it', async (t) => {
  const { fixture, store } = await setup(t);
  const { ieee } = await joinDevice(fixture, 'aqara-plug');
  store.devices.setAvailability(ieee, false);

  // Without the monitor listening, a frame updates last-seen but decides nothing.
  let seen = nextEvent(fixture.network, 'seen', (e) => e.ieee === ieee);
  fixture.coordinator.set(ieee, 1, 'genOnOff', { onOff: true });
  await seen;
  t.equal(store.devices.get(ieee)?.available, false, 'device-sync does not decide availability');
  t.ok(store.devices.get(ieee)?.lastSeen, 'but it records the frame');

  const back: string[] = [];
  const monitor = new AvailabilityMonitor({
    store,
    network: { ping: async () => true },
    clock: systemClock,
    log: fixture.log.child('availability'),
    mainsTimeoutMs: 600_000,
    batteryTimeoutMs: 90_000_000,
    checkIntervalMs: 600_000,
    onBack: (device) => back.push(device),
  });
  const off = fixture.network.on('seen', ({ ieee }) => monitor.heard(ieee));
  t.teardown(off);
  seen = nextEvent(fixture.network, 'seen', (e) => e.ieee === ieee);
  fixture.coordinator.set(ieee, 1, 'genOnOff', { onOff: false });
  await seen;
  t.equal(store.devices.get(ieee)?.available, true, 'the monitor marked it available');
  t.same(back, [ieee], 'and said it came back, once');
  t.equal(fixture.log.lines.filter((l) => l.msg === 'device available again').length, 1, 'logged once');
});
