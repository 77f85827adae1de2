// A start loads only what its config uses: with the cloud link and metrics off, neither gRPC nor
// prom-client is loaded (they cost restart to ready, docs/BENCHMARKS.md); with them on, both
// are once the cloud link has started, right after ready (the same check can fail). The compiled daemon as a process; node's module debug output
// (NODE_DEBUG=module, on stderr) says which files its CommonJS loader loaded.
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { DaemonProcess } from '../../scripts/lib/daemon-process.js';
import { startVirtualCoordinator } from '../../scripts/virtual-coordinator/coordinator.js';
import { daemonOnFormedStick } from '../zigbee/formed-stick.js';
import { buildCompiledPackage, packagedDaemonConfig } from './helpers/compiled-package.js';

const OPTIONAL = { grpc: 'node_modules/@grpc/grpc-js/', promClient: 'node_modules/prom-client/' };

t.test('gRPC and prom-client load only for the cloud link and metrics', async (t) => {
  const pkg = await buildCompiledPackage();
  t.teardown(() => fs.rmSync(pkg, { recursive: true, force: true }));
  const coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: path.join(pkg, 'stick.json'), ...(await daemonOnFormedStick(path.join(pkg, 'run', 'data'))) });
  t.teardown(() => coordinator.stop());
  /** Which of OPTIONAL's packages the daemon loaded in a run to ready (and `after`, when given), then stop. */
  const loadedBy = async (config: Record<string, unknown>, after?: string) => {
    const daemon = DaemonProcess.start({
      dir: path.join(pkg, 'run'),
      bin: path.join(pkg, 'bin/zigbee-hubd.js'),
      config: packagedDaemonConfig(coordinator.port, config),
      env: { ZIGBEE_HUBD_RUNTIME: undefined, NODE_OPTIONS: '', NODE_DEBUG: 'module' },
    });
    t.teardown(() => daemon.stop());
    await daemon.ready(180_000);
    if (after !== undefined) await daemon.waitForLog((l) => l.msg === after, 60_000);
    t.same(await daemon.stop(), { code: 0, signal: null }, 'stops cleanly');
    // Every stderr line read: the pipe is closed.
    const stderr = daemon.child.stderr!;
    if (!stderr.closed) await once(stderr, 'close');
    return Object.entries(OPTIONAL)
      .filter(([, dir]) => daemon.stderr.some((line) => line.includes(dir)))
      .map(([name]) => name);
  };

  t.same(await loadedBy({ cloud: { enabled: false }, metrics: { enabled: false } }), [], 'neither is loaded when neither is configured');
  t.same(
    await loadedBy(
      {
        cloud: { enabled: true, target: '127.0.0.1:9', insecure: true, gateway_id: 'lazy-modules' },
        metrics: { enabled: true, port: 0 },
      },
      'cloud link starting',
    ),
    ['grpc', 'promClient'],
    'both are loaded when configured',
  );
});
