// The Prometheus endpoint of a real daemon process (virtual coordinator, reference cloud): after
// a burst of reports and a few commands its counts are exactly what happened.
import t from 'tap';
import { GATEWAY, joinDevices, startStack } from '../e2e/stack.js';

const BURST = 25;

async function scrape(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  if (response.status !== 200) throw new Error(`metrics answered ${response.status}`);
  return response.text();
}

/** The value of one series (name plus exact label text), or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

t.test('after a burst of reports and some commands the metrics show the right counts', async (t) => {
  const stack = await startStack({ config: { metrics: { enabled: true, port: 0 } } });
  t.teardown(() => stack.stop());
  const listening = await stack.daemon.waitForLog((l) => l.msg === 'metrics listening');
  t.equal(listening.address, '127.0.0.1', 'loopback by default');
  const port = listening.port as number;

  const ieees = await joinDevices(stack, ['aqara-weather']); // one permit_join command, ok
  const weather = ieees.get('aqara-weather')!;
  const before = await scrape(port);
  const temperatureBefore = sample(before, 'zigbee_hubd_messages_in_total{cluster="msTemperatureMeasurement"}') ?? 0;

  for (let i = 0; i < BURST; i++) stack.coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: 1500 + i * 10 });
  const last = (1500 + (BURST - 1) * 10) / 100;
  // Reports of one device are handled in order: the last one at the cloud means all arrived.
  await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === weather && e.event.state.temperature === last);
  const refused = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_state', ieee: '0x00124b00deadbeef', state: { state: 'ON' } }, 30_000);
  t.notOk(refused.ok);

  const after = await scrape(port);
  t.equal(sample(after, 'zigbee_hubd_messages_in_total{cluster="msTemperatureMeasurement"}')! - temperatureBefore, BURST, 'each report counted once, by cluster');
  t.equal(sample(after, 'zigbee_hubd_commands_total{kind="permit_join",result="ok"}'), 1);
  t.equal(sample(after, 'zigbee_hubd_commands_total{kind="set_state",result="failed"}'), 1);
  t.equal(sample(after, 'zigbee_hubd_command_duration_seconds_count{kind="set_state"}'), 1, 'latency observed per command');
  t.equal(sample(after, 'zigbee_hubd_cloud_link_state{state="connected"}'), 1);
  t.equal(sample(after, 'zigbee_hubd_cloud_link_state{state="waiting"}'), 0);
  t.equal(sample(after, 'zigbee_hubd_cloud_link_disconnects_total'), 0);
  t.equal(sample(after, 'zigbee_hubd_coordinator_reconnects_total'), 0);
  t.ok(sample(after, 'zigbee_hubd_outbox_events')! >= 0, 'outbox depth');
  t.ok(sample(after, 'zigbee_hubd_outbox_oldest_age_seconds')! >= 0, 'outbox oldest age');
  t.ok(sample(after, 'zigbee_hubd_sqlite_commits_total')! > 0, 'SQLite commits counted');
  t.ok(sample(after, 'zigbee_hubd_sqlite_commit_seconds_total')! > 0, 'and their time');
  t.ok(sample(after, 'zigbee_hubd_sqlite_fsyncs_total')! > 0, 'and the fsyncs that made them durable');
  t.equal(sample(after, 'zigbee_hubd_sqlite_fsync_failures_total'), 0, 'none failed');
  t.ok(sample(after, 'zigbee_hubd_nodejs_eventloop_lag_seconds')! >= 0, 'event-loop lag');
  t.ok(sample(after, 'zigbee_hubd_process_resident_memory_bytes')! > 10e6, 'memory');

  const notFound = await fetch(`http://127.0.0.1:${port}/`);
  t.equal(notFound.status, 404);
  await notFound.text();
});
