// A burst of reports reaches every LAN watcher without ending its stream (issue 9). Before
// batches, the hub wrote one gRPC message per event, and grpc-js puts a server stream's next
// message on the wire only after the previous one's write callback, which comes back on a
// later turn of the event loop: a watcher received about one event per turn while a turn
// committed hundreds, fell 1000 events behind and was ended with RESOURCE_EXHAUSTED, every
// watcher at the same moment. A client that asks for batches gets one message per commit.
import * as grpc from '@grpc/grpc-js';
import t from 'tap';
import { watchCall } from '../../scripts/hubctl/calls.js';
import { device } from '../store/helpers.js';
import { startTestLan } from './helpers.js';

type Item = Record<string, any>;

const COMMITS = 30;
const PER_COMMIT = 100;

/** Every event a watch stream delivers (from `event` and `events` messages), until `want` or an error. */
function receive(stream: grpc.ClientReadableStream<Item>, want: number) {
  const seqs: number[] = [];
  let messages = 0;
  const done = new Promise<grpc.ServiceError | undefined>((resolve) => {
    stream.on('data', (item: Item) => {
      if (item['snapshot']) return;
      messages++;
      const events: Item[] = item['events']?.events ?? (item['event'] ? [item['event']] : []);
      for (const event of events) seqs.push(Number(event.seq));
      if (seqs.length >= want) resolve(undefined);
    });
    stream.on('error', (error: grpc.ServiceError) => resolve(error));
  });
  return { seqs, done, messages: () => messages };
}

t.test('a watcher asking for batches keeps up with a burst of commits, one message per commit', async (t) => {
  // A commit every 100 writes (as under load: the group fills before its timer), one per loop turn.
  const lan = await startTestLan(t, { store: { commitIntervalMs: 200, maxPendingWrites: PER_COMMIT } });
  const sensor = device(1);
  lan.store.devices.upsert(sensor);
  await lan.store.flush();
  const { token } = await lan.pair('read');
  const client = await lan.client();
  const stream = watchCall(client, { batch_events: true }, token);
  const snapshot = await new Promise<Item>((resolve) => stream.once('data', resolve));
  t.ok(snapshot['snapshot'], 'the stream starts with a snapshot');
  const got = receive(stream, COMMITS * PER_COMMIT);

  const commitsBefore = lan.store.commitStats().commits;
  let value = 0;
  for (let c = 0; c < COMMITS; c++) {
    for (let i = 0; i < PER_COMMIT; i++) lan.store.state.apply(sensor.ieee, { temperature: ++value / 10 });
    await new Promise((resolve) => setImmediate(resolve));
  }
  const error = await got.done;
  stream.cancel();
  t.equal(error, undefined, `the stream was not ended (${error?.details ?? ''})`);
  t.equal(got.seqs.length, COMMITS * PER_COMMIT, 'every event arrived');
  t.ok(
    got.seqs.every((seq, i) => i === 0 || seq === got.seqs[i - 1]! + 1),
    'in seq order, none missing',
  );
  const commits = lan.store.commitStats().commits - commitsBefore;
  t.ok(got.messages() <= commits, `one message per commit or fewer (${got.messages()} for ${commits} commits)`);
});

t.test('a client that does not ask for batches still gets one event per message', async (t) => {
  const lan = await startTestLan(t);
  const sensor = device(1);
  lan.store.devices.upsert(sensor);
  await lan.store.flush();
  const { token } = await lan.pair('read');
  const stream = watchCall(await lan.client(), {}, token);
  const items: Item[] = [];
  let snapshotSeen: () => void;
  const snapshot = new Promise<void>((resolve) => (snapshotSeen = resolve));
  const four = new Promise<void>((resolve) =>
    stream.on('data', (item: Item) => {
      items.push(item);
      if (items.length === 1) snapshotSeen();
      if (items.length === 4) resolve();
    }),
  );
  stream.on('error', () => undefined);
  await snapshot;
  // All three in one commit: an old client still gets them one per message.
  for (let i = 1; i <= 3; i++) lan.store.state.apply(sensor.ieee, { temperature: i });
  await lan.store.flush();
  await four;
  stream.cancel();
  t.ok(items[0]!['snapshot']);
  t.same(
    items.slice(1).map((i) => [i['body'], i['event']?.state_changed?.ieee, i['events']]),
    [
      ['event', sensor.ieee, null],
      ['event', sensor.ieee, null],
      ['event', sensor.ieee, null],
    ],
  );
});
