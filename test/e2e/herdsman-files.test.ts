// zigbee-herdsman's files after a power cut: a 0-byte, torn or garbage coordinator_backup.json
// and a torn database.db are set aside at start (never deleted), replaced by the newest good copy
// (or left to the stick when there is none), and the hub starts with its devices working and
// nothing re-paired, with 'herdsman_files' health degraded at the cloud. The files hold the
// network key: they and their copies are 0600 although the daemon runs under umask 022.
import t, { type Test } from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { garbage } from './file-damage.js';
import { GATEWAY, joinDevices, startStack } from './stack.js';

const previousUmask = process.umask(0o022); // the daemon child inherits it
t.teardown(() => process.umask(previousUmask));

t.test('damaged herdsman files at start', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.stop());
  const ieees = await joinDevices(stack, ['aqara-weather', 'ikea-bulb']);
  const weather = ieees.get('aqara-weather')!;
  const bulb = ieees.get('ikea-bulb')!;
  const herdsmanDir = path.join(stack.dir, 'data', 'herdsman');
  const backupFile = path.join(herdsmanDir, 'coordinator_backup.json');
  const databaseFile = path.join(herdsmanDir, 'database.db');
  const copiesDir = path.join(herdsmanDir, 'good-copies');
  let temperature = 2000;

  /** Stops the daemon, damages a file, starts it again and checks the hub works as before. */
  async function restartWith(t: Test, file: string, damage: () => void, options: { restored: boolean }) {
    await stack.daemon.stop(); // (already stopped after the first case: resolves with its exit)
    damage();
    const damaged = fs.readFileSync(file);
    const seqBefore = stack.cloud.events(GATEWAY).at(-1)?.seq ?? 0;
    await stack.restartDaemon();
    const warned = stack.daemon.lines.find((l) => l.level === 'warn' && l.msg === `herdsman ${path.basename(file)} was damaged and set aside`);
    t.ok(warned, 'a warning names the damaged file');
    const movedTo = String(warned?.movedTo ?? '');
    t.match(movedTo, new RegExp(`${path.basename(file)}\\.corrupt-\\d{8}T\\d{6}-\\d{3}Z$`), 'moved aside under a timestamped name');
    t.ok(fs.existsSync(movedTo) && fs.readFileSync(movedTo).equals(damaged), 'the damaged file is kept as it was');
    t.equal(warned?.restoredFrom !== undefined, options.restored, options.restored ? 'replaced by a good copy' : 'no good copy to restore');
    const health = await stack.waitForCloud((e) => e.seq > seqBefore && e.event.kind === 'health_changed' && e.event.component === 'herdsman_files');
    t.equal(health.event.kind === 'health_changed' && health.event.status, 'degraded', 'the cloud hears herdsman_files degraded');

    temperature += 10;
    stack.coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: temperature });
    await stack.waitForCloud((e) => e.seq > seqBefore && e.event.kind === 'state_changed' && e.event.ieee === weather && e.event.state.temperature === temperature / 100);
    const command = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_state', ieee: bulb, state: { state: temperature % 20 === 0 ? 'ON' : 'OFF' } }, 30_000);
    t.ok(command.ok, `the bulb answers commands (${command.error ?? ''})`);
    const repaired = stack.cloud.events(GATEWAY).filter((e) => e.seq > seqBefore && (e.event.kind === 'device_joined' || e.event.kind === 'device_interview'));
    t.same(repaired, [], 'nothing was re-paired or re-interviewed');
    t.same(stack.query<{ ieee: string }>('SELECT ieee FROM devices ORDER BY ieee').map((r) => r.ieee), [...ieees.values()].sort(), 'no device lost');
  }

  await t.test('good copies are kept after a clean stop', async (t) => {
    await stack.daemon.stop();
    const copies = fs.readdirSync(copiesDir);
    t.ok(copies.some((c) => /^coordinator_backup\.\d{8}T\d{6}-\d{3}Z\.json$/.test(c)), `a copy of the coordinator backup (${copies.join(', ')})`);
    t.ok(copies.some((c) => /^database\.\d{8}T\d{6}-\d{3}Z\.db$/.test(c)), 'a copy of the database');
    // Left stopped: the next case damages a file and starts it (a start here would only be stopped again).
  });

  await t.test('a 0-byte coordinator backup', (t) => restartWith(t, backupFile, () => fs.truncateSync(backupFile, 0), { restored: true }));

  await t.test('a torn coordinator backup', (t) =>
    restartWith(t, backupFile, () => fs.truncateSync(backupFile, Math.floor(fs.statSync(backupFile).size / 2)), { restored: true }),
  );

  await t.test('a garbage coordinator backup and no good copy: the stick knows the network', async (t) => {
    await restartWith(
      t,
      backupFile,
      () => {
        fs.rmSync(copiesDir, { recursive: true, force: true });
        fs.writeFileSync(backupFile, garbage(700, 'backup'));
      },
      { restored: false },
    );
    t.doesNotThrow(() => JSON.parse(fs.readFileSync(backupFile, 'utf8')), 'herdsman wrote a new backup from the stick');
  });

  await t.test('a torn herdsman database', (t) =>
    restartWith(
      t,
      databaseFile,
      () => {
        // Cut in the middle of the bulb's entry: herdsman would drop the bulb (and what follows).
        const text = fs.readFileSync(databaseFile, 'utf8');
        const start = text.split('\n').findIndex((line) => line.includes(bulb));
        const offset = text.split('\n').slice(0, start).join('\n').length + 1 + 40;
        fs.truncateSync(databaseFile, offset);
      },
      { restored: true },
    ),
  );

  await t.test('the files holding the network key are owner-only under umask 022', async (t) => {
    await stack.daemon.stop(); // herdsman writes both files at stop, and we take copies
    const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);
    t.equal(mode(herdsmanDir), '700', 'herdsman folder');
    t.equal(mode(backupFile), '600', 'coordinator_backup.json');
    t.equal(mode(databaseFile), '600', 'database.db');
    const copies = fs.readdirSync(copiesDir);
    t.ok(copies.length >= 2);
    for (const copy of copies) t.equal(mode(path.join(copiesDir, copy)), '600', copy);
    for (const aside of fs.readdirSync(herdsmanDir).filter((f) => f.includes('.corrupt-'))) t.equal(mode(path.join(herdsmanDir, aside)), '600', aside);
  });
});

