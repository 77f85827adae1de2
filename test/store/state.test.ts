import { join } from 'node:path';
import t, { type Test } from 'tap';
import { openStore, UnknownDeviceError } from '../../daemon/store/index.js';
import { committedEvents, device, FakeClock, rawOpen, recordingLog } from './helpers.js';

function setup(t: Test) {
  const path = join(t.testdir({}), 'hub.db');
  const clock = new FakeClock();
  const store = openStore({ path, clock, log: recordingLog() });
  t.teardown(() => store.close());
  store.devices.upsert(device(1));
  return { path, clock, store, ieee: device(1).ieee };
}

const stateEvents = (path: string) => committedEvents(path).filter((e) => e.event.kind === 'state_changed').map((e) => e.event);

t.test('apply stores the state and queues one event with the full state and the changed keys', async (t) => {
  const { path, store, ieee } = setup(t);
  t.same(store.state.apply(ieee, { temperature: 21.5, humidity: 40, battery: 100 }), { changed: ['temperature', 'humidity', 'battery'] });
  t.same(store.state.apply(ieee, { temperature: 21.5, humidity: 41, battery: 100 }), { changed: ['humidity'] });
  t.same(store.state.apply(ieee, { temperature: 21.5, humidity: 41 }), { changed: [] }, 'nothing changed');
  t.same(store.state.get(ieee), { temperature: 21.5, humidity: 41, battery: 100 });
  await store.flush();
  t.same(stateEvents(path), [
    { kind: 'state_changed', ieee, state: { temperature: 21.5, humidity: 40, battery: 100 }, changed: ['temperature', 'humidity', 'battery'] },
    { kind: 'state_changed', ieee, state: { temperature: 21.5, humidity: 41, battery: 100 }, changed: ['humidity'] },
  ]);
});

t.test('values compare by content: nested key order does not matter, undefined is ignored, null is a value', async (t) => {
  const { path, store, ieee } = setup(t);
  store.state.apply(ieee, { color: { x: 0.31, y: 0.33 }, action: null, scenes: [1, 2] });
  t.same(store.state.apply(ieee, { color: { y: 0.33, x: 0.31 }, scenes: [1, 2], extra: undefined }), { changed: [] });
  t.same(store.state.apply(ieee, { action: 'single', scenes: [2, 1] }), { changed: ['action', 'scenes'] });
  t.same(store.state.apply(ieee, { action: null }), { changed: ['action'] });
  t.same(store.state.get(ieee), { color: { x: 0.31, y: 0.33 }, action: null, scenes: [2, 1] });
  await store.flush();
  t.equal(stateEvents(path).length, 3);
});

t.test('state and its event commit together and survive a reopen', async (t) => {
  const { path, store, ieee } = setup(t);
  store.state.apply(ieee, { contact: true });
  const reader = rawOpen(path);
  const rows = () => (reader.prepare('SELECT count(*) AS n FROM device_state').get() as { n: number }).n;
  const events = () => (reader.prepare(`SELECT count(*) AS n FROM outbox WHERE kind = 'state_changed'`).get() as { n: number }).n;
  t.same([rows(), events()], [0, 0], 'neither visible before the group commit');
  await store.flush();
  t.same([rows(), events()], [1, 1], 'both visible after it');
  reader.close();
  await store.close();

  const again = openStore({ path, log: recordingLog() });
  t.same(again.state.get(ieee), { contact: true });
  t.same(again.state.apply(ieee, { contact: true }), { changed: [] }, 'compared against what is on disk after a restart');
  await again.close();
});

t.test('unknown devices: apply throws, get says undefined', async (t) => {
  const { store } = setup(t);
  t.throws(() => store.state.apply('0x00158d00000000ff', { on: true }), UnknownDeviceError);
  t.equal(store.state.get('0x00158d00000000ff'), undefined);
  store.devices.upsert(device(5));
  t.same(store.state.get(device(5).ieee), {}, 'a known device without state has an empty state');
});

t.test('the state kept and sent is what the table holds: NaN as null, -0 as 0, nested values copied', async (t) => {
  const { store, ieee } = setup(t);
  const color = { x: 0.31, y: 0.33 };
  store.state.apply(ieee, { temperature: Number.NaN, offset: -0, label: 'caf\u00e9 \ud800', on: true, color });
  color.x = 0.9; // the caller's object changing afterwards changes nothing kept
  const kept = store.state.get(ieee)!;
  t.same(kept, { temperature: null, offset: 0, label: 'caf\u00e9 \ud800', on: true, color: { x: 0.31, y: 0.33 } });
  t.ok(Object.is(kept.offset, 0), '-0 is kept as 0, as the JSON stored reads back');
  const sent: unknown[] = [];
  const off = store.outbox.onUncommittedAppend((events) => {
    for (const { event } of events) if (event.kind === 'state_changed') sent.push(event.state);
  });
  store.state.apply(ieee, { humidity: 40 });
  off();
  t.same(sent, [store.state.get(ieee)], 'the event carries the kept state');
  t.ok(Object.is((sent[0] as { offset: number }).offset, 0));
  await store.flush();
});
