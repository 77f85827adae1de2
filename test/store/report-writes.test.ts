// What a radio report costs the store (issue 13, "fewer writes per report"). Per frame the hub
// asks whether the device is known, records it as seen (time, link quality), tells
// availability it was heard, and applies the converted state (hub/device-sync.ts,
// hub/availability.ts). Only a state change may cost a write; last-seen is kept in memory and
// written in batches, so a power cut loses at most seenFlushMs of it.
import { join } from 'node:path';
import t from 'tap';
import { openStore } from '../../daemon/store/index.js';
import { device, rawOpen, recordingLog } from './helpers.js';

const DEVICES = 20;
const REPORTS = 400;

function oneReport(store: ReturnType<typeof openStore>, n: number, at: number): void {
  const ieee = device((n % DEVICES) + 1).ieee;
  if (!store.devices.has(ieee)) throw new Error('device unknown');
  store.devices.markSeen(ieee, { at, linkquality: 100 + (n % 50) });
  store.devices.setAvailability(ieee, true);
  store.state.apply(ieee, { temperature: 20 + n / 100 });
}

t.test('a report that changes state is one write; seen, availability and existence cost none', async (t) => {
  const path = join(t.testdir({}), 'hub.db');
  const store = openStore({ path, log: recordingLog(), seenFlushMs: 60_000 });
  t.teardown(() => store.close());
  for (let n = 1; n <= DEVICES; n++) store.devices.upsert(device(n));
  await store.flush();
  const before = store.commitStats().committedWrites;
  const at = Date.now();
  for (let n = 0; n < REPORTS; n++) oneReport(store, n, at + n);
  await store.flush();
  // Before: three writes per report (last-seen UPDATE, an availability no-op, the state change).
  t.equal(store.commitStats().committedWrites - before, REPORTS, 'one write per state change');
  const last = device(((REPORTS - 1) % DEVICES) + 1).ieee;
  t.match(store.devices.get(last), { lastSeen: at + REPORTS - 1, linkquality: 100 + ((REPORTS - 1) % 50) }, 'the hub sees the last frame at once');
  t.equal(store.devices.list().find((d) => d.ieee === last)?.lastSeen, at + REPORTS - 1, 'in the list too (availability sweeps read it)');
});

t.test('last-seen reaches the disk in a batch, and at close', async (t) => {
  const path = join(t.testdir({}), 'hub.db');
  const store = openStore({ path, log: recordingLog(), seenFlushMs: 200 });
  store.devices.upsert(device(1));
  await store.flush();
  const at = Date.now();
  store.devices.markSeen(device(1).ieee, { at, linkquality: 77 });
  const stored = () => {
    const db = rawOpen(path);
    try {
      return db.prepare('SELECT last_seen, linkquality FROM devices').get() as { last_seen: number | null; linkquality: number | null };
    } finally {
      db.close();
    }
  };
  t.same(stored(), { last_seen: null, linkquality: null }, 'not written per frame');
  // The batch: within seenFlushMs plus the lazy commit (1 s); generous on a busy machine.
  const deadline = Date.now() + 20_000;
  while (stored().last_seen === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  t.same(stored(), { last_seen: at, linkquality: 77 }, 'written by the periodic flush');
  store.devices.markSeen(device(1).ieee, { at: at + 1000 });
  await store.close();
  t.same(stored(), { last_seen: at + 1000, linkquality: 77 }, 'written at close');
});

t.test('a removed device is unknown at once; one that left is still known, unavailable', async (t) => {
  const store = openStore({ path: join(t.testdir({}), 'hub.db'), log: recordingLog() });
  t.teardown(() => store.close());
  store.devices.upsert(device(1));
  store.devices.upsert(device(2));
  store.devices.markLeft(device(1).ieee);
  t.ok(store.devices.has(device(1).ieee));
  t.equal(store.devices.setAvailability(device(1).ieee, false), false, 'left means unavailable already');
  t.equal(store.devices.setAvailability(device(1).ieee, true), true);
  store.devices.upsert(device(1)); // joins again
  t.equal(store.devices.get(device(1).ieee)?.available, true);
  store.devices.remove(device(2).ieee);
  t.notOk(store.devices.has(device(2).ieee));
  t.throws(() => store.devices.setAvailability(device(2).ieee, true), { name: 'UnknownDeviceError' });
  store.devices.markSeen(device(2).ieee); // a late frame of a removed device: ignored
  await store.flush();
});
