// The availability monitor on the real store (SQLite in a temp dir) with a fake clock and a
// small scripted pinger in place of the radio.
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { HubEvent } from '../../daemon/domain/events.js';
import { AvailabilityMonitor, type AvailabilityMonitorOptions } from '../../daemon/hub/availability.js';
import { assess, powerClassOf, retryDelayMs } from '../../daemon/hub/availability-policy.js';
import { openStore, type Store } from '../../daemon/store/index.js';
import { device, FakeClock, recordingLog } from '../store/helpers.js';

const MAINS_MS = 600_000;
const BATTERY_MS = 90_000_000;
const INTERVAL_MS = 60_000;

/** Answers pings as scripted: true, false, or throws; records every ping. */
class ScriptedPinger {
  readonly pings: string[] = [];
  /** Whether each ping asked for route discovery (herdsman's recovery). */
  readonly recovery: boolean[] = [];
  answers = new Map<string, boolean | 'throw'>();
  /** Runs while the ping is out (before it resolves). */
  during?: (ieee: string) => void;
  /** When set, pings wait for it and answer what it resolves to. */
  gate?: Promise<boolean>;

  async ping(ieee: string, options: { recovery?: boolean } = {}): Promise<boolean> {
    this.pings.push(ieee);
    this.recovery.push(options.recovery === true);
    this.during?.(ieee);
    if (this.gate) return this.gate;
    const answer = this.answers.get(ieee) ?? true;
    if (answer === 'throw') throw new Error(`no device ${ieee} in the network`);
    return answer;
  }
}

function setup(t: Test, over: Partial<AvailabilityMonitorOptions> = {}) {
  const clock = new FakeClock();
  const store = openStore({ path: join(t.testdir({}), 'hub.db'), clock, log: recordingLog() });
  const pinger = new ScriptedPinger();
  const log = recordingLog();
  const createMonitor = () =>
    new AvailabilityMonitor({
      store,
      network: pinger,
      clock,
      log,
      mainsTimeoutMs: MAINS_MS,
      batteryTimeoutMs: BATTERY_MS,
      checkIntervalMs: INTERVAL_MS,
      ...over,
    });
  const monitor = createMonitor();
  t.teardown(async () => {
    monitor.stop();
    await store.close();
  });
  const bulb = device(1, { type: 'Router', powerSource: 'Mains (single phase)', model: 'LED1545G12' });
  const sensor = device(2); // Battery end device
  store.devices.upsert(bulb);
  store.devices.upsert(sensor);
  return { clock, store, pinger, log, monitor, createMonitor, bulb: bulb.ieee, sensor: sensor.ieee };
}

/** Events committed from now on, read through the outbox as the cloud link reads them. */
async function eventsAfter(store: Store, mark: number): Promise<HubEvent[]> {
  await store.flush();
  return store.outbox.readAfter(mark, 1000).map((e) => e.event);
}

async function mark(store: Store): Promise<number> {
  await store.flush();
  return store.outbox.stats().lastSeq;
}

const availabilityEvents = (events: HubEvent[]) => events.filter((e) => e.kind === 'availability_changed');

t.test('a silent mains device is pinged; no answer: unavailable, one event', async (t) => {
  const { clock, store, pinger, monitor, bulb, sensor } = setup(t);
  pinger.answers.set(bulb, false);
  const before = await mark(store);
  monitor.start();

  await clock.advance(MAINS_MS);
  t.same(pinger.pings, [], 'not pinged while within the timeout');
  t.equal(store.devices.get(bulb)!.available, true);

  await clock.advance(INTERVAL_MS);
  t.same(pinger.pings, [bulb, bulb], 'pinged (twice: one lost frame is no outage), the battery sensor never');
  t.equal(store.devices.get(bulb)!.available, false);
  t.equal(store.devices.get(sensor)!.available, true);
  t.same(availabilityEvents(await eventsAfter(store, before)), [{ kind: 'availability_changed', ieee: bulb, available: false }]);
});

t.test('an answered ping counts as seen: still available, no event', async (t) => {
  const { clock, store, pinger, monitor, bulb } = setup(t);
  const before = await mark(store);
  monitor.start();
  await clock.advance(MAINS_MS + INTERVAL_MS);
  t.same(pinger.pings, [bulb], 'one ping is enough when it is answered');
  t.equal(store.devices.get(bulb)!.available, true);
  t.equal(store.devices.get(bulb)!.lastSeen, clock.now(), 'last seen moved to the answer');
  t.same(availabilityEvents(await eventsAfter(store, before)), []);

  await clock.advance(INTERVAL_MS);
  t.same(pinger.pings, [bulb], 'not pinged again until silent for another timeout');
});

