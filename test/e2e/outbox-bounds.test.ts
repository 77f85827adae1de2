// Offline, the outbox grows only up to its configured bounds: beyond them the oldest telemetry
// goes first, a gap event tells the cloud exactly what was dropped, and join/interview events and
// the latest state survive.
import t from 'tap';
import { joinDevices, startStack, GATEWAY } from './stack.js';

t.test('store.outbox_max_events bounds an unacknowledged outbox with a gap event', async (t) => {
  const stack = await startStack({ config: { store: { outbox_max_events: 1000 } } });
  t.teardown(() => stack.stop());
  const weather = (await joinDevices(stack, ['aqara-weather'])).get('aqara-weather')!;

  // The platform stops acknowledging (as if it were unreachable): nothing may be deleted, so the
  // outbox grows until its bound.
  stack.cloud.setAcking(false);
  const reports = 1500;
  for (let i = 1; i <= reports; i++) {
    stack.coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: 1000 + i });
    if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await stack.daemon.waitForLog((l) => /outbox/.test(l.msg) && /drop/i.test(l.msg), 60_000);
  stack.cloud.setAcking(true);

  const last = (1000 + reports) / 100;
  await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === weather && e.event.state.temperature === last, 60_000);
  const gap = await stack.waitForCloud((e) => e.event.kind === 'gap', 60_000);
  t.ok(gap.event.kind === 'gap' && gap.event.dropped > 0, 'a gap event says how many events were dropped');
  if (gap.event.kind === 'gap') t.ok(gap.event.toSeq >= gap.event.fromSeq, 'and which seqs');
  const kinds = new Set(stack.cloud.events(GATEWAY).map((e) => e.event.kind));
  t.ok(kinds.has('device_joined') && kinds.has('device_interview'), 'join and interview events were kept');
  const stored = stack.query<{ value: string }>("SELECT value FROM device_state WHERE ieee = ? AND key = 'temperature'", weather);
  t.same(stored.map((r) => JSON.parse(r.value)), [last], 'the latest state is intact');
});
