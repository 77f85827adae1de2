// The LAN event stream over real gRPC/TLS on the real store: snapshot then every change in seq
// order, resume from a seq without a snapshot, a fresh snapshot when the seq is not resumable,
// and a client that falls behind is ended with RESOURCE_EXHAUSTED instead of growing the hub.
import * as grpc from '@grpc/grpc-js';
import t from 'tap';
import { LanEventFeed } from '../../daemon/lan/event-feed.js';
import { LanError } from '../../daemon/lan/errors.js';
import { watchCall } from '../../scripts/hubctl/calls.js';
import { device } from '../store/helpers.js';
import { startTestLan } from './helpers.js';

type Item = Record<string, any>;

function collect(stream: grpc.ClientReadableStream<Item>) {
  const items: Item[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  stream.on('data', (item: Item) => {
    items.push(item);
    for (const w of waiters.filter((w) => items.length >= w.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  stream.on('error', () => undefined);
  return {
    items,
    count: (n: number) => (items.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
  };
}

t.test('snapshot, then every change in seq order; resume continues without a snapshot', async (t) => {
  const lan = await startTestLan(t);
  const bulb = device(1);
  lan.store.devices.upsert(bulb);
  lan.store.devices.rename(bulb.ieee, 'bulb');
  lan.store.state.apply(bulb.ieee, { state: 'OFF' });
  await lan.store.flush();
  const { token } = await lan.pair('read');
  const client = await lan.client();

  const first = watchCall(client, {}, token);
  const seen = collect(first);
  await seen.count(1);
  const snapshot = seen.items[0]!['snapshot'];
  t.equal(snapshot.devices.length, 1);
  t.match(snapshot.devices[0], { name: 'bulb', state: { fields: { state: { stringValue: 'OFF' } } } });
  t.equal(snapshot.epoch.split('.')[0], lan.store.outbox.epoch(), "the outbox's epoch (and this run of the hub, after the dot)");

  lan.store.state.apply(bulb.ieee, { state: 'ON', brightness: 10 });
  lan.store.devices.setAvailability(bulb.ieee, false);
  await seen.count(3);
  const events = seen.items.slice(1).map((i) => i['event']);
  t.same(events.map((e) => e.payload), ['state_changed', 'availability_changed']);
  t.ok(events[0].seq > snapshot.seq && events[1].seq > events[0].seq, 'seqs increase from the snapshot on');
  first.cancel();

  // Away for a while: two changes happen; resuming from the last seq gets exactly those.
  const lastSeq = events[1].seq;
  lan.store.state.apply(bulb.ieee, { brightness: 20 });
  lan.store.devices.setAvailability(bulb.ieee, true);
  await lan.store.flush();
  const resumed = collect(watchCall(client, { after_seq: lastSeq, epoch: snapshot.epoch }, token));
  await resumed.count(2);
  t.same(
    resumed.items.map((i) => i['event']?.payload),
    ['state_changed', 'availability_changed'],
    'no snapshot, just the missed events',
  );
  t.ok(resumed.items.every((i) => i['event'].seq > lastSeq));

  const otherEpoch = collect(watchCall(client, { after_seq: lastSeq, epoch: 'some-other-epoch' }, token));
  await otherEpoch.count(1);
  t.ok(otherEpoch.items[0]!['snapshot'], 'another epoch gets a fresh snapshot');
  const future = collect(watchCall(client, { after_seq: lastSeq + 1000, epoch: snapshot.epoch }, token));
  await future.count(1);
  t.ok(future.items[0]!['snapshot'], 'a seq the hub never had gets a fresh snapshot');
});

t.test('a watcher that falls behind its queue bound is ended with RESOURCE_EXHAUSTED and told where to resume', async (t) => {
  const lan = await startTestLan(t);
  lan.store.devices.upsert(device(1));
  await lan.store.flush();
  const feed = new LanEventFeed(lan.store.outbox, { watcherQueue: 5 });
  feed.start();
  t.teardown(() => feed.stop());
  const { watcher } = feed.watch();
  for (let i = 0; i < 10; i++) lan.store.state.apply(device(1).ieee, { brightness: i });
  await lan.store.flush();
  await new Promise((resolve) => setImmediate(resolve));
  const error = await (async () => {
    try {
      for await (const _ of watcher) void _;
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  t.ok(error instanceof LanError);
  t.equal((error as LanError).code, 'resource_exhausted');
  t.match((error as LanError).message, /fell more than 5 events behind; resume with after_seq \d+/);
  t.equal(feed.watcherCount(), 0, 'the feed forgot it');
});

t.test('bad requests: the right status code and a message naming the problem', async (t) => {
  const lan = await startTestLan(t);
  lan.store.devices.upsert(device(1));
  const { token } = await lan.pair('admin');
  const refusal = async (method: string, request: Item) => {
    try {
      await lan.call(method, request, token);
    } catch (error) {
      return error as { code: number; details: string };
    }
    throw new Error(`${method} was not refused`);
  };
  t.match(await refusal('GetDevice', { device: 'kitchen' }), { code: grpc.status.NOT_FOUND, details: 'no device "kitchen"' });
  t.match(await refusal('GetDevice', { device: '' }), { code: grpc.status.INVALID_ARGUMENT, details: /device is required/ });
  t.match(await refusal('SetState', { device: device(1).ieee, state: { fields: {} } }), { code: grpc.status.INVALID_ARGUMENT, details: /state must name at least one key/ });
  t.match(await refusal('PermitJoin', { seconds: 300 }), { code: grpc.status.INVALID_ARGUMENT, details: /seconds must be 0 \(close\) to 254, got 300/ });
  t.match(await refusal('PermitJoin', { seconds: 60, via: 'hall router' }), { code: grpc.status.NOT_FOUND, details: 'no device "hall router"' });
  t.match(await refusal('RenameDevice', { device: device(1).ieee, name: '' }), { code: grpc.status.INVALID_ARGUMENT, details: /name is required/ });
  const huge = { device: device(1).ieee, state: { fields: { label: { stringValue: 'x'.repeat(100_000) } } } };
  t.match(await refusal('SetState', huge), { code: grpc.status.RESOURCE_EXHAUSTED }, 'an oversized request');
  t.same(lan.executor.commands, [], 'nothing reached the command path');
});

t.test('permit join through one router: the router, named or by ieee, reaches the command path as its ieee', async (t) => {
  const lan = await startTestLan(t);
  const router = device(1);
  lan.store.devices.upsert(router);
  lan.store.devices.rename(router.ieee, 'hall router');
  const { token } = await lan.pair('admin');
  t.same(await lan.call('PermitJoin', { seconds: 60, via: 'hall router' }, token), { seconds: 60, via: router.ieee });
  t.same(await lan.call('PermitJoin', { seconds: 0 }, token), { seconds: 0, via: '' }, 'without via: the whole network');
  t.match(lan.executor.commands, [{ kind: 'permit_join', seconds: 60, via: router.ieee }, { kind: 'permit_join', seconds: 0 }]);
  t.notOk('via' in lan.executor.commands[1]!, 'no via when none was asked for');
});

t.test('a resume that would overflow the queue gets a snapshot instead of a loop of endings', async (t) => {
  const lan = await startTestLan(t);
  lan.store.devices.upsert(device(1));
  await lan.store.flush();
  const feed = new LanEventFeed(lan.store.outbox, { watcherQueue: 6 });
  feed.start();
  t.teardown(() => feed.stop());
  const from = feed.position();
  for (let i = 0; i < 2; i++) lan.store.state.apply(device(1).ieee, { brightness: i });
  await lan.store.flush();
  await new Promise((resolve) => setImmediate(resolve));
  const few = feed.watch({ afterSeq: from.seq, epoch: from.epoch });
  t.equal(few.resumed, true, 'two missed events: resumed');
  few.watcher.end();
  for (let i = 2; i < 10; i++) lan.store.state.apply(device(1).ieee, { brightness: i });
  await lan.store.flush();
  await new Promise((resolve) => setImmediate(resolve));
  const many = feed.watch({ afterSeq: from.seq, epoch: from.epoch });
  t.equal(many.resumed, false, 'ten missed events for a queue of six: a snapshot');
  many.watcher.end();
});

t.test('when the hub stops, open streams end with UNAVAILABLE so clients resume later', async (t) => {
  const lan = await startTestLan(t);
  const { token } = await lan.pair('read');
  const stream = watchCall(await lan.client(), {}, token);
  await new Promise((resolve) => stream.once('data', resolve));
  const ended = new Promise<grpc.ServiceError>((resolve) => stream.on('error', resolve));
  await lan.lan.stop();
  t.equal((await ended).code, grpc.status.UNAVAILABLE);
});

t.test('a client cannot open more than eight event streams; a closed one frees its place', async (t) => {
  const lan = await startTestLan(t);
  const { token } = await lan.pair('read');
  const client = await lan.client();
  const open: grpc.ClientReadableStream<Item>[] = [];
  for (let i = 0; i < 8; i++) {
    const stream = watchCall(client, {}, token);
    stream.on('error', () => undefined);
    await new Promise((resolve) => stream.once('data', resolve));
    open.push(stream);
  }
  const ninth = watchCall(client, {}, token);
  const refused = await new Promise<grpc.ServiceError>((resolve) => ninth.on('error', resolve));
  t.equal(refused.code, grpc.status.RESOURCE_EXHAUSTED);
  t.match(refused.details, /already has 8 event streams open/);
  open[0]!.cancel();
  await t.resolveMatch(
    (async () => {
      for (;;) {
        const again = watchCall(client, {}, token);
        const first = await new Promise<Item | grpc.ServiceError>((resolve) => {
          again.once('data', resolve);
          again.on('error', resolve);
        });
        if (!(first instanceof Error)) return first;
        await new Promise((resolve) => setTimeout(resolve, 50)); // the cancel reaches the hub
      }
    })(),
    { snapshot: {} },
  );
  for (const stream of open) stream.cancel();
});
