// Snapshots: every device as consecutive outbox events between a start and an end, and owed
// (durably) after anything that left the platform's copy stale.
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { openStore } from '../../daemon/store/index.js';
import { committedEvents, device, recordingLog } from './helpers.js';

function setup(t: Test, over: Parameters<typeof openStore>[0]['outboxBounds'] = {}) {
  const path = join(t.testdir({}), 'hub.db');
  const store = openStore({ path, log: recordingLog(), outboxBounds: over });
  t.teardown(() => store.close());
  return { path, store };
}

t.test('a snapshot is every device with name, room, availability, quarantine and full state, bracketed', async (t) => {
  const { path, store } = setup(t);
  for (const n of [3, 1, 2]) store.devices.upsert(device(n));
  store.devices.rename(device(1).ieee, 'Kitchen sensor');
  store.devices.setRoom(device(1).ieee, 'Kitchen');
  store.devices.setAvailability(device(2).ieee, false);
  store.devices.quarantine(device(3).ieee, 'bad frames', 'message');
  store.state.apply(device(1).ieee, { temperature: 21.5, humidity: 40 });
  store.state.apply(device(1).ieee, { humidity: 41 });

  const info = store.snapshots.queue('requested by command c1');
  t.equal(info.devices, 3);
  await store.flush();
  const events = committedEvents(path);
  const start = events.findIndex((e) => e.event.kind === 'snapshot_started');
  const run = events.slice(start);
  t.same(run.map((e) => e.seq), run.map((_, i) => events[start]!.seq + i), 'consecutive seqs, nothing in between');
  t.same(run.map((e) => e.event.kind), ['snapshot_started', 'snapshot_device', 'snapshot_device', 'snapshot_device', 'snapshot_ended']);
  t.match(run[0]!.event, { kind: 'snapshot_started', snapshotId: info.snapshotId, devices: 3, reason: 'requested by command c1' });
  const devices = run.slice(1, 4).map((e) => (e.event.kind === 'snapshot_device' ? e.event.device : undefined));
  t.same(devices.map((d) => d?.description.ieee), [device(1).ieee, device(2).ieee, device(3).ieee], 'ordered by ieee');
  t.match(devices[0], { name: 'Kitchen sensor', room: 'Kitchen', available: true, left: false, state: { temperature: 21.5, humidity: 41 } });
  t.match(devices[1], { available: false });
  t.match(devices[2], { quarantine: { reason: 'bad frames', stage: 'message' } });
  t.match(run[4]!.event, { kind: 'snapshot_ended', snapshotId: info.snapshotId, devices: 3 });
});

t.test('a gap or a resync request makes a snapshot owed, across a reopen, until one is queued', async (t) => {
  const { path, store } = setup(t);
  store.devices.upsert(device(1));
  t.equal(store.snapshots.owed(), undefined);
  t.equal(store.snapshots.queueOwed(), undefined, 'nothing owed: nothing queued');
  store.events.append({ kind: 'resync_requested', reason: 'local database rebuilt: test' });
  await store.close();

  const again = openStore({ path, log: recordingLog() });
  t.teardown(() => again.close());
  t.equal(again.snapshots.owed(), 'resync_requested: local database rebuilt: test', 'durable');
  const queued = again.snapshots.queueOwed();
  t.equal(queued?.devices, 1);
  t.equal(again.snapshots.owed(), undefined, 'cleared by the snapshot');
  await again.flush();
  t.match(committedEvents(path).find((e) => e.event.kind === 'snapshot_started')?.event, { reason: 'owed: resync_requested: local database rebuilt: test' });
});

t.test('telemetry shed over the outbox bounds makes a snapshot owed', async (t) => {
  const { store } = setup(t, { maxEvents: 10, shedToFraction: 0.5 });
  store.devices.upsert(device(1));
  for (let i = 0; i < 30; i++) {
    store.state.apply(device(1).ieee, { temperature: i });
    await store.flush();
  }
  t.match(store.snapshots.owed(), /^gap: /);
});

t.test('a snapshot carries every group with its members and state, after the devices, counted at both ends', async (t) => {
  const { path, store } = setup(t);
  store.devices.upsert(device(1));
  store.groups.create(7, 'Kitchen');
  store.groups.create(3, 'Hall');
  store.groups.addMember(3, device(1).ieee, 2);
  store.groupState.apply(3, { state: 'ON', brightness: 120 });
  await store.flush();

  const info = store.snapshots.queue('requested by command c2');
  t.same({ devices: info.devices, groups: info.groups }, { devices: 1, groups: 2 });
  await store.flush();
  const events = committedEvents(path);
  const start = events.findIndex((e) => e.event.kind === 'snapshot_started');
  const run = events.slice(start).map((e) => e.event);
  t.same(run.map((e) => e.kind), ['snapshot_started', 'snapshot_device', 'group_changed', 'group_changed', 'snapshot_ended']);
  t.match(run[0], { devices: 1, groups: 2 });
  t.same(run[2], { kind: 'group_changed', groupId: 3, name: 'Hall', members: [{ ieee: device(1).ieee, endpoint: 2 }], deleted: false, snapshotId: info.snapshotId, state: { state: 'ON', brightness: 120 } });
  t.same(run[3], { kind: 'group_changed', groupId: 7, name: 'Kitchen', members: [], deleted: false, snapshotId: info.snapshotId, state: {} }, 'by id, a group without state too');
  t.match(run[4], { kind: 'snapshot_ended', snapshotId: info.snapshotId, devices: 1, groups: 2 });
});
