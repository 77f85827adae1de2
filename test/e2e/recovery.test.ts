// What the daemon does with a database it cannot trust or cannot write, with the daemon as a
// real process: a corrupt file is moved aside (kept) and the device table rebuilt from what
// zigbee-herdsman knows, without re-pairing; the two device tables are reconciled at start;
// an unwritable or full data dir ends the start with an error naming the path, never a hang.
import t, { type Test } from 'tap';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DaemonProcess } from '../../scripts/lib/daemon-process.js';
import { startVirtualCoordinator } from '../../scripts/virtual-coordinator/coordinator.js';
import { readDbSnapshot } from './db-snapshot.js';
import { overwrite, sha256, SQLITE_PAGE } from './file-damage.js';
import { countCommissioning } from './radio-watch.js';
import { mountSmallDisk, startExpectingFailure } from './start-failure.js';
import { daemonConfig, joinDevices, startStack, GATEWAY, type Stack } from './stack.js';

const GHOST = '0x00158d0000dead01';

// The two cases below have their own data dirs, sticks and daemons, and mostly wait on daemon
// starts: they run side by side (tap buffers each one's output).
t.jobs = 2;

t.test('corrupt database at start, and reconciliation with the coordinator', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.stop());
  const commissioning = countCommissioning(stack.coordinator);
  const ieees = await joinDevices(stack, ['aqara-weather', 'aqara-door', 'ikea-bulb']);
  const weather = ieees.get('aqara-weather')!;
  const door = ieees.get('aqara-door')!;
  const dataDir = path.join(stack.dir, 'data');
  const dbFile = path.join(dataDir, 'hub.db');
  const devicesBefore = deviceRows(stack);
  t.equal(devicesBefore.length, 3, 'three devices before any damage');
  let temperature = 2000;

  const corruptAndRestart = async (t: Test, damage: () => void, variant: string) => {
    // Names and rooms live only in our database: the backup taken at the clean stop carries them over.
    const name = `Front door (${variant})`;
    t.ok((await stack.cloud.sendCommand(GATEWAY, { kind: 'rename_device', ieee: door, name }, 60_000)).ok, 'door renamed');
    t.ok((await stack.cloud.sendCommand(GATEWAY, { kind: 'set_room', ieee: door, room: 'Hall' }, 60_000)).ok, 'and put in a room');
    const epochBefore = currentEpoch(stack);
    const lastSeqBefore = Math.max(0, ...stack.cloud.events(GATEWAY).filter((e) => e.epoch === epochBefore).map((e) => e.seq));
    t.equal((await stack.daemon.stop()).code, 0, 'clean stop');
    const asideBefore = corruptCopies(dataDir);
    damage();
    const damagedHash = sha256(dbFile);

    const daemon = await stack.restartDaemon();
    t.equal(daemon.lines.find((l) => l.msg === 'zigbee network started')?.result, 'resumed', 'herdsman resumed the same network');
    t.equal(commissioning.count, 0, 'the network was not formed again (no bdbStartCommissioning)');

    const moved = corruptCopies(dataDir).filter((name) => !asideBefore.includes(name));
    t.equal(moved.length, 1, `the ${variant} file was moved aside: ${moved.join(', ')}`);
    const movedTo = path.join(dataDir, moved[0] ?? 'nothing-was-moved');
    t.equal(fs.existsSync(movedTo) && sha256(movedTo), damagedHash, 'moved, not deleted or rewritten: same bytes');
    t.ok(asideBefore.every((name) => fs.existsSync(path.join(dataDir, name))), 'earlier moved-aside files are still there');
    const warning = daemon.lines.find((l) => l.level === 'warn' && /corrupt/.test(l.msg));
    t.ok(warning, 'a warning says the database was corrupt and rebuilt');
    t.equal(warning?.movedTo, movedTo, 'and where the damaged file went');

    const resync = await stack.waitForCloud((e) => e.event.kind === 'resync_requested' && e.epoch !== epochBefore);
    t.match(resync.event, { kind: 'resync_requested', reason: /rebuilt/ }, 'the cloud is asked to resync');
    t.equal(resync.epoch, currentEpoch(stack), 'in the new database\'s outbox epoch');
    t.ok(resync.seq > lastSeqBefore, `new seqs (${resync.seq}) start above the old ones (${lastSeqBefore}): never reused`);
    // And sends the snapshot it owes the platform from then on, by itself.
    const started = await stack.waitForCloud((e) => e.event.kind === 'snapshot_started' && e.epoch === resync.epoch && e.seq > resync.seq);
    t.match(started.event, { reason: /^owed: resync_requested: local database rebuilt/, devices: devicesBefore.length }, 'a snapshot follows by itself');
    const snapshotId = started.event.kind === 'snapshot_started' ? started.event.snapshotId : '';
    const ended = await stack.waitForCloud((e) => e.event.kind === 'snapshot_ended' && e.event.snapshotId === snapshotId);
    t.equal(ended.seq, started.seq + devicesBefore.length + 1, 'every device between its start and its end');

    // The rebuild was written before resync_requested, and the cloud only gets committed events.
    t.same(deviceRows(stack), devicesBefore, 'the device table was rebuilt from herdsman: same devices, models, interview');
    t.same(stack.query('SELECT name, room FROM devices WHERE ieee = ?', door), [{ name, room: 'Hall' }], 'name and room restored from the backup');
    const restored = daemon.lines.find((l) => l.msg === 'store: devices, names, rooms and state restored from a backup');
    t.match(restored, { from: new RegExp(`${path.join(dataDir, 'backups')}/hub\\.db\\..*\\.bak$`), devices: 3 }, 'the daemon says which backup');
    t.equal(readDbSnapshot(dbFile).integrity, 'ok', 'the new database passes integrity_check');

    temperature += 13;
    stack.coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: temperature });
    await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === weather && e.event.state.temperature === temperature / 100);
    t.same(
      stack.query<{ value: string }>(`SELECT value FROM device_state WHERE ieee = ? AND key = 'temperature'`, weather).map((r) => JSON.parse(r.value)),
      [temperature / 100],
      'reports flow again: stored and at the cloud',
    );
  };

  await t.test('garbage over the header: moved aside, rebuilt, resync requested', (t) =>
    corruptAndRestart(t, () => overwrite(dbFile, 0, SQLITE_PAGE, 'header'), 'header-damaged'),
  );

  await t.test('garbage over the pages after the header: moved aside, rebuilt, resync requested', (t) =>
    corruptAndRestart(
      t,
      () => {
        const size = fs.statSync(dbFile).size;
        t.ok(size > 2 * SQLITE_PAGE, `the database spans several pages (${size} bytes)`);
        overwrite(dbFile, SQLITE_PAGE, size - SQLITE_PAGE, 'pages');
      },
      'page-damaged',
    ),
  );

  await t.test('a device herdsman knows and we do not is imported; one only we know is flagged, kept', async (t) => {
    t.equal((await stack.daemon.stop()).code, 0, 'clean stop');
    // Written while the daemon is down: our table loses the door sensor and gains a device the
    // coordinator has never heard of.
    const db = new Database(dbFile);
    try {
      db.pragma('foreign_keys = ON');
      t.equal(db.prepare('DELETE FROM devices WHERE ieee = ?').run(door).changes, 1, 'door sensor row deleted');
      db.prepare(
        `INSERT INTO devices (ieee, nwk, type, supported, endpoints, interview, name, joined_at, available)
         VALUES (?, 4660, 'EndDevice', 1, '[]', 'successful', 'Ghost sensor', ?, 1)`,
      ).run(GHOST, Date.now());
    } finally {
      db.close();
    }
    const epoch = currentEpoch(stack);
    const lastSeq = Math.max(0, ...stack.cloud.events(GATEWAY).filter((e) => e.epoch === epoch).map((e) => e.seq));

    const daemon = await stack.restartDaemon();
    t.equal(daemon.lines.find((l) => l.msg === 'zigbee network started')?.result, 'resumed', 'same network');
    t.equal(commissioning.count, 0, 'nothing re-paired, no commissioning');
    // The cloud only gets committed events: once it has these, the rows are in the file.
    await stack.waitForCloud((e) => e.seq > lastSeq && e.event.kind === 'device_joined' && e.event.ieee === door);
    await stack.waitForCloud((e) => e.seq > lastSeq && e.event.kind === 'availability_changed' && e.event.ieee === GHOST && !e.event.available);

    const imported = daemon.lines.find((l) => l.msg === 'devices imported from the coordinator database');
    t.same(imported?.devices, [door], 'the door sensor was imported from herdsman');
    const doorRow = deviceRows(stack).find((d) => d.ieee === door);
    t.same(doorRow, devicesBefore.find((d) => d.ieee === door), 'with its model and interview state');

    const flagged = daemon.lines.find((l) => l.level === 'warn' && Array.isArray(l.devices) && l.devices.includes(GHOST));
    t.ok(flagged, 'a warning names the device the coordinator does not know');
    t.same(
      stack.query('SELECT ieee, name, available FROM devices WHERE ieee = ?', GHOST),
      [{ ieee: GHOST, name: 'Ghost sensor', available: 0 }],
      'it stays in the table, flagged unavailable',
    );

    t.equal((await stack.daemon.stop()).code, 0, 'clean stop');
    const again = await stack.restartDaemon();
    t.same(stack.query('SELECT ieee, available FROM devices WHERE ieee = ?', GHOST), [{ ieee: GHOST, available: 0 }], 'still kept after another restart');
    t.ok(again.lines.some((l) => l.level === 'warn' && Array.isArray(l.devices) && l.devices.includes(GHOST)), 'and still reported');
    t.notOk(again.lines.some((l) => l.msg === 'devices imported from the coordinator database'), 'nothing left to import');
  });
});