t.test('a battery device is unavailable after its timeout, without a ping', async (t) => {
  const { clock, store, pinger, monitor, bulb, sensor } = setup(t);
  store.devices.markSeen(bulb); // keep the bulb out of the way: it answers pings
  const before = await mark(store);
  monitor.start();
  await clock.advance(BATTERY_MS);
  t.equal(store.devices.get(sensor)!.available, true, 'still available at exactly the timeout');
  await clock.advance(INTERVAL_MS);
  t.equal(store.devices.get(sensor)!.available, false);
  t.notOk(pinger.pings.includes(sensor), 'never pinged');
  t.same(availabilityEvents(await eventsAfter(store, before)), [{ kind: 'availability_changed', ieee: sensor, available: false }]);

  await clock.advance(10 * INTERVAL_MS);
  t.same(availabilityEvents(await eventsAfter(store, before)).length, 1, 'no repeated event');
});

t.test('a device heard again is available again and is not marked unavailable by the next sweep', async (t) => {
  const { clock, store, pinger, monitor, bulb } = setup(t);
  pinger.answers.set(bulb, false);
  monitor.start();
  await clock.advance(MAINS_MS + INTERVAL_MS);
  t.equal(store.devices.get(bulb)!.available, false);
  const before = await mark(store);

  // What device-sync does on the zigbee edge's `seen` event.
  store.devices.markSeen(bulb, { at: clock.now() });
  store.devices.setAvailability(bulb, true);
  const pingsBefore = pinger.pings.length;
  await clock.advance(MAINS_MS - INTERVAL_MS);
  t.equal(pinger.pings.length, pingsBefore, 'the earlier failures are forgotten: no ping within the timeout');
  t.equal(store.devices.get(bulb)!.available, true);
  t.same(availabilityEvents(await eventsAfter(store, before)), [{ kind: 'availability_changed', ieee: bulb, available: true }]);
});

t.test('a device that keeps not answering is retried with backoff and reported once', async (t) => {
  const { clock, store, pinger, monitor, bulb } = setup(t, { pingAttempts: 1 });
  pinger.answers.set(bulb, false);
  const before = await mark(store);
  monitor.start();
  await clock.advance(MAINS_MS + INTERVAL_MS); // first failure
  t.equal(pinger.pings.length, 1);
  await clock.advance(MAINS_MS); // retry after 1 timeout
  t.equal(pinger.pings.length, 2);
  await clock.advance(MAINS_MS); // next after 2 timeouts: not yet
  t.equal(pinger.pings.length, 2);
  await clock.advance(MAINS_MS + INTERVAL_MS);
  t.equal(pinger.pings.length, 3);
  t.same(availabilityEvents(await eventsAfter(store, before)).length, 1, 'one event for the whole outage');

  pinger.answers.set(bulb, true);
  await clock.advance(4 * MAINS_MS + INTERVAL_MS);
  t.equal(store.devices.get(bulb)!.available, true, 'a later answered retry brings it back');
  t.same(availabilityEvents(await eventsAfter(store, before)).map((e) => e.kind === 'availability_changed' && e.available), [false, true]);
});

t.test('devices that left are ignored', async (t) => {
  const { clock, store, pinger, monitor, bulb, sensor } = setup(t);
  store.devices.markLeft(bulb);
  store.devices.markLeft(sensor);
  const before = await mark(store);
  monitor.start();
  await clock.advance(BATTERY_MS + 2 * INTERVAL_MS);
  t.same(pinger.pings, []);
  t.same(availabilityEvents(await eventsAfter(store, before)), []);
});

t.test('at start a device silent longer than its timeout is checked at once, not after an interval', async (t) => {
  const { clock, store, pinger, createMonitor, bulb, sensor } = setup(t);
  pinger.answers.set(bulb, false);
  await clock.advance(BATTERY_MS + 1); // the daemon was off for longer than both timeouts
  const monitor = createMonitor();
  t.teardown(() => monitor.stop());
  monitor.start();
  await clock.advance(0);
  t.same(pinger.pings, [bulb, bulb]);
  t.equal(store.devices.get(bulb)!.available, false);
  t.equal(store.devices.get(sensor)!.available, false);
});

t.test('a device never seen is timed from its join', async (t) => {
  const { clock, store, pinger, monitor } = setup(t);
  await clock.advance(BATTERY_MS);
  const plug = device(3, { type: 'Router', powerSource: 'Mains (single phase)' });
  store.devices.upsert(plug);
  monitor.start();
  await clock.advance(MAINS_MS);
  t.notOk(pinger.pings.includes(plug.ieee), 'joined within the timeout: not pinged');
  await clock.advance(INTERVAL_MS);
  t.ok(pinger.pings.includes(plug.ieee), 'silent since its join for longer than the timeout: pinged');
});

t.test('a frame heard while the ping was out counts, even if the ping got no answer', async (t) => {
  const { clock, store, pinger, monitor, bulb } = setup(t);
  store.devices.markSeen(bulb);
  await clock.advance(MAINS_MS + 1);
  pinger.answers.set(bulb, false);
  pinger.during = (ieee) => store.devices.markSeen(ieee, { at: clock.now() });
  const summary = await monitor.check();
  t.same(summary, { pinged: [bulb], answered: [bulb], markedUnavailable: [] });
  t.equal(store.devices.get(bulb)!.available, true);
});

