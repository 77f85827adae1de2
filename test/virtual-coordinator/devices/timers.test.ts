// The device clock: real timers drive spontaneous reports until stop(); set() refuses values
// the attribute cannot carry.

import t from 'tap';
import { catalogueDevice } from '../../../scripts/virtual-coordinator/devices/catalogue.js';
import type { ZclFrame } from '../../../scripts/virtual-coordinator/devices/definition.js';
import { SimulatedDevice } from '../../../scripts/virtual-coordinator/devices/simulated-device.js';
import { systemTimers, TimerGroup, type DeviceTimers } from '../../../scripts/virtual-coordinator/devices/timers.js';
import { ManualClock, parse } from './helpers.js';

t.test('with real timers, spontaneous reports repeat until stop()', async (t) => {
  const definition = catalogueDevice('aqara-door');
  definition.reports = [{ endpoint: 1, cluster: 0x0006, attributes: [0], intervalMs: 5 }];
  // Real timers, counted, so the test can see that stop() leaves none armed.
  const real = systemTimers();
  const live = new Set<number>();
  const timers: DeviceTimers = {
    now: real.now,
    setTimeout: (callback, ms) => {
      const handle = real.setTimeout(() => {
        live.delete(handle.id);
        callback();
      }, ms);
      live.add(handle.id);
      return handle;
    },
    clearTimeout: (handle) => {
      live.delete(handle.id);
      real.clearTimeout(handle);
    },
  };
  const frames: ZclFrame[] = [];
  let enough!: () => void;
  const gotThree = new Promise<void>((resolve) => (enough = resolve));
  const dev = new SimulatedDevice(definition, {
    send: (frame) => {
      frames.push(frame);
      if (frames.length === 3) enough();
    },
  }, { timers });
  // Device timers are unref'd (a forgotten device must not hold a process open): keep the
  // loop alive while we wait, and fail rather than hang if reports never come.
  const guard = setTimeout(() => t.fail('no reports within 10 s'), 10_000);
  t.teardown(() => clearTimeout(guard));
  dev.start();
  t.equal(live.size, 1, 'the spontaneous report timer is armed');
  await gotThree;
  dev.stop();
  t.equal(live.size, 0, 'stop() cleared every real timer');
  t.ok(frames.every((f) => parse(f).command === 'report' && f.clusterId === 6));
  t.same(frames.slice(0, 3).map((f) => parse(f).tsn), [1, 2, 3]);
});

t.test('TimerGroup: every() repeats, cancel() and cancelAll() stop it', async (t) => {
  const clock = new ManualClock();
  const group = new TimerGroup(clock);
  const ticks: number[] = [];
  const handle = group.every(100, () => ticks.push(clock.now()));
  group.after(250, () => ticks.push(-1));
  clock.advance(350);
  t.same(ticks, [100, 200, -1, 300]);
  group.cancel(handle);
  clock.advance(1000);
  t.same(ticks, [100, 200, -1, 300]);
  group.every(10, () => ticks.push(0));
  group.cancelAll();
  t.equal(clock.pendingTimers, 0);
});

t.test('set() rejects values the attribute type cannot carry, with the attribute named', async (t) => {
  const dev = new SimulatedDevice(catalogueDevice('aqara-weather'), { send: () => undefined }, { timers: new ManualClock() });
  t.throws(() => dev.set(1, 0x0402, { 0: 40000 }), { message: 'attribute 0x0 of cluster 0x402 on endpoint 1: 40000 does not fit int16' });
  t.throws(() => dev.set(1, 0x0402, { 0x9999: 1 }), { message: /attribute 0x9999 of cluster 0x402 on endpoint 1 is unknown; give its type/ });
  t.throws(() => dev.set(7, 0x0402, { 0: 1 }), { message: 'aqara-weather has no endpoint 7' });
  t.equal(dev.get(1, 0x0402, 0), 2150, 'value unchanged');
});
