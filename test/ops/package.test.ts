// `npm run package` (scripts/package.sh): the release tarball, unpacked alone, starts the daemon
// on the virtual coordinator with production dependencies only and no TypeScript loader.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { DaemonProcess } from '../../scripts/lib/daemon-process.js';
import { startVirtualCoordinator } from '../../scripts/virtual-coordinator/coordinator.js';
import { daemonOnFormedStick } from '../zigbee/formed-stick.js';
import { REPO_ROOT, packagedDaemonConfig } from './helpers/compiled-package.js';

t.test('the packaged tarball runs the daemon without dev dependencies or tsx', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-package-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { stdout } = await promisify(execFile)('bash', [path.join(REPO_ROOT, 'scripts/package.sh'), '--out', dir], { timeout: 240_000 });
  const tarball = /package\.sh: (\S+\.tar\.gz)/.exec(stdout)?.[1];
  t.ok(tarball && fs.existsSync(tarball), stdout);
  t.match(path.basename(tarball!), new RegExp(`^zigbee-hubd-\\d+\\.\\d+\\.\\d+-linux-${process.arch}-node${process.versions.modules}\\.tar\\.gz$`), 'the ABI in the name');
  await promisify(execFile)('tar', ['-xzf', tarball!, '-C', dir]);
  const app = path.join(dir, path.basename(tarball!, '.tar.gz'));

  for (const devOnly of ['typescript', 'tap', 'eslint', 'fast-check']) {
    t.notOk(fs.existsSync(path.join(app, 'node_modules', devOnly)), `no ${devOnly}`);
  }
  t.ok(fs.existsSync(path.join(app, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')), 'the native module, built');
  t.notOk(fs.existsSync(path.join(app, 'daemon/cli.ts')), 'no TypeScript sources');
  t.ok(fs.existsSync(path.join(app, 'scripts/install.sh')) && fs.existsSync(path.join(app, 'systemd/zigbee-hubd.service')));

  const coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: path.join(dir, 'stick.json'), ...(await daemonOnFormedStick(path.join(dir, 'run', 'data'))) });
  t.teardown(() => coordinator.stop());
  const daemon = DaemonProcess.start({
    dir: path.join(dir, 'run'),
    bin: path.join(app, 'bin/zigbee-hubd.js'),
    config: packagedDaemonConfig(coordinator.port),
    // Only the tarball's own files: no loader from the environment.
    env: { ZIGBEE_HUBD_RUNTIME: 'dist', NODE_OPTIONS: '' },
  });
  t.teardown(() => daemon.stop());
  await daemon.ready(180_000);
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${daemon.child.pid}/status`, 'utf8'))?.[1]);
  t.comment(`tarball ${(fs.statSync(tarball!).size / 2 ** 20).toFixed(1)} MiB, RSS at ready ${(rssKb / 1024).toFixed(0)} MiB`);
  const maps = fs.readFileSync(`/proc/${daemon.child.pid}/maps`, 'utf8');
  t.notMatch(maps, /node_modules\/(tsx|esbuild|@esbuild)\//, 'no TypeScript loader mapped into the process');
  t.same(await daemon.stop(), { code: 0, signal: null });
});
