import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { HubEvent } from '../../daemon/domain/events.js';
import { openStore, type OutboxBounds } from '../../daemon/store/index.js';
import { committedEvents, device, FakeClock, recordingLog } from './helpers.js';

function setup(t: Test, outboxBounds?: Partial<OutboxBounds>) {
  const path = join(t.testdir({}), 'hub.db');
  const clock = new FakeClock();
  const log = recordingLog();
  const store = openStore({ path, clock, log, ...(outboxBounds ? { outboxBounds } : {}) });
  t.teardown(() => store.close());
  store.devices.upsert(device(1, { interview: 'pending' })); // seq 1: device_joined
  return { path, clock, log, store, ieee: device(1).ieee };
}

const result = (id: number): HubEvent => ({ kind: 'command_result', commandId: `cmd-${id}`, ok: true });

t.test('readers see only durable events, in seq order, woken after each commit', async (t) => {
  const { store } = setup(t);
  const wakes: number[] = [];
  const unsubscribe = store.outbox.onAppend((lastSeq) => wakes.push(lastSeq));
  for (let i = 0; i < 5; i++) store.events.append(result(i));
  t.same(store.outbox.readAfter(0, 100), [], 'nothing before the commit: a seq handed out must never be lost');
  await store.flush();
  t.same(wakes, [6], 'one wake-up for the whole group');
  const all = store.outbox.readAfter(0, 100);
  t.same(all.map((e) => e.seq), [1, 2, 3, 4, 5, 6]);
  t.same(all.slice(1).map((e) => e.event), [0, 1, 2, 3, 4].map(result));
  t.same(store.outbox.readAfter(2, 2).map((e) => e.seq), [3, 4], 'after + limit');
  t.same(store.outbox.readAfter(6, 10), []);
  unsubscribe();
  store.events.append(result(9));
  await store.flush();
  t.same(wakes, [6], 'unsubscribed');
});

t.test('ack is cumulative, deletes, and its cursor survives a reopen; seqs are never reused', async (t) => {
  const { path, store } = setup(t);
  for (let i = 0; i < 9; i++) store.events.append(result(i));
  await store.flush();
  const epoch = store.outbox.epoch();
  t.match(epoch, /^[0-9a-f-]{36}$/);
  store.outbox.ack(4);
  store.outbox.ack(2); // a late, stale ack changes nothing
  t.equal(store.outbox.lastAcked(), 4);
  store.outbox.ack(1000); // beyond anything handed out: clamped
  t.equal(store.outbox.lastAcked(), 10);
  await store.flush();
  t.match(store.outbox.stats(), { events: 0, bytes: 0, lastSeq: 10, lastAcked: 10 });
  t.same(committedEvents(path), [], 'acknowledged events deleted');
  await store.close();

  const again = openStore({ path, log: recordingLog() });
  t.equal(again.outbox.lastAcked(), 10, 'cursor after reopen');
  t.equal(again.outbox.epoch(), epoch, 'same epoch: the same seq sequence continues');
  again.events.append(result(99));
  await again.flush();
  t.same(again.outbox.readAfter(again.outbox.lastAcked(), 10).map((e) => e.seq), [11], 'seq continues after an empty outbox');
  await again.close();
});

