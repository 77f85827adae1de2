// The reference cloud at the protocol level, driven by a bare stream: what a platform must do.
import * as grpc from '@grpc/grpc-js';
import t from 'tap';
import { encodeEvent } from '../../daemon/cloud/event-codec.js';
import { startReferenceCloud } from '../../scripts/reference-cloud/server.js';
import { RawHub } from './helpers/raw-hub.js';

const IEEE = '0x00124b0001abcd01';
const wireEvents = (...seqs: number[]) =>
  seqs.map((seq) => encodeEvent({ seq, at: 1_763_000_000_000 + seq, event: { kind: 'availability_changed', ieee: IEEE, available: seq % 2 === 0 } }));

async function started(t: { teardown(fn: () => unknown): void }, options: Parameters<typeof startReferenceCloud>[0] = {}) {
  const cloud = await startReferenceCloud(options);
  t.teardown(() => cloud.stop());
  const open = (metadata?: grpc.Metadata) => {
    const hub = new RawHub(cloud.port, metadata);
    t.teardown(() => hub.close());
    return hub;
  };
  return { cloud, open };
}

t.test('welcome, cumulative acks and de-duplication by (gateway, seq)', async (t) => {
  const { cloud, open } = await started(t);
  const hub = open();
  hub.send({ hello: { gateway_id: 'gw-a', firmware_version: '1.0', last_acked_seq: 0, outbox_epoch: 'e1' } });
  t.same((await hub.next((m) => !!m.welcome)).welcome, { last_seq_seen: 0 });

  hub.send({ events: { events: wireEvents(1, 2, 3) } });
  await hub.next((m) => m.ack?.up_to_seq === 3);
  hub.send({ events: { events: wireEvents(2, 3, 4) } }); // at-least-once: 2 and 3 again
  await hub.next((m) => m.ack?.up_to_seq === 4);
  t.same(cloud.events('gw-a').map((e) => e.seq), [1, 2, 3, 4]);
  t.equal(cloud.store.duplicates('gw-a'), 2);
  t.same(cloud.events('gw-a')[3]!.event, { kind: 'availability_changed', ieee: IEEE, available: true });

  hub.send({ ping: { sent_at_ms: 42 } });
  t.same((await hub.next((m) => !!m.pong)).pong, { sent_at_ms: 42 });

  // A second stream for the same gateway supersedes the first and is welcomed with seq 4.
  const again = open();
  again.send({ hello: { gateway_id: 'gw-a', firmware_version: '1.0', last_acked_seq: 4, outbox_epoch: 'e1' } });
  t.same((await again.next((m) => !!m.welcome)).welcome, { last_seq_seen: 4 });
  t.match(await hub.closed, { code: grpc.status.ABORTED, details: /superseded/ });

  // A rebuilt gateway database (new epoch) starts a fresh cursor.
  const rebuilt = open();
  rebuilt.send({ hello: { gateway_id: 'gw-a', firmware_version: '1.0', last_acked_seq: 0, outbox_epoch: 'e2' } });
  t.same((await rebuilt.next((m) => !!m.welcome)).welcome, { last_seq_seen: 0 });
  rebuilt.send({ events: { events: wireEvents(1) } });
  await rebuilt.next((m) => m.ack?.up_to_seq === 1);
  t.same(cloud.events('gw-a').map((e) => `${e.epoch}:${e.seq}`), ['e1:1', 'e1:2', 'e1:3', 'e1:4', 'e2:1']);
});

t.test('the first message must be Hello', async (t) => {
  const { open } = await started(t);
  const hub = open();
  hub.send({ ping: { sent_at_ms: 1 } });
  t.match(await hub.closed, { code: grpc.status.INVALID_ARGUMENT, details: /first message must be Hello/ });
});

t.test('a required token is checked', async (t) => {
  const { cloud, open } = await started(t, { token: 'tok-123' });
  const anonymous = open();
  anonymous.send({ hello: { gateway_id: 'gw-b' } });
  t.match(await anonymous.closed, { code: grpc.status.UNAUTHENTICATED });
  const wrong = new grpc.Metadata();
  wrong.set('authorization', 'Bearer tok-124');
  const impostor = open(wrong);
  impostor.send({ hello: { gateway_id: 'gw-b' } });
  t.match(await impostor.closed, { code: grpc.status.UNAUTHENTICATED });
  const right = new grpc.Metadata();
  right.set('authorization', 'Bearer tok-123');
  const hub = open(right);
  hub.send({ hello: { gateway_id: 'gw-b' } });
  await hub.next((m) => !!m.welcome);
  t.match(cloud.connectedGateways(), [{ gatewayId: 'gw-b' }]);
});

t.test('commands wait for an offline gateway and are re-sent until answered', async (t) => {
  const { cloud, open } = await started(t);
  const result = cloud.sendCommand('gw-c', { id: 'cmd-9', kind: 'permit_join', seconds: 60 });
  const first = open();
  first.send({ hello: { gateway_id: 'gw-c' } });
  t.match((await first.next((m) => !!m.command)).command, { id: 'cmd-9', permit_join: { seconds: 60 } });
  first.close();

  const second = open();
  second.send({ hello: { gateway_id: 'gw-c' } });
  await second.next((m) => m.command?.id === 'cmd-9'); // unanswered, so sent again
  second.send({ events: { events: [encodeEvent({ seq: 1, at: 1, event: { kind: 'command_result', commandId: 'cmd-9', ok: true } })] } });
  t.same(await result, { kind: 'command_result', commandId: 'cmd-9', ok: true });

  second.close();
  const third = open();
  third.send({ hello: { gateway_id: 'gw-c' } });
  third.send({ ping: { sent_at_ms: 5 } });
  await third.next((m) => !!m.pong);
  t.notOk(third.received.some((m) => m.command), 'answered commands are not re-sent');
});

t.test('events re-sent after a lost ack are acked again, even with nothing new after them (found by fleet-sim)', async (t) => {
  const { cloud, open } = await started(t);
  const first = open();
  first.send({ hello: { gateway_id: 'gw-e', last_acked_seq: 0, outbox_epoch: 'e1' } });
  first.send({ events: { events: wireEvents(1, 2, 3) } });
  await first.next((m) => m.ack?.up_to_seq === 3);
  first.close();

  // This gateway never saw that ack (the stream went first) and resumes from its own last ack,
  // ignoring the Welcome: at-least-once allows it. Without an ack it would keep 1..3 forever.
  const second = open();
  second.send({ hello: { gateway_id: 'gw-e', last_acked_seq: 0, outbox_epoch: 'e1' } });
  t.same((await second.next((m) => !!m.welcome)).welcome, { last_seq_seen: 3 });
  second.send({ events: { events: wireEvents(1, 2, 3) } });
  t.same((await second.next((m) => !!m.ack, 10_000)).ack, { up_to_seq: 3 }, 'acked on this stream');
  t.same(cloud.events('gw-e').map((e) => e.seq), [1, 2, 3], 'stored once');
  t.equal(cloud.store.duplicates('gw-e'), 3);
});
