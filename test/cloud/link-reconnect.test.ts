// Connections end all the time - dropped streams, a restarted platform, GOAWAY after max
// connection age, no platform at all - and the link always resumes without losing anything.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startReferenceCloud } from '../../scripts/reference-cloud/server.js';
import { createLink, nextLinkEvent, stateEvent } from './helpers/link-fixture.js';

const IEEE = '0x00124b0001abcd01';
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function tempDatabase(t: { teardown(fn: () => unknown): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'reference-cloud-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'cloud.db');
}

t.test('a dropped stream resumes from Welcome: no gap, nothing sent twice', async (t) => {
  const cloud = await startReferenceCloud();
  t.teardown(() => cloud.stop());
  const { link, outbox } = createLink(cloud.port);
  t.teardown(() => link.stop());
  link.start();
  await nextLinkEvent(link, 'connected');

  // The cloud stores 1..20 but its acks are "lost" with the connection.
  cloud.setAcking(false);
  for (const i of range(1, 20)) outbox.append(stateEvent(IEEE, i));
  await cloud.waitForEvent((e) => e.seq === 20);
  t.equal(outbox.pending().length, 20, 'unacked events are still in the outbox');

  const disconnected = nextLinkEvent(link, 'disconnected');
  const reconnected = nextLinkEvent(link, 'connected');
  cloud.dropConnections();
  t.match(await disconnected, { reason: /^stream closed \(UNAVAILABLE\): dropped by the reference cloud$/, retryInMs: Number });
  t.same(await reconnected, { lastSeqSeen: 20 }, 'Welcome says what the cloud has');
  t.same(outbox.pending(), [], 'the link acked what the Welcome covered');

  cloud.setAcking(true);
  for (const i of range(21, 40)) outbox.append(stateEvent(IEEE, i));
  await outbox.waitUntilAcked(40);
  t.same(cloud.events('gw-test').map((e) => e.seq), range(1, 40));
  t.equal(cloud.store.duplicates('gw-test'), 0, 'resumed after the Welcome, not from the last local ack');
});

t.test('a platform restart mid-stream loses nothing', async (t) => {
  const database = tempDatabase(t);
  const first = await startReferenceCloud({ database });
  const { port } = first;
  const { link, outbox } = createLink(port);
  t.teardown(() => link.stop());
  link.start();
  first.setAcking(false);
  for (const i of range(1, 100)) outbox.append(stateEvent(IEEE, i));
  await first.waitForEvent((e) => e.seq === 100);

  const disconnected = nextLinkEvent(link, 'disconnected');
  await first.stop();
  await disconnected;
  // Events keep coming while the platform is down.
  for (const i of range(101, 150)) outbox.append(stateEvent(IEEE, i));
  t.equal(outbox.pending().length, 150, 'nothing deleted without an ack');

  const second = await startReferenceCloud({ port, database });
  t.teardown(() => second.stop());
  t.same(await nextLinkEvent(link, 'connected'), { lastSeqSeen: 100 }, 'the restarted cloud remembers what it stored');
  for (const i of range(151, 200)) outbox.append(stateEvent(IEEE, i));
  await outbox.waitUntilAcked(200);
  t.same(second.events('gw-test').map((e) => e.seq), range(1, 200), 'every event exactly once, in order');
  t.same(outbox.pending(), []);
});

t.test('GOAWAY after max connection age is routine', async (t) => {
  const cloud = await startReferenceCloud({ maxConnectionAgeMs: 300, maxConnectionAgeGraceMs: 50 });
  t.teardown(() => cloud.stop());
  const { link, outbox } = createLink(cloud.port);
  t.teardown(() => link.stop());
  let connections = 0;
  let seq = 0;
  const threeReconnects = new Promise<void>((resolve) =>
    link.on('connected', () => {
      // Each new connection gets a few events; the old ones must all have arrived too.
      for (let i = 0; i < 10; i++) seq = outbox.append(stateEvent(IEEE, seq + 1));
      if (++connections === 4) resolve();
    }),
  );
  link.start();
  await threeReconnects;
  await outbox.waitUntilAcked(seq);
  t.ok(link.status().disconnects >= 3, 'connections were recycled');
  t.same(cloud.events('gw-test').map((e) => e.seq), range(1, seq));
});

t.test('no platform: exponential backoff with a cap, reset after a healthy connection', async (t) => {
  const probe = await startReferenceCloud();
  const port = probe.port;
  await probe.stop();
  // random() = 0 removes the jitter so the delays are exact.
  const { link, outbox } = createLink(port, { random: () => 0, backoff: { initialMs: 10, maxMs: 80, healthyAfterMs: 0 } });
  t.teardown(() => link.stop());
  const delays: number[] = [];
  const sixFailures = new Promise<void>((resolve) =>
    link.on('disconnected', ({ retryInMs }) => {
      if (delays.push(retryInMs ?? -1) === 6) resolve();
    }),
  );
  outbox.append(stateEvent(IEEE, 1));
  link.start();
  await sixFailures;
  t.same(delays, [10, 20, 40, 80, 80, 80]);

  const cloud = await startReferenceCloud({ port });
  t.teardown(() => cloud.stop());
  await outbox.waitUntilAcked(1);
  const afterHealthy = nextLinkEvent(link, 'disconnected');
  cloud.dropConnections();
  t.equal((await afterHealthy).retryInMs, 10, 'backoff starts over after a healthy connection');
});

t.test('stop() ends the stream and stops reconnecting', async (t) => {
  const cloud = await startReferenceCloud();
  t.teardown(() => cloud.stop());
  const { link } = createLink(cloud.port);
  link.start();
  await cloud.waitForConnection('gw-test');
  const disconnected = nextLinkEvent(link, 'disconnected');
  await link.stop();
  t.same(await disconnected, { reason: 'link stopped' }, 'no retry announced');
  t.equal(link.status().state, 'stopped');
  t.throws(() => link.start(), /cannot start/);
});