t.test('a ping that cannot be sent gives no verdict', async (t) => {
  const { clock, store, pinger, monitor, bulb } = setup(t);
  await clock.advance(MAINS_MS + 1);
  pinger.answers.set(bulb, 'throw');
  const summary = await monitor.check();
  t.same(summary.pinged, []);
  t.equal(store.devices.get(bulb)!.available, true);
});

t.test('stop() while a ping is out: its result is not written', async (t) => {
  const { clock, store, pinger, monitor, bulb } = setup(t);
  await clock.advance(MAINS_MS + 1);
  let answer!: (ok: boolean) => void;
  pinger.gate = new Promise<boolean>((resolve) => (answer = resolve));
  const pingIsOut = new Promise<void>((resolve) => (pinger.during = () => resolve()));
  monitor.start();
  const sweep = monitor.check();
  await pingIsOut;
  monitor.stop();
  answer(false);
  t.same((await sweep).markedUnavailable, []);
  t.equal(store.devices.get(bulb)!.available, true);
  t.same(pinger.pings, [bulb], 'no second attempt after stop');
  t.equal(clock.pendingTimers(), 0, 'no sweep scheduled after stop');
});

t.test('power classes from what herdsman reports', async (t) => {
  const cases: Array<[string, string | undefined, 'mains' | 'battery']> = [
    ['Router', 'Mains (single phase)', 'mains'],
    ['EndDevice', 'Mains (single phase)', 'mains'],
    ['EndDevice', 'Mains (3 phase)', 'mains'],
    ['EndDevice', 'DC Source', 'mains'],
    ['EndDevice', 'Emergency mains constantly powered', 'mains'],
    ['EndDevice', 'Battery', 'battery'],
    ['Router', 'Battery', 'battery'],
    ['Router', 'Unknown', 'mains'],
    ['Router', undefined, 'mains'],
    ['EndDevice', 'Unknown', 'battery'],
    ['EndDevice', undefined, 'battery'],
    ['Unknown', undefined, 'battery'],
  ];
  for (const [type, powerSource, expected] of cases) {
    t.equal(powerClassOf({ type: type as 'Router', ...(powerSource !== undefined ? { powerSource } : {}) }), expected, `${type} / ${powerSource}`);
  }
  t.same([1, 2, 3, 4, 5, 9].map((n) => retryDelayMs(10, n)), [10, 20, 40, 80, 120, 120], 'backoff 1, 2, 4, 8, then 12 timeouts');
  const bulb = { type: 'Router' as const, powerSource: 'Mains (single phase)', joinedAt: 0, lastSeen: 0, available: true };
  const timeouts = { mainsTimeoutMs: 100, batteryTimeoutMs: 1000 };
  t.equal(assess(bulb, 100, timeouts, undefined), 'ok', 'exactly the timeout is not yet silent');
  t.equal(assess(bulb, 101, timeouts, undefined), 'ping');
  t.equal(assess({ ...bulb, leftAt: 5 }, 10_000, timeouts, undefined), 'ok', 'left');
  t.equal(assess(bulb, 150, timeouts, { failures: 1, lastAttemptAt: 101 }), 'ok', 'failed recently: wait');
  t.equal(assess(bulb, 201, timeouts, { failures: 1, lastAttemptAt: 101 }), 'ping');
  t.equal(assess({ ...bulb, lastSeen: 120 }, 221, timeouts, { failures: 3, lastAttemptAt: 101 }), 'ping', 'heard after the failures: they are forgotten');
});

t.test('route discovery only on the retry of a device still counted available (as Zigbee2MQTT)', async (t) => {
  const { clock, store, pinger, monitor, bulb } = setup(t);
  pinger.answers.set(bulb, false);
  monitor.start();
  await clock.advance(MAINS_MS + INTERVAL_MS);
  t.same(pinger.recovery, [false, true], 'available: a plain ping, then one with route discovery');
  t.equal(store.devices.get(bulb)!.available, false);

  pinger.recovery.length = 0;
  await clock.advance(MAINS_MS * 2 + INTERVAL_MS);
  t.ok(pinger.recovery.length > 0, 'pinged again');
  t.notOk(pinger.recovery.includes(true), 'an unavailable device is never pinged with route discovery');
});

t.test('a device heard again after being unavailable: available, and onBack once', async (t) => {
  const back: string[] = [];
  const { store, monitor, bulb } = setup(t, { onBack: (ieee) => back.push(ieee) });
  store.devices.setAvailability(bulb, false);
  monitor.heard(bulb);
  monitor.heard(bulb);
  t.equal(store.devices.get(bulb)!.available, true);
  t.same(back, [bulb], 'only the change from unavailable counts');
});
