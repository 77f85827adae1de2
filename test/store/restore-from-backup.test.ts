import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { openStore } from '../../daemon/store/index.js';
import { device, FakeClock, recordingLog } from './helpers.js';

const overwrite = (path: string, offset: number, text: string) => {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.from(text.repeat(64)), 0, undefined, offset);
  } finally {
    closeSync(fd);
  }
};

/** A closed store with three devices (two named, one in a room), state, and a backup. */
async function withBackup(t: Test) {
  const dir = t.testdir({});
  const path = join(dir, 'hub.db');
  const backupDir = join(dir, 'backups');
  const clock = new FakeClock(Date.UTC(2026, 4, 1, 3, 0, 0));
  const store = openStore({ path, clock, log: recordingLog(), backup: { dir: backupDir, keep: 3, onClose: false } });
  for (let n = 1; n <= 3; n++) store.devices.upsert(device(n));
  store.devices.rename(device(1).ieee, 'Kitchen sensor');
  store.devices.setRoom(device(1).ieee, 'Kitchen');
  store.devices.rename(device(2).ieee, 'Front door');
  store.state.apply(device(1).ieee, { temperature: 21.5, humidity: 40 });
  store.deviceOptions.set(device(1).ieee, { temperature_calibration: -1.5 });
  store.groups.create(4, 'Downstairs');
  store.groups.addMember(4, device(2).ieee, 1);
  store.groupState.apply(4, { state: 'ON', brightness: 80 });
  store.scenes.put({ target: { groupId: 4 }, sceneId: 1, name: 'Evening', state: { [device(2).ieee]: { state: 'ON' } } });
  store.scenes.put({ target: { ieee: device(2).ieee, endpoint: 1 }, sceneId: 0, name: 'Dim', state: {} });
  const backup = await store.backupNow();
  const lastSeq = store.outbox.stats().lastSeq;
  const epoch = store.outbox.epoch();
  await store.close();
  return { path, backupDir, backup, lastSeq, epoch, clock };
}

const reopen = (t: Test, path: string, backupDir: string, clock: FakeClock) => {
  const log = recordingLog();
  const store = openStore({ path, clock, log, backup: { dir: backupDir, keep: 3, onClose: false } });
  t.teardown(() => store.close());
  return { store, log };
};

t.test('corrupt at open: names, rooms and state come back from the newest backup; not its outbox', async (t) => {
  const { path, backupDir, backup, lastSeq, epoch, clock } = await withBackup(t);
  overwrite(path, 0, 'corrupt!');
  const { store, log } = reopen(t, path, backupDir, clock);

  t.ok(store.recovered, 'recovered reported');
  t.match(store.recovered, { restoredFrom: backup, restoredDevices: 3, restoredStates: 2 });
  t.match(store.devices.get(device(1).ieee), { name: 'Kitchen sensor', room: 'Kitchen' });
  t.match(store.devices.get(device(2).ieee), { name: 'Front door' });
  t.equal(store.devices.get(device(2).ieee)?.room, undefined);
  t.equal(store.devices.list().length, 3);
  t.same(store.state.get(device(1).ieee), { temperature: 21.5, humidity: 40 });
  t.same(store.deviceOptions.get(device(1).ieee), { temperature_calibration: -1.5 }, 'device options too');
  t.same(store.groups.list(), [{ id: 4, name: 'Downstairs', members: [{ ieee: device(2).ieee, endpoint: 1 }] }], 'and groups');
  t.same(store.groupState.get(4), { state: 'ON', brightness: 80 }, 'with their state');
  t.same(store.scenes.list().map((scene) => scene.name).sort(), ['Dim', 'Evening'], 'and scenes');
  t.ok(log.entries.some((e) => e.level === 'warn' && e.fields?.from === backup), 'the store logs the backup used');

  t.equal(store.outbox.stats().events, 0, 'the old outbox is not restored, and restoring queued no events');
  t.not(store.outbox.epoch(), epoch, 'a new epoch');
  store.devices.rename(device(3).ieee, 'Hall');
  await store.flush();
  const [renamed] = store.outbox.readAfter(0, 10);
  t.ok(renamed!.seq > lastSeq && renamed!.seq > clock.now() * 1000, `new seq ${renamed!.seq} above the floor`);
  t.throws(() => store.devices.rename(device(3).ieee, 'kitchen SENSOR'), 'restored names keep their uniqueness');
});

t.test('the newest backup is damaged: the next one is used', async (t) => {
  const { path, backupDir, backup, clock } = await withBackup(t);
  await clock.advance(60_000);
  const second = openStore({ path, clock, log: recordingLog(), backup: { dir: backupDir, keep: 3, onClose: false } });
  second.devices.rename(device(1).ieee, 'Renamed later');
  const newest = await second.backupNow();
  await second.close();
  t.not(newest, backup);
  overwrite(newest, 4096, 'garbage!');
  overwrite(path, 0, 'corrupt!');

  const { store } = reopen(t, path, backupDir, clock);
  t.equal(store.recovered?.restoredFrom, backup, 'the older, intact backup');
  t.equal(store.devices.get(device(1).ieee)?.name, 'Kitchen sensor');
});

t.test('no usable backup: a fresh, empty database as before', async (t) => {
  await t.test('only a corrupt backup', async (t) => {
    const { path, backupDir, backup, clock } = await withBackup(t);
    writeFileSync(backup, 'not a database at all, just text '.repeat(200));
    overwrite(path, 0, 'corrupt!');
    const { store } = reopen(t, path, backupDir, clock);
    t.ok(store.recovered);
    t.equal(store.recovered?.restoredFrom, undefined);
    t.equal(store.devices.list().length, 0);
  });
  await t.test('no backup dir configured', async (t) => {
    const { path, clock } = await withBackup(t);
    overwrite(path, 0, 'corrupt!');
    const store = openStore({ path, clock, log: recordingLog() });
    t.teardown(() => store.close());
    t.ok(store.recovered);
    t.equal(store.recovered?.restoredFrom, undefined);
    t.equal(store.devices.list().length, 0);
  });
  await t.test('an empty backup dir', async (t) => {
    const dir = t.testdir({ 'hub.db': 'SQLite format 3\0' });
    const { store } = reopen(t, join(dir, 'hub.db'), join(dir, 'backups'), new FakeClock());
    t.ok(store.recovered);
    t.equal(store.recovered?.restoredFrom, undefined);
    t.equal(store.devices.list().length, 0);
  });
});
