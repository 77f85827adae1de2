import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { openStore } from '../../daemon/store/index.js';
import { device, FakeClock, recordingLog } from './helpers.js';

/** A closed database with enough devices and state to span many pages. */
async function populated(t: Test, devices = 200) {
  const dir = t.testdir({});
  const path = join(dir, 'hub.db');
  const store = openStore({ path, log: recordingLog() });
  for (let n = 1; n <= devices; n++) {
    store.devices.upsert(device(n));
    store.devices.rename(device(n).ieee, `Sensor number ${n} in the long hallway`);
    store.state.apply(device(n).ieee, { temperature: 20 + n / 10, humidity: 40, battery: 97, voltage: 3010 });
  }
  await store.close();
  return { dir, path };
}

/** Deterministic garbage (no Math.random: a failing run must be reproducible). */
function garbage(length: number, seed: string): Buffer {
  const out = Buffer.alloc(length);
  let block = Buffer.from(seed);
  for (let off = 0; off < length; off += 32) {
    block = createHash('sha256').update(block).digest();
    block.copy(out, off);
  }
  return out;
}

function overwrite(path: string, offset: number, bytes: Buffer): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

t.test('garbage over the header: moved aside with its -wal/-shm, fresh database, recovered reported', async (t) => {
  const { dir, path } = await populated(t, 20);
  const before = openStore({ path, log: recordingLog() });
  const oldEpoch = before.outbox.epoch();
  await before.close();
  overwrite(path, 0, garbage(100, 'header'));
  writeFileSync(path + '-wal', garbage(5000, 'wal'));
  writeFileSync(path + '-shm', garbage(32768, 'shm'));
  const hashes = { main: sha(path), wal: sha(path + '-wal') };

  const clock = new FakeClock(Date.UTC(2026, 5, 1, 12, 0, 0));
  const log = recordingLog();
  const store = openStore({ path, clock, log });
  t.teardown(() => store.close());

  t.ok(store.recovered, 'recovered reported');
  const { movedTo, reason } = store.recovered!;
  t.equal(movedTo, `${path}.corrupt-20260601T120000-000Z`);
  t.match(reason, /not a database|file is not/i);
  // -shm is SQLite's rebuildable index of the WAL (the check may refresh it); the data is in the other two.
  t.same({ main: sha(movedTo), wal: sha(movedTo + '-wal') }, hashes, 'database and WAL moved byte for byte');
  t.ok(statSync(movedTo + '-shm').isFile(), '-shm moved with them');
  t.equal(store.devices.list().length, 0, 'a fresh, empty database');
  t.ok(log.entries.some((e) => e.level === 'error' && /corrupt/.test(e.msg)));

  // The daemon rebuilds from herdsman and asks the cloud to resync; seqs start above any old one.
  store.devices.upsert(device(1));
  store.events.append({ kind: 'resync_requested', reason: 'database was corrupt' });
  await store.flush();
  const seqs = store.outbox.readAfter(0, 10).map((e) => e.seq);
  t.ok(seqs[0]! > clock.now() * 1000, `first seq ${seqs[0]} above the time floor`);
  t.not(store.outbox.epoch(), oldEpoch, 'a new outbox epoch');
  t.same(
    readdirSync(dir).filter((n) => n.includes('corrupt')).sort(),
    ['hub.db.corrupt-20260601T120000-000Z', 'hub.db.corrupt-20260601T120000-000Z-shm', 'hub.db.corrupt-20260601T120000-000Z-wal'],
    'nothing deleted',
  );
});

t.test('garbage over middle pages: caught by the integrity check, moved aside', async (t) => {
  const { path } = await populated(t);
  const pageSize = 4096;
  const pages = statSync(path).size / pageSize;
  t.ok(pages > 20, `${pages} pages`);
  const middle = Math.floor(pages / 2);
  overwrite(path, middle * pageSize, garbage(3 * pageSize, 'middle'));
  const corrupted = sha(path);

  const store = openStore({ path, log: recordingLog() });
  t.teardown(() => store.close());
  t.ok(store.recovered, 'recovered reported');
  t.match(store.recovered!.reason, /integrity|malformed|corrupt/i);
  t.equal(sha(store.recovered!.movedTo), corrupted, 'the damaged file kept as it was');
  t.equal(store.devices.list().length, 0);
});

t.test('a truncated (half-written) file is treated as corrupt too', async (t) => {
  const dir = t.testdir({});
  const path = join(dir, 'hub.db');
  writeFileSync(path, Buffer.from('SQLite format 3\0'));
  const store = openStore({ path, log: recordingLog() });
  t.teardown(() => store.close());
  t.ok(store.recovered);
});

t.test('a healthy database is not touched; problems that are not corruption are thrown, nothing moved', async (t) => {
  const { dir, path } = await populated(t, 3);
  const store = openStore({ path, log: recordingLog() });
  t.equal(store.recovered, undefined);
  t.equal(store.devices.list().length, 3);
  await store.close();

  const notAFile = join(dir, 'a-directory.db');
  mkdirSync(notAFile);
  t.throws(() => openStore({ path: notAFile, log: recordingLog() }));
  t.same(readdirSync(dir).filter((n) => n.includes('corrupt')), [], 'nothing moved aside');
});
