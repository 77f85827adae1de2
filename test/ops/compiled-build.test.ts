// The production build: the compiled daemon starts on the virtual coordinator and stops cleanly
// from a package with no TypeScript sources and no TypeScript loader installed.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { DaemonProcess } from '../../scripts/lib/daemon-process.js';
import { startVirtualCoordinator } from '../../scripts/virtual-coordinator/coordinator.js';
import { daemonOnFormedStick } from '../zigbee/formed-stick.js';
import { buildCompiledPackage, REPO_ROOT, packagedDaemonConfig } from './helpers/compiled-package.js';

t.test('the compiled daemon reaches ready on the virtual coordinator without tsx', async (t) => {
  const pkg = await buildCompiledPackage();
  t.teardown(() => fs.rmSync(pkg, { recursive: true, force: true }));
  t.notOk(fs.existsSync(path.join(pkg, 'node_modules/tsx')), 'no TypeScript loader to fall back on');
  t.ok(fs.existsSync(path.join(pkg, 'dist/daemon/cli.js')));

  const coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: path.join(pkg, 'stick.json'), ...(await daemonOnFormedStick(path.join(pkg, 'run', 'data'))) });
  t.teardown(() => coordinator.stop());
  const daemon = DaemonProcess.start({
    dir: path.join(pkg, 'run'),
    bin: path.join(pkg, 'bin/zigbee-hubd.js'),
    config: packagedDaemonConfig(coordinator.port),
    // Whatever the environment says, the package has only dist/ to run.
    env: { ZIGBEE_HUBD_RUNTIME: undefined, NODE_OPTIONS: '' },
  });
  t.teardown(() => daemon.stop());
  const ready = await daemon.ready(180_000);
  t.equal(ready.msg, 'zigbee-hubd ready');
  const starting = daemon.lines.find((l) => l.msg === 'zigbee-hubd starting');
  t.equal(starting?.version, JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).version, 'version read from the package root');
  t.ok(fs.existsSync(path.join(pkg, 'run/data/hub.db')), 'migrations found from dist/');
  t.same(await daemon.stop(), { code: 0, signal: null });
  const backups = fs.readdirSync(path.join(pkg, 'run/data/backups'));
  t.ok(backups.some((name) => /^coordinator_backup\..*\.json$/.test(name)), `coordinator backup kept beside the database backups (${backups.join(', ')})`);
  t.ok(backups.some((name) => /^hub\.db\..*\.bak$/.test(name)));

  // hubctl runs compiled too.
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(pkg, 'bin/hubctl.js'), '--help'], { cwd: pkg });
  t.match(stdout, /^usage: hubctl/);
});

t.test('a package with neither dist/ nor sources says to build', async (t) => {
  const pkg = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-unbuilt-'));
  t.teardown(() => fs.rmSync(pkg, { recursive: true, force: true }));
  fs.cpSync(path.join(REPO_ROOT, 'bin'), path.join(pkg, 'bin'), { recursive: true });
  const result = await promisify(execFile)(process.execPath, [path.join(pkg, 'bin/zigbee-hubd.js'), '--version'], { cwd: pkg }).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => error,
  );
  t.equal(result.code, 70);
  t.match(result.stderr, 'run `npm run build`');
});