t.test('a data dir that cannot be written ends the start with an error naming the path', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zigbee-hubd-e2e-'));
  const coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: path.join(dir, 'stick.json') });
  t.teardown(async () => {
    await coordinator.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  // Closed port: the cloud is not what these starts are about.
  const config = (dataDir: string) => ({ ...daemonConfig(coordinator.port, 9), data_dir: dataDir });

  await t.test('its parent is a regular file (root ignores permissions, not this)', async (t) => {
    fs.writeFileSync(path.join(dir, 'not-a-dir'), 'a file where a folder should be\n');
    const outcome = await startExpectingFailure(dir, config('./not-a-dir/data'));
    t.equal(outcome.code, 1, 'exit code 1');
    t.match(outcome.error, path.join(dir, 'not-a-dir', 'data'), `the error names the path: ${outcome.error}`);
  });

  await t.test('the database path is a directory', async (t) => {
    const dataDir = path.join(dir, 'blocked');
    fs.mkdirSync(path.join(dataDir, 'hub.db'), { recursive: true });
    const outcome = await startExpectingFailure(dir, config(dataDir));
    t.equal(outcome.code, 1, 'exit code 1');
    t.match(outcome.error, path.join(dataDir, 'hub.db'), `the error names the database: ${outcome.error}`);
    t.same(fs.readdirSync(dataDir).filter((n) => n.includes('corrupt')), [], 'not mistaken for corruption: nothing moved aside');
    t.ok(fs.statSync(path.join(dataDir, 'hub.db')).isDirectory(), 'and nothing removed');
  });

  const disk = mountSmallDisk(path.join(dir, 'disk'), 8 * 1024);
  const skip = disk ? false : 'mounting a tmpfs is not allowed here (needs CAP_SYS_ADMIN)';
  await t.test('the disk is full, at first start and at a restart', { skip }, async (t) => {
    if (!disk) return;
    t.teardown(() => disk.unmount());
    const dataDir = path.join(dir, 'disk', 'data');

    disk.fill();
    const fresh = await startExpectingFailure(dir, config(dataDir));
    t.equal(fresh.code, 1, 'first start on a full disk: exit code 1');
    t.match(fresh.error, dataDir, `the error names the file it could not write: ${fresh.error}`);

    disk.free();
    await startThenStop(t, dir, config(dataDir), 'with space again, the same data dir starts');
    const dbHash = sha256(path.join(dataDir, 'hub.db'));

    disk.fill();
    const restart = await startExpectingFailure(dir, config(dataDir));
    t.equal(restart.code, 1, 'restart on a full disk: exit code 1');
    t.match(restart.error, path.join(dataDir, 'hub.db'), `the error names the database: ${restart.error}`);
    t.match(restart.error, /the disk is full/, 'and says the disk is full, not only "disk I/O error"');
    t.same(fs.readdirSync(dataDir).filter((n) => n.includes('corrupt')), [], 'a full disk is not mistaken for corruption');
    t.equal(sha256(path.join(dataDir, 'hub.db')), dbHash, 'the database file is untouched');

    disk.free();
    const resumed = await startThenStop(t, dir, config(dataDir), 'and once there is space it starts again');
    t.equal(resumed.find((l) => l.msg === 'zigbee network started')?.result, 'resumed', 'on the same network');
  });
});

async function startThenStop(t: Test, dir: string, config: Record<string, unknown>, what: string) {
  const daemon = DaemonProcess.start({ dir, config });
  await daemon.ready();
  t.equal((await daemon.stop()).code, 0, what);
  return daemon.lines;
}

function deviceRows(stack: Stack) {
  return stack.query<{ ieee: string; model: string; vendor: string; interview: string }>(
    'SELECT ieee, model, vendor, interview FROM devices ORDER BY ieee',
  );
}

function corruptCopies(dataDir: string): string[] {
  return fs.readdirSync(dataDir).filter((name) => /^hub\.db\.corrupt-[^-]*-\d+Z(-\d+)?$/.test(name));
}

function currentEpoch(stack: Stack): string {
  return stack.cloud.connectedGateways().find((g) => g.gatewayId === GATEWAY)?.outboxEpoch ?? '';
}
