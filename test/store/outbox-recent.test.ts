// The outbox hands readers that keep up (the cloud link, LAN watchers) the events just
// committed from memory instead of reading back what it has just written (issue 13); readers
// further behind, and anything after rows were deleted, still get exactly what the table holds.
import { join } from 'node:path';
import t from 'tap';
import { openStore } from '../../daemon/store/index.js';
import { committedEvents, device, rawOpen, recordingLog } from './helpers.js';

t.test('just-committed events are read from memory, not from the table', async (t) => {
  const path = join(t.testdir({}), 'hub.db');
  const store = openStore({ path, log: recordingLog() });
  t.teardown(() => store.close());
  store.devices.upsert(device(1));
  await store.flush();
  store.outbox.ack(store.outbox.lastCommittedSeq());
  store.state.apply(device(1).ieee, { temperature: 21.5 });
  await store.flush();
  const expected = committedEvents(path).filter((e) => e.event.kind === 'state_changed');
  t.equal(expected.length, 1);
  // Take the row away behind the store's back: only a read-back would miss it now.
  const other = rawOpen(path);
  other.prepare('DELETE FROM outbox WHERE seq = ?').run(expected[0]!.seq);
  other.close();
  const read = store.outbox.readAfter(store.outbox.lastAcked(), 100);
  t.same(
    read.map((e) => ({ seq: e.seq, event: e.event })),
    expected,
    'the reader got the committed event without reading the table',
  );
});

t.test('a reader behind the memory window gets exactly the table (shedding: outbox.test.ts)', async (t) => {
  const path = join(t.testdir({}), 'hub.db');
  const store = openStore({ path, log: recordingLog(), maxPendingWrites: 100_000 });
  t.teardown(() => store.close());
  store.devices.upsert(device(1));
  for (let i = 0; i < 6000; i++) store.state.apply(device(1).ieee, { counter: i });
  await store.flush();
  const table = committedEvents(path);
  const all = store.outbox.readAfter(0, 10_000).map((e) => ({ seq: e.seq, event: e.event }));
  t.equal(all.length, 6002);
  t.same(all, table, 'from the start: the table');
  const tail = store.outbox.readAfter(table[5000]!.seq, 10_000).map((e) => ({ seq: e.seq, event: e.event }));
  t.same(tail, table.slice(5001), 'the newest: the same events, from memory');
  t.same(store.outbox.readAfter(table[100]!.seq, 3).map((e) => e.seq), table.slice(101, 104).map((e) => e.seq), 'limit honoured');
});
