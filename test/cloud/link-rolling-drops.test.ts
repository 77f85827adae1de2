// A rolling deploy of the platform: every stream is dropped after a few events. Each dropped
// stream still delivered (an acked batch), so the backoff starts over and delivery keeps pace;
// it must not grow towards its cap as it did when only time connected counted.
import t from 'tap';
import { createLink, stateEvent } from './helpers/link-fixture.js';
import { ProtoOnlyCloud } from './helpers/proto-only-cloud.js';

const IEEE = '0x00124b0001abcd01';
const EVENTS = 40;

t.test('streams dropped after every few events: retries stay at the first delay, all events arrive in order', async (t) => {
  const cloud = await ProtoOnlyCloud.start({ dropAfterEvents: 3 });
  t.teardown(() => cloud.stop());
  const initialMs = 100;
  const { link, outbox } = createLink(cloud.port, {
    // Long enough that a pre-fix backoff (doubling per drop) takes minutes for ~14 drops.
    backoff: { initialMs, maxMs: 30_000, jitter: 0, healthyAfterMs: 60_000 },
    maxBatch: 3,
    maxInFlight: 3,
  });
  const retries: number[] = [];
  link.on('disconnected', ({ retryInMs }) => retries.push(retryInMs ?? -1));
  t.teardown(() => link.stop());
  for (let i = 1; i <= EVENTS; i++) outbox.append(stateEvent(IEEE, i));
  link.start();

  await outbox.waitUntilAcked(EVENTS, 20_000);
  t.same(cloud.events.map((event) => event.seq), Array.from({ length: EVENTS }, (_, i) => i + 1), 'every event once, in seq order');
  t.ok(cloud.streams >= Math.floor(EVENTS / 3), `the platform dropped ${cloud.streams} streams`);
  t.ok(retries.length >= Math.floor(EVENTS / 3) - 1, `${retries.length} reconnects`);
  t.same([...new Set(retries)], [initialMs], 'every retry after a stream that delivered waits only the first delay');
});

t.test('streams that deliver nothing still back off', async (t) => {
  // Nothing to send: every stream is welcomed and then dropped by the platform going away.
  const cloud = await ProtoOnlyCloud.start();
  t.teardown(() => cloud.stop());
  const { link } = createLink(cloud.port, { backoff: { initialMs: 20, maxMs: 10_000, jitter: 0, healthyAfterMs: 60_000 } });
  const retries: number[] = [];
  link.on('disconnected', ({ retryInMs }) => retries.push(retryInMs ?? -1));
  link.on('connected', () => setImmediate(() => cloud.dropAll()));
  t.teardown(() => link.stop());
  link.start();
  while (retries.length < 4) await new Promise((resolve) => link.on('disconnected', () => resolve(undefined)));
  t.same(retries.slice(0, 4), [20, 40, 80, 160], 'grows as before');
});
