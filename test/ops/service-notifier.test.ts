// systemd Type=notify against a real local NOTIFY_SOCKET and a real daemon child on the virtual
// coordinator: READY only once the coordinator is up, watchdog pings from the event loop (a
// stalled loop stops them), STOPPING on SIGTERM. And the no-op without NOTIFY_SOCKET.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { createServiceNotifier, watchdogIntervalMs } from '../../daemon/ops/service-notifier.js';
import { createLogger } from '../../daemon/ops/logger.js';
import { DaemonProcess } from '../../scripts/lib/daemon-process.js';
import { startVirtualCoordinator } from '../../scripts/virtual-coordinator/coordinator.js';
import { daemonOnFormedStick } from '../zigbee/formed-stick.js';
import { NotifySocket, type Notification } from './helpers/notify-socket.js';

const STALLER = fileURLToPath(new URL('./fixtures/event-loop-staller.mjs', import.meta.url));
const STALL_MS = 6000;

t.test('a real daemon under a NOTIFY_SOCKET: READY after the coordinator, watchdog from the loop, STOPPING', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-notify-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const socket = await NotifySocket.start(dir);
  t.teardown(() => socket.stop());
  const coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: path.join(dir, 'stick.json'), ...(await daemonOnFormedStick(path.join(dir, 'data'))) });
  t.teardown(() => coordinator.stop());

  const daemon = DaemonProcess.start({
    dir,
    config: {
      data_dir: './data',
      serial: { path: `tcp://127.0.0.1:${coordinator.port}`, adapter: 'zstack' },
      cloud: { enabled: false },
      lan: { enabled: false },
      log: { level: 'info', format: 'json' },
    },
    // A ping every 500 ms (half of WATCHDOG_USEC), as systemd would set for WatchdogSec=1.
    env: { NOTIFY_SOCKET: socket.path, WATCHDOG_USEC: '1000000', STALL_MS: String(STALL_MS) },
    nodeArgs: ['--import', STALLER],
  });
  t.teardown(() => daemon.stop());

  const [ready] = await socket.waitFor((n) => n.fields.READY === '1');
  const networkStarted = await daemon.waitForLog((l) => l.msg === 'zigbee network started');
  t.ok(Date.parse(networkStarted.time as string) <= ready!.t, 'READY arrives after the coordinator is up (same clock)');
  t.equal(ready!.fields.STATUS, '0 devices, cloud link disabled', 'STATUS says devices and cloud link state');
  t.equal(ready!.fields.MAINPID, String(daemon.child.pid), 'sent on behalf of the daemon process');
  const before = socket.received.filter((n) => n.t < ready!.t);
  t.match(before.map((n) => n.fields.STATUS), [/^starting/], 'a starting status before READY');
  t.notOk(before.some((n) => n.fields.WATCHDOG), 'no pings before READY');

  const isPing = (n: Notification) => n.fields.WATCHDOG === '1';
  await socket.waitFor(isPing, 3);
  daemon.kill('SIGUSR2');
  await waitUntil(() => daemon.stderr.includes('stall end'));
  const pingsAtStallEnd = socket.received.filter(isPing).length;
  await socket.waitFor(isPing, pingsAtStallEnd + 2);
  const pings = socket.received.filter(isPing).map((n) => n.t);
  const longestGap = Math.max(...pings.slice(1).map((time, i) => time - pings[i]!));
  // A ping from anywhere but the main loop (a worker, a timer elsewhere) would keep coming
  // every 500 ms through the stall; only a sender spawned just before it may land inside it.
  t.ok(longestGap >= STALL_MS - 2500, `the stalled loop sent no pings (longest gap ${Math.round(longestGap)} ms)`);

  const exit = await daemon.stop();
  t.same(exit, { code: 0, signal: null });
  const [stopping] = await socket.waitFor((n) => n.fields.STOPPING === '1');
  t.ok(stopping, 'STOPPING=1 on SIGTERM');
});

t.test('without NOTIFY_SOCKET the notifier does nothing', async (t) => {
  const sent: string[][] = [];
  const log = createLogger({ out: { write: () => undefined } });
  const notifier = createServiceNotifier({ env: { WATCHDOG_USEC: '1000' }, pid: 1, log, send: async (a) => void sent.push(a) });
  t.equal(notifier.enabled, false);
  notifier.ready('x');
  notifier.startWatchdog();
  notifier.stopping();
  t.same(sent, []);
});

t.test('the watchdog interval is half of WATCHDOG_USEC, and only for the process it names', async (t) => {
  t.equal(watchdogIntervalMs({ WATCHDOG_USEC: '30000000' }, 7), 15_000);
  t.equal(watchdogIntervalMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '7' }, 7), 15_000);
  t.equal(watchdogIntervalMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '8' }, 7), undefined);
  t.equal(watchdogIntervalMs({}, 7), undefined);
  t.equal(watchdogIntervalMs({ WATCHDOG_USEC: 'x' }, 7), undefined);
});

t.test('a missing systemd-notify is logged once, not at every message', async (t) => {
  const lines: string[] = [];
  const log = createLogger({ out: { write: (l: string) => lines.push(l) }, format: 'json' });
  const notifier = createServiceNotifier({ env: { NOTIFY_SOCKET: '/nonexistent' }, pid: 1, log, send: () => Promise.reject(new Error('spawn systemd-notify ENOENT')) });
  notifier.ready('a');
  notifier.status('b');
  notifier.stopping();
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(lines.length, 1);
  t.match(lines[0], 'cannot notify systemd');
});

async function waitUntil(condition: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

t.test('a ping still waiting for the manager holds back the next ones', async (t) => {
  const sent: string[][] = [];
  const pending: Array<() => void> = [];
  const log = createLogger({ out: { write: () => undefined } });
  const notifier = createServiceNotifier({
    env: { NOTIFY_SOCKET: '/run/test.sock', WATCHDOG_USEC: '20000' },
    pid: 1,
    log,
    send: (a) => {
      sent.push(a);
      return new Promise<void>((resolve) => pending.push(resolve));
    },
  });
  notifier.ready('up');
  notifier.startWatchdog();
  const pings = () => sent.filter((a) => a.includes('WATCHDOG=1')).length;
  await waitUntil(() => pings() === 1);
  await new Promise((resolve) => setTimeout(resolve, 100)); // ten intervals while the first ping waits
  t.equal(pings(), 1, 'no second ping while the first waits');
  for (const resolve of pending.splice(0)) resolve();
  await waitUntil(() => pings() >= 2);
  notifier.stopping();
  t.ok(sent.at(-1)!.includes('STOPPING=1'));
});
