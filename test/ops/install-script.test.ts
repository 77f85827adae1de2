// scripts/install.sh into a temporary root (--root): files, modes, the kept config, idempotence,
// --uninstall, and the Node version check. Steps on the running system (useradd, chown, udevadm,
// systemctl) are skipped under --root and must say so.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { buildCompiledPackage, REPO_ROOT } from './helpers/compiled-package.js';

const SCRIPT = path.join(REPO_ROOT, 'scripts/install.sh');

function runInstall(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)('bash', [SCRIPT, ...args], { env: { ...process.env, ...env }, timeout: 120_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;

t.test('installs into a temporary root, again idempotently, then uninstalls', async (t) => {
  const pkg = await buildCompiledPackage();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-install-root-'));
  t.teardown(() => {
    fs.rmSync(pkg, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  });

  const first = await runInstall(['--root', root, '--source', pkg, '--skip-npm']);
  t.equal(first.code, 0, first.stderr);
  for (const step of ['useradd --system', 'chown zigbee-hubd:zigbee-hubd', 'udevadm control --reload', 'systemctl daemon-reload', 'systemctl enable zigbee-hubd.service']) {
    t.match(first.stdout, `skipped under --root: ${step}`, `${step} skipped and said so`);
  }
  const app = path.join(root, 'opt/zigbee-hubd');
  for (const file of ['bin/zigbee-hubd.js', 'dist/daemon/cli.js', 'dist/scripts/hubctl.js', 'proto/zigbee_hubd/cloud/v1/cloud.proto', 'sqlite-migrations/0001_init.sql', 'package.json']) {
    t.ok(fs.existsSync(path.join(app, file)), `installed ${file}`);
  }
  t.notOk(fs.existsSync(path.join(app, 'daemon/cli.ts')), 'no TypeScript sources installed');
  t.notOk(fs.lstatSync(path.join(app, 'proto')).isSymbolicLink(), 'proto/ is a real copy');
  const unit = fs.readFileSync(path.join(root, 'etc/systemd/system/zigbee-hubd.service'), 'utf8');
  t.match(unit, 'Type=notify');
  const rule = fs.readFileSync(path.join(root, 'etc/udev/rules.d/99-zigbee-hubd.rules'), 'utf8');
  t.match(rule, /ATTRS\{idVendor\}=="10c4", ATTRS\{idProduct\}=="ea60", ATTRS\{product\}=="Sonoff Zigbee 3.0 USB Dongle Plus", SYMLINK\+="zigbee"/);
  t.equal(mode(path.join(root, 'var/lib/zigbee-hubd')), 0o750, 'data dir 0750');
  const config = path.join(root, 'etc/zigbee-hubd/config.yaml');
  t.equal(mode(config), 0o640);

  // The installed copy runs compiled and accepts the config it was given.
  const check = await promisify(execFile)(process.execPath, [path.join(app, 'bin/zigbee-hubd.js'), '--config', config, '--check-config'], { cwd: app });
  t.equal(check.stdout, `config OK: ${config}\n`);

  // Again: an upgrade keeps the edited config and leaves one app folder.
  fs.writeFileSync(config, 'zigbee:\n  channel: 15\n');
  const again = await runInstall(['--root', root, '--source', pkg, '--skip-npm']);
  t.equal(again.code, 0, again.stderr);
  t.match(again.stdout, `kept ${config}`);
  t.equal(fs.readFileSync(config, 'utf8'), 'zigbee:\n  channel: 15\n', 'edited config untouched');
  t.same(fs.readdirSync(path.join(root, 'opt')), ['zigbee-hubd'], 'no staging or old copies left');

  // An install from before YAML: its config.json becomes config.yaml, content unchanged.
  fs.rmSync(config);
  fs.writeFileSync(path.join(root, 'etc/zigbee-hubd/config.json'), '{"zigbee": {"channel": 16}}');
  const upgraded = await runInstall(['--root', root, '--source', pkg, '--skip-npm']);
  t.equal(upgraded.code, 0, upgraded.stderr);
  t.equal(fs.readFileSync(config, 'utf8'), '{"zigbee": {"channel": 16}}');
  t.notOk(fs.existsSync(path.join(root, 'etc/zigbee-hubd/config.json')));

  fs.writeFileSync(path.join(root, 'var/lib/zigbee-hubd/hub.db'), 'data');
  const removed = await runInstall(['--root', root, '--uninstall']);
  t.equal(removed.code, 0, removed.stderr);
  t.match(removed.stdout, 'skipped under --root: systemctl disable --now zigbee-hubd.service');
  t.notOk(fs.existsSync(app));
  t.notOk(fs.existsSync(path.join(root, 'etc/systemd/system/zigbee-hubd.service')));
  t.notOk(fs.existsSync(path.join(root, 'etc/udev/rules.d/99-zigbee-hubd.rules')));
  t.ok(fs.existsSync(config), 'config kept');
  t.ok(fs.existsSync(path.join(root, 'var/lib/zigbee-hubd/hub.db')), 'data kept');
});

t.test('a Node.js older than 20.19 is refused with the way to a supported one', async (t) => {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-old-node-'));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-install-root-'));
  t.teardown(() => {
    fs.rmSync(bin, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  });
  // Debian 12 / Raspberry Pi OS Bookworm's apt nodejs.
  fs.writeFileSync(path.join(bin, 'node'), '#!/bin/sh\necho 18.19.0\n', { mode: 0o755 });
  const result = await runInstall(['--root', root, '--skip-npm'], { PATH: `${bin}:${process.env.PATH}` });
  t.equal(result.code, 1);
  t.match(result.stderr, 'Node.js 18.19.0 is too old: zigbee-hubd needs 20.19.0 or later');
  t.match(result.stderr, 'deb.nodesource.com/setup_22.x');
  t.notOk(fs.existsSync(path.join(root, 'opt/zigbee-hubd')), 'nothing installed');
});

t.test('an unknown option is refused with the usage', async (t) => {
  const result = await runInstall(['--frobnicate']);
  t.equal(result.code, 1);
  t.match(result.stderr, 'unknown option: --frobnicate');
});
