import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { HubEvent } from '../../daemon/domain/events.js';
import { NameTakenError, openStore, type Store, StoreError, UnknownDeviceError } from '../../daemon/store/index.js';
import { committedEvents, device, FakeClock, rawOpen, recordingLog } from './helpers.js';

function setup(t: Test) {
  const path = join(t.testdir({}), 'hub.db');
  const clock = new FakeClock();
  const store = openStore({ path, clock, log: recordingLog() });
  t.teardown(() => store.close());
  return { path, clock, store };
}

/** Events committed after `afterSeq`, as another process reading the file sees them. */
async function newEvents(store: Store, path: string, afterSeq: number): Promise<HubEvent[]> {
  await store.flush();
  return committedEvents(path)
    .filter((e) => e.seq > afterSeq)
    .map((e) => e.event);
}

/** The last durable seq, after committing what is queued. */
async function lastSeq(store: Store): Promise<number> {
  await store.flush();
  return store.outbox.stats().lastSeq;
}

t.test('a new device: row with defaults, device_joined and device_interview committed with it', async (t) => {
  const { path, clock, store } = setup(t);
  const desc = device(1);
  t.same(store.devices.upsert(desc), { joined: true, interviewChanged: true });

  // Before the group commit another reader sees neither the row nor the events ...
  const reader = rawOpen(path);
  t.equal((reader.prepare('SELECT count(*) AS n FROM devices').get() as { n: number }).n, 0);
  t.equal((reader.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n, 0);
  // ... and after it, both.
  await store.flush();
  t.equal((reader.prepare('SELECT count(*) AS n FROM devices').get() as { n: number }).n, 1);
  reader.close();

  t.same(await newEvents(store, path, 0), [
    { kind: 'device_joined', ieee: desc.ieee, nwk: desc.nwk },
    { kind: 'device_interview', ieee: desc.ieee, status: 'successful', device: desc },
  ]);
  const rec = store.devices.get(desc.ieee)!;
  t.match(rec, { ...desc, name: desc.ieee, joinedAt: clock.now(), available: true });
  t.notOk('room' in rec || 'leftAt' in rec || 'lastSeen' in rec);
  t.same(store.devices.list().map((d) => d.ieee), [desc.ieee]);

  const before = await lastSeq(store);
  t.same(store.devices.upsert(desc), { joined: false, interviewChanged: false }, 'same description again');
  t.same(await newEvents(store, path, before), [], 'no event for an unchanged device');
});

t.test('interview progress: pending join, then in_progress, then successful', async (t) => {
  const { path, store } = setup(t);
  const pending = device(2, { interview: 'pending', model: undefined, vendor: undefined, supported: false, endpoints: [] });
  store.devices.upsert(pending);
  store.devices.upsert({ ...pending, interview: 'in_progress' });
  store.devices.upsert(device(2, { nwk: 0x2222 }));
  const events = await newEvents(store, path, 0);
  t.same(
    events.map((e) => (e.kind === 'device_interview' ? `interview:${e.status}` : e.kind)),
    ['device_joined', 'interview:in_progress', 'interview:successful'],
  );
  t.match(store.devices.get(pending.ieee), { nwk: 0x2222, model: 'WSDCGQ11LM', supported: true });
});

t.test('upsert with a whole DeviceRecord (as a caller may pass back) puts only description fields in the event', async (t) => {
  const { path, store } = setup(t);
  store.devices.upsert(device(3, { interview: 'in_progress' }));
  store.devices.rename(device(3).ieee, 'Desk');
  const start = await lastSeq(store);
  const record = store.devices.get(device(3).ieee)!;
  store.devices.upsert({ ...record, interview: 'successful' });
  t.same(await newEvents(store, path, start), [
    { kind: 'device_interview', ieee: record.ieee, status: 'successful', device: device(3) },
  ]);
});

t.test('rename: unique (ASCII case-insensitive), clear error on a clash, event on change', async (t) => {
  const { path, store } = setup(t);
  const a = device(1).ieee;
  const b = device(2).ieee;
  store.devices.upsert(device(1));
  store.devices.upsert(device(2));
  store.devices.setRoom(a, 'Kitchen');
  const start = await lastSeq(store);
  store.devices.rename(a, '  Kitchen sensor ');
  t.equal(store.devices.get(a)!.name, 'Kitchen sensor', 'trimmed');
  t.equal(store.devices.getByName('kitchen SENSOR')!.ieee, a, 'found by name whatever the case');

  const clash = catchError(() => store.devices.rename(b, 'kitchen sensor'));
  t.ok(clash instanceof NameTakenError, 'NameTakenError');
  t.match(clash?.message, /"kitchen sensor".*0x00158d0000000001/, 'names the name and its holder');
  t.throws(() => store.devices.rename(b, ''), StoreError);
  t.throws(() => store.devices.rename(b, a), /looks like another device's ieee/);
  t.throws(() => store.devices.rename('0x00158d00000000ff', 'x'), UnknownDeviceError);
  t.equal(store.devices.get(b)!.name, b, 'failed renames changed nothing');
  store.devices.rename(a, 'Kitchen sensor'); // same name: no event
  store.devices.rename(a, 'KITCHEN sensor'); // case-only change of its own name is allowed

  t.same(await newEvents(store, path, start), [
    { kind: 'device_renamed', ieee: a, name: 'Kitchen sensor', room: 'Kitchen' },
    { kind: 'device_renamed', ieee: a, name: 'KITCHEN sensor', room: 'Kitchen' },
  ]);
});

t.test('setRoom sets and clears the room, each with an event', async (t) => {
  const { path, store } = setup(t);
  const a = device(1).ieee;
  store.devices.upsert(device(1));
  const start = await lastSeq(store);
  store.devices.setRoom(a, 'Living room');
  store.devices.setRoom(a, 'Living room');
  store.devices.setRoom(a, null);
  t.same(await newEvents(store, path, start), [
    { kind: 'device_renamed', ieee: a, name: a, room: 'Living room' },
    { kind: 'device_renamed', ieee: a, name: a },
  ]);
  t.notOk('room' in store.devices.get(a)!);
});

t.test('a device that leaves keeps name and room and gets them back when it joins again', async (t) => {
  const { path, clock, store } = setup(t);
  const a = device(1).ieee;
  store.devices.upsert(device(1));
  store.devices.rename(a, 'Hall motion');
  store.devices.setRoom(a, 'Hall');
  const start = await lastSeq(store);
  await clock.advance(1000);
  t.equal(store.devices.markLeft(a), true);
  t.equal(store.devices.markLeft(a), false, 'already left');
  t.match(store.devices.get(a), { leftAt: clock.now(), available: false, name: 'Hall motion' });

  t.same(store.devices.upsert(device(1, { interview: 'pending' })), { joined: true, interviewChanged: false });
  const rec = store.devices.get(a)!;
  t.match(rec, { name: 'Hall motion', room: 'Hall', available: true });
  t.notOk('leftAt' in rec);
  t.same(await newEvents(store, path, start), [
    { kind: 'device_left', ieee: a },
    { kind: 'device_joined', ieee: a, nwk: device(1).nwk },
  ]);
});

t.test('remove deletes the device and its state, with device_removed', async (t) => {
  const { path, store } = setup(t);
  const a = device(1).ieee;
  store.devices.upsert(device(1));
  store.devices.rename(a, 'Gone soon');
  store.state.apply(a, { temperature: 20 });
  const start = await lastSeq(store);
  t.equal(store.devices.remove(a), true);
  t.equal(store.devices.remove(a), false);
  t.equal(store.devices.get(a), undefined);
  t.equal(store.state.get(a), undefined);
  t.same(await newEvents(store, path, start), [{ kind: 'device_removed', ieee: a }]);
  const db = rawOpen(path);
  t.equal((db.prepare('SELECT count(*) AS n FROM device_state').get() as { n: number }).n, 0, 'state rows deleted');
  db.close();
  // The name is free again, and the same ieee pairs as a new device.
  store.devices.upsert(device(2));
  store.devices.rename(device(2).ieee, 'Gone soon');
  t.same(store.devices.upsert(device(1)), { joined: true, interviewChanged: true });
});

t.test('availability changes produce events only on change; markSeen is silent', async (t) => {
  const { path, clock, store } = setup(t);
  const a = device(1).ieee;
  store.devices.upsert(device(1));
  const start = await lastSeq(store);
  t.equal(store.devices.setAvailability(a, true), false, 'already available');
  t.equal(store.devices.setAvailability(a, false), true);
  t.equal(store.devices.setAvailability(a, false), false);
  store.devices.markSeen(a, { linkquality: 87 });
  store.devices.markSeen(a, { at: clock.now() - 5000 }); // an older frame processed late
  t.match(store.devices.get(a), { available: false, lastSeen: clock.now(), linkquality: 87 });
  t.same(await newEvents(store, path, start), [{ kind: 'availability_changed', ieee: a, available: false }]);
});

t.test('has: known devices, also after they left, not after removal', async (t) => {
  const { store } = setup(t);
  const a = device(1).ieee;
  t.equal(store.devices.has(a), false);
  store.devices.upsert(device(1));
  t.equal(store.devices.has(a), true, 'visible before the commit, like get()');
  store.devices.markLeft(a);
  t.equal(store.devices.has(a), true, 'a device that left keeps its row');
  store.devices.remove(a);
  t.equal(store.devices.has(a), false);
  t.throws(() => store.devices.setAvailability(a, false), UnknownDeviceError);
});

t.test('invalid ieee is refused', async (t) => {
  const { store } = setup(t);
  t.throws(() => store.devices.upsert(device(1, { ieee: '0x00158D0001234567' })), { code: 'invalid_argument' });
});

t.test('devices survive a reopen with every field', async (t) => {
  const { path, store } = setup(t);
  store.devices.upsert(device(1));
  store.devices.rename(device(1).ieee, 'Bedroom climate');
  store.devices.setRoom(device(1).ieee, 'Bedroom');
  const before = store.devices.list();
  await store.close();
  const again = openStore({ path, log: recordingLog() });
  t.same(again.devices.list(), before);
  await again.close();
});

function catchError(fn: () => unknown): Error | undefined {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  return undefined;
}

t.test('quarantine: listed with reason and stage, device_quarantined in the same commit, kept across a reopen, cleared without an event', async (t) => {
  const { path, clock, store } = setup(t);
  const desc = device(1);
  store.devices.upsert(desc);
  const before = await lastSeq(store);
  t.equal(store.devices.quarantine(desc.ieee, 'manufacturerName is not text', 'message'), true);
  t.equal(store.devices.quarantine(desc.ieee, 'manufacturerName is not text', 'message'), false, 'the same quarantine again changes nothing');
  t.same(await newEvents(store, path, before), [{ kind: 'device_quarantined', ieee: desc.ieee, reason: 'manufacturerName is not text', stage: 'message' }]);
  t.same(store.devices.list()[0]!.quarantine, { reason: 'manufacturerName is not text', stage: 'message', at: clock.now() });
  // An upsert from the zigbee edge (e.g. a rejoin) leaves the quarantine alone.
  store.devices.upsert({ ...desc, nwk: 0x9999 });
  t.match(store.devices.get(desc.ieee), { quarantine: { stage: 'message' } });
  await store.close();

  const reopened = openStore({ path, clock, log: recordingLog() });
  t.teardown(() => reopened.close());
  t.match(reopened.devices.get(desc.ieee), { quarantine: { reason: 'manufacturerName is not text', stage: 'message' } });
  const beforeRelease = await lastSeq(reopened);
  t.equal(reopened.devices.releaseQuarantine(desc.ieee), true);
  t.equal(reopened.devices.releaseQuarantine(desc.ieee), false);
  t.notOk('quarantine' in reopened.devices.get(desc.ieee)!);
  t.same(await newEvents(reopened, path, beforeRelease), [], 'a release has no event of its own');
  t.throws(() => reopened.devices.quarantine('0x00000000000000ff', 'x', 'message'), UnknownDeviceError);
});
