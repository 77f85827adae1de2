// What metrics cost an idle hub, and that the cheaper event-loop monitoring still sees stalls.
// prom-client's default 10 ms event-loop delay sampling woke an idle daemon ~90 times a second
// and was nearly all of its idle CPU (docs/BENCHMARKS.md, "Idle CPU").
import fs from 'node:fs';
import t from 'tap';
import { HubMetrics } from '../../daemon/ops/metrics.js';
import { startStack } from '../e2e/stack.js';

/** Times the thread blocked and was woken again (each timer firing on an idle loop is one). */
function mainThreadWakeups(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8');
  return Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)![1]);
}

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const idleSources = {
  outbox: () => ({ events: 0, bytes: 0, droppedSinceOpen: 0 }),
  cloudLink: () => undefined,
  coordinatorReconnects: () => 0,
  commits: () => ({ commits: 0, failedCommits: 0, commitMsTotal: 0, commitMsMax: 0, syncs: 0, failedSyncs: 0, syncMsMax: 0 }),
  now: () => Date.now(),
};

t.test('a stall of the event loop shows in the lag and utilisation metrics', async (t) => {
  const metrics = new HubMetrics(idleSources);
  await new Promise((resolve) => setTimeout(resolve, 150)); // the delay monitor is running
  const stalledUntil = performance.now() + 300;
  while (performance.now() < stalledUntil) {
    // a synchronous stall, as a long COMMIT or a tight loop would be
  }
  await new Promise((resolve) => setTimeout(resolve, 250)); // the monitor's next sample records the delay
  const text = await metrics.registry.metrics();
  t.ok(sample(text, 'zigbee_hubd_nodejs_eventloop_lag_max_seconds')! >= 0.2, 'the 300 ms stall is the largest delay seen');
  const utilization = sample(text, 'zigbee_hubd_nodejs_eventloop_utilization_ratio')!;
  t.ok(utilization > 0 && utilization <= 1, `utilisation since start is a share, and the stall is in it (${utilization})`);
  await new Promise((resolve) => setTimeout(resolve, 400)); // idle: no stall in the next window
  const again = sample(await metrics.registry.metrics(), 'zigbee_hubd_nodejs_eventloop_utilization_ratio')!;
  t.ok(again >= 0 && again < utilization, `the next scrape covers only the time since this one (${again})`);
});

t.test('an idle daemon with metrics on wakes its event loop a few times a second, not ~100', async (t) => {
  if (process.platform !== 'linux') {
    t.pass('reads /proc: Linux only');
    return;
  }
  const stack = await startStack({ config: { metrics: { enabled: true, port: 0 } } });
  t.teardown(() => stack.stop());
  await stack.daemon.waitForLog((l) => l.msg === 'metrics listening');
  await stack.daemon.waitForLog((l) => l.msg === 'cloud link welcomed', 60_000);
  const pid = stack.daemon.child.pid!;
  await new Promise((resolve) => setTimeout(resolve, 1000)); // start-up's last writes and replies
  const before = mainThreadWakeups(pid);
  const startedAt = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const perSecond = (mainThreadWakeups(pid) - before) / ((performance.now() - startedAt) / 1000);
  // 10 ms sampling gave 86-89 a second; 100 ms gives about 10. A busy machine adds
  // involuntary switches, not these.
  t.ok(perSecond < 40, `main thread woke ${perSecond.toFixed(1)} times a second`);
});

t.test('messages per cluster add up exactly across scrapes', async (t) => {
  const metrics = new HubMetrics(idleSources);
  const series = (cluster: string) => `zigbee_hubd_messages_in_total{cluster="${cluster}"}`;
  for (let i = 0; i < 3; i++) metrics.messageReceived('genOnOff');
  metrics.messageReceived('msTemperatureMeasurement');
  const first = await metrics.registry.metrics();
  t.equal(sample(first, series('genOnOff')), 3);
  t.equal(sample(first, series('msTemperatureMeasurement')), 1);
  const unchanged = await metrics.registry.metrics();
  t.equal(sample(unchanged, series('genOnOff')), 3, 'a scrape with nothing new adds nothing');
  metrics.messageReceived('genOnOff');
  const after = await metrics.registry.metrics();
  t.equal(sample(after, series('genOnOff')), 4, 'and nothing is lost between scrapes');
  t.equal(sample(after, series('msTemperatureMeasurement')), 1);
});