t.test('count bound: oldest telemetry dropped in one chunk, never other events, gap says exactly what', async (t) => {
  const { path, log, store, ieee } = setup(t, { maxEvents: 100, shedToFraction: 0.5 });
  // seq 1 is device_joined; then 150 writes: every 10th a command result (must keep).
  const kindBySeq = new Map<number, string>([[1, 'device_joined']]);
  for (let i = 1; i <= 150; i++) {
    if (i % 10 === 0) store.events.append(result(i));
    else store.state.apply(ieee, { counter: i });
    kindBySeq.set(i + 1, i % 10 === 0 ? 'command_result' : 'state_changed');
  }
  await store.flush();
  const events = committedEvents(path);
  const gaps = events.filter((e) => e.event.kind === 'gap');
  t.equal(gaps.length, 1, 'one gap event for the chunk');
  const gap = gaps[0]!.event as Extract<HubEvent, { kind: 'gap' }>;
  const kept = new Set(events.map((e) => e.seq));
  const missing = [...kindBySeq.keys()].filter((seq) => !kept.has(seq));
  t.same(
    missing.map((seq) => kindBySeq.get(seq)),
    missing.map(() => 'state_changed'),
    'only telemetry dropped',
  );
  t.equal(gap.dropped, missing.length, 'dropped count is exact');
  t.equal(gap.fromSeq, Math.min(...missing));
  t.equal(gap.toSeq, Math.max(...missing));
  const firstKeptTelemetry = Math.min(...[...kept].filter((seq) => kindBySeq.get(seq) === 'state_changed'));
  t.ok(Math.max(...missing) < firstKeptTelemetry, 'the oldest went first');
  t.match(gap.reason, /more than 100 events/);
  t.ok(events.length <= 100, 'within the bound after the commit');
  t.ok(
    [...kindBySeq].filter(([, kind]) => kind !== 'state_changed').every(([seq]) => kept.has(seq)),
    'join and command results all kept',
  );
  t.ok(log.entries.some((e) => e.level === 'warn' && /dropped oldest telemetry/.test(e.msg)));
  t.equal(store.outbox.stats().droppedSinceOpen, gap.dropped);
  t.same(store.outbox.readAfter(0, 1000).map((e) => e.seq), events.map((e) => e.seq), 'reader sees the same');
});

t.test('byte bound', async (t) => {
  const { path, store, ieee } = setup(t, { maxBytes: 20_000, shedToFraction: 0.8 });
  const blob = 'x'.repeat(500);
  for (let i = 0; i < 60; i++) store.state.apply(ieee, { note: `${i} ${blob}` });
  await store.flush();
  const stats = store.outbox.stats();
  t.ok(stats.bytes <= 20_000, `bytes ${stats.bytes} within the bound`);
  const gap = committedEvents(path).find((e) => e.event.kind === 'gap')?.event;
  t.match(gap, { kind: 'gap', reason: /bytes/ });
  t.ok(stats.droppedSinceOpen > 0);
});

t.test('age bound: telemetry older than maxAge is dropped at the next commit, keep events stay', async (t) => {
  const { path, clock, store, ieee } = setup(t, { maxAgeMs: 60_000, shedToFraction: 0.5 });
  store.state.apply(ieee, { counter: 1 }); // seq 2
  store.events.append(result(1)); // seq 3
  await store.flush();
  await clock.advance(40_000);
  store.state.apply(ieee, { counter: 2 }); // seq 4, 40 s old later
  await store.flush();
  t.equal(committedEvents(path).length, 4, 'nothing too old yet');
  await clock.advance(25_000); // seq 2 is 65 s old, seq 4 is 25 s old
  store.state.apply(ieee, { counter: 3 }); // seq 5
  await store.flush();
  const events = committedEvents(path);
  t.same(
    events.map((e) => e.seq),
    [1, 3, 4, 5, 6],
  );
  t.match(events.at(-1)!.event, { kind: 'gap', fromSeq: 2, toSeq: 2, dropped: 1, reason: /older than 60000 ms/ });
});

t.test('must-keep events alone over the bound: nothing dropped, one error logged', async (t) => {
  const { path, log, store } = setup(t, { maxEvents: 5 });
  for (let i = 0; i < 10; i++) store.events.append(result(i));
  await store.flush();
  for (let i = 10; i < 20; i++) store.events.append(result(i));
  await store.flush();
  t.equal(committedEvents(path).length, 21, 'all kept');
  t.notOk(committedEvents(path).some((e) => e.event.kind === 'gap'));
  t.same(
    log.entries.filter((e) => e.level === 'error').map((e) => e.msg),
    ['store: outbox over its bounds with only must-keep events left'],
    'said once, not per commit',
  );
});
