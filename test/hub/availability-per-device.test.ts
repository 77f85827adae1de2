// Per-device availability (the `availability` and `availability_timeout_seconds` device options):
// the monitor on the real store (SQLite in a temp dir) with a fake clock and a scripted pinger,
// and the options set through the command executor, checked there with a reason.
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { AvailabilityMonitor } from '../../daemon/hub/availability.js';
import { HubCommandExecutor } from '../../daemon/hub/command-executor.js';
import { openStore } from '../../daemon/store/index.js';
import type { ZigbeeNetwork } from '../../daemon/zigbee/index.js';
import { device, FakeClock, recordingLog } from '../store/helpers.js';

const MAINS_MS = 600_000;
const BATTERY_MS = 90_000_000;
const INTERVAL_MS = 10_000;

function setup(t: Test) {
  const clock = new FakeClock();
  const store = openStore({ path: join(t.testdir({}), 'hub.db'), clock, log: recordingLog() });
  const pings: string[] = [];
  // Nothing answers: every device that is pinged and due is marked unavailable.
  const pinger = { ping: async (ieee: string) => (pings.push(ieee), false) };
  const checked: Array<{ ieee: string; options: Record<string, unknown> }> = [];
  const network = {
    checkOptions: async (ieee: string, options: Record<string, unknown>) => void checked.push({ ieee, options }),
  } as unknown as ZigbeeNetwork;
  const monitor = new AvailabilityMonitor({
    store, network: pinger, clock, log: recordingLog(), mainsTimeoutMs: MAINS_MS, batteryTimeoutMs: BATTERY_MS, checkIntervalMs: INTERVAL_MS,
  });
  t.teardown(async () => {
    monitor.stop();
    await store.close();
  });
  const plug = device(1, { type: 'Router', powerSource: 'Mains (single phase)', model: 'ZNCZ02LM' });
  const bulb = device(2, { type: 'Router', powerSource: 'Mains (single phase)', model: 'LED1545G12' });
  const sensor = device(3); // battery
  for (const d of [plug, bulb, sensor]) store.devices.upsert(d);
  return { clock, store, pings, checked, monitor, executor: new HubCommandExecutor(network, store), plug: plug.ieee, bulb: bulb.ieee, sensor: sensor.ieee };
}

t.test('availability off: never pinged, never marked; a timeout of its own: sooner than the configured one', async (t) => {
  const { clock, store, pings, monitor, executor, plug, bulb, sensor } = setup(t);
  t.match(await executor.execute({ kind: 'set_options', id: 'c1', ieee: bulb, options: { availability: false } }), { ok: true, state: { availability: false } });
  t.match(await executor.execute({ kind: 'set_options', id: 'c2', ieee: plug, options: { availability_timeout_seconds: 30 } }), { ok: true });
  t.match(await executor.execute({ kind: 'set_options', id: 'c3', ieee: sensor, options: { availability_timeout_seconds: 3600 } }), { ok: true });
  monitor.start();

  await clock.advance(40_000);
  t.same(pings, [plug, plug], 'the plug is pinged after its own 30 s, not the configured 10 min');
  t.equal(store.devices.get(plug)!.available, false);

  await clock.advance(3_600_000);
  t.equal(store.devices.get(sensor)!.available, false, 'the sensor is unavailable after its own hour, not the configured 25 h');
  await clock.advance(MAINS_MS * 10);
  t.notOk(pings.includes(bulb), 'the bulb with availability off is never pinged');
  t.equal(store.devices.get(bulb)!.available, true, 'nor marked unavailable');

  // Back to the configured behaviour: the option removed (null).
  t.match(await executor.execute({ kind: 'set_options', id: 'c4', ieee: bulb, options: { availability: null } }), { ok: true, state: {} });
  await clock.advance(INTERVAL_MS);
  t.ok(pings.includes(bulb), 'pinged once its option is gone');
  t.equal(store.devices.get(bulb)!.available, false);
});

t.test('bad availability options are refused with the option named; the converters see only theirs', async (t) => {
  const { store, checked, executor, plug } = setup(t);
  t.same(await executor.execute({ kind: 'set_options', id: 'c1', ieee: plug, options: { availability: 'no' } }), {
    ok: false, error: `ZNCZ02LM: option 'availability' must be true or false, got "no"`, failure: 'invalid',
  });
  for (const bad of [0, 1.5, -3, '60', 8 * 24 * 3600]) {
    t.match(await executor.execute({ kind: 'set_options', id: 'c2', ieee: plug, options: { availability_timeout_seconds: bad } }), {
      ok: false, error: /option 'availability_timeout_seconds' must be a whole number of seconds from 1 to 604800/, failure: 'invalid',
    }, `refused: ${JSON.stringify(bad)}`);
  }
  t.same(store.deviceOptions.get(plug), {}, 'nothing stored');
  t.same(checked, [], 'the converters were not asked about the hub\'s options');

  t.match(await executor.execute({ kind: 'set_options', id: 'c3', ieee: plug, options: { availability_timeout_seconds: 120, power_calibration: 2 } }), { ok: true });
  t.same(checked, [{ ieee: plug, options: { power_calibration: 2 } }], 'the rest checked against the definition as before');
  t.same(store.deviceOptions.get(plug), { availability_timeout_seconds: 120, power_calibration: 2 });
});
