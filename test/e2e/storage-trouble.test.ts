// The daemon on a data dir that fills up while it runs (a real small tmpfs): it keeps running,
// says so once (log and health, to the cloud too once it can), refuses commands with a reason,
// announces the reports it lost with a gap event when space returns, and stops as documented.
// And a data dir that is read-only at start: a message that says so.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';

import { startVirtualCoordinator } from '../../scripts/virtual-coordinator/coordinator.js';
import { daemonConfig, GATEWAY, joinDevices, startStack } from './stack.js';
import { mountSmallDisk, startExpectingFailure } from './start-failure.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zigbee-hubd-storage-'));
t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
const disk = mountSmallDisk(path.join(root, 'disk'), 32 * 1024);
const skip = disk ? false : 'mounting a tmpfs is not allowed here (needs CAP_SYS_ADMIN)';
if (disk) t.teardown(() => disk.unmount());

t.test('the disk fills up while reports arrive, then space returns', { skip }, async (t) => {
  if (!disk) return;
  const dataDir = path.join(root, 'disk', 'data');
  const stack = await startStack({ config: { data_dir: dataDir, store: { commit_interval_ms: 5 } } });
  t.teardown(() => stack.stop());
  const weather = (await joinDevices(stack, ['aqara-weather'])).get('aqara-weather')!;
  let centi = 2000;
  const report = () => stack.coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: ++centi });
  report();
  await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.state.temperature === centi / 100);

  disk.fill();
  const trouble = stack.daemon.waitForLog((l) => /store: cannot commit/.test(l.msg));
  for (let i = 0; i < 5; i++) report();
  const line = await trouble;
  t.match(line.msg, /disk holding .*hub\.db is full/, `the log says what is wrong: ${line.msg}`);
  await stack.daemon.waitForLog((l) => l.msg === 'health changed' && l.component === 'store' && l.status === 'bad');
  const command = stack.cloud.sendCommand(GATEWAY, { kind: 'rename_device', ieee: weather, name: 'Kitchen' }, 120_000);
  // More reports and commits while full: still one line.
  for (let i = 0; i < 40; i++) {
    report();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  t.equal(stack.daemon.lines.filter((l) => /cannot commit|commit failed/.test(l.msg) && l.level !== 'debug').length, 1, 'one line per episode');

  disk.free();
  const result = await command;
  // Refused by the executor, or (once the started record must be durable first) because that
  // record could not be committed: either way "not run", saying the disk is full.
  t.match(result, { ok: false, error: /^not run: .*full/ }, `the command got an error result: ${result.error}`);
  const gap = await stack.waitForCloud((e) => e.event.kind === 'gap' && /storage/.test(e.event.reason), 60_000);
  t.ok(gap.event.kind === 'gap' && gap.event.dropped > 0, `the gap counts the lost reports: ${JSON.stringify(gap.event)}`);
  await stack.waitForCloud((e) => e.event.kind === 'health_changed' && e.event.component === 'store' && e.event.status === 'bad');
  await stack.waitForCloud((e) => e.event.kind === 'health_changed' && e.event.component === 'store' && e.event.status === 'ok');
  report();
  await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.state.temperature === centi / 100);
  t.pass('reports flow again');
  const check = new Database(path.join(dataDir, 'hub.db'), { readonly: true, fileMustExist: true });
  t.equal(check.pragma('integrity_check', { simple: true }), 'ok', 'the database is intact');
  check.close();

  disk.fill();
  const again = stack.daemon.waitForLog((l) => /store: cannot commit/.test(l.msg));
  report();
  await again;
  const exit = await stack.daemon.stop();
  t.equal(exit.code, 1, 'stopping while writes are lost exits 1 (documented)');
  const failed = stack.daemon.lines.find((l) => l.msg === 'stop failed');
  t.match(JSON.stringify(failed?.err), /could not be stored/, 'saying what could not be stored');
  t.ok(stack.daemon.lines.some((l) => l.msg === 'store: closed'), 'the database was closed all the same');
  disk.free();
});

t.test('a read-only data dir at start: the message says read-only', { skip }, async (t) => {
  if (!disk) return;
  const coordinator = await startVirtualCoordinator({ port: 0 });
  t.teardown(() => coordinator.stop());
  const mount = path.join(root, 'ro');
  fs.mkdirSync(mount);
  t.equal(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1024k', 'tmpfs', mount]).status, 0);
  t.teardown(() => spawnSync('umount', ['-l', mount]));
  fs.mkdirSync(path.join(mount, 'data'));
  t.equal(spawnSync('mount', ['-o', 'remount,ro', mount]).status, 0, 'remounted read-only');
  for (const dataDir of [path.join(mount, 'data'), path.join(mount, 'data', 'missing')]) {
    const outcome = await startExpectingFailure(root, { ...daemonConfig(coordinator.port, 9), cloud: { enabled: false }, data_dir: dataDir });
    t.equal(outcome.code, 1, 'exit code 1');
    t.match(outcome.error, /read-only/, `the error says read-only: ${outcome.error}`);
    t.notMatch(outcome.error, /ENOENT/, 'not a misleading "no such file"');
  }
});
