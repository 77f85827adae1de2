// Delivery over a real gRPC stream to the reference cloud: seq order, cumulative acks that
// delete only what was acknowledged, resume from Welcome, de-duplication by the cloud.
import t from 'tap';
import { startReferenceCloud } from '../../scripts/reference-cloud/server.js';
import { createLink, stateEvent } from './helpers/link-fixture.js';

const IEEE = '0x00124b0001abcd01';

t.test('events flow in seq order and leave the outbox only once acked', async (t) => {
  const cloud = await startReferenceCloud();
  t.teardown(() => cloud.stop());
  const { link, outbox } = createLink(cloud.port);
  t.teardown(() => link.stop());

  for (let i = 1; i <= 5; i++) outbox.append(stateEvent(IEEE, 20 + i));
  cloud.setAcking(false);
  link.start();
  await cloud.waitForEvent((e) => e.seq === 5);
  t.equal(outbox.pending().length, 5, 'nothing deleted while the cloud has not acked');

  cloud.setAcking(true);
  await outbox.waitUntilAcked(5);
  t.same(outbox.pending(), [], 'acked events deleted');

  for (let i = 6; i <= 250; i++) outbox.append(stateEvent(IEEE, i));
  await outbox.waitUntilAcked(250);
  const seqs = cloud.events('gw-test').map((e) => e.seq);
  t.same(seqs, Array.from({ length: 250 }, (_, i) => i + 1), 'every seq once, in order');
  t.equal(cloud.events('gw-test')[0]!.event.kind, 'state_changed');
  t.same(cloud.events('gw-test')[0]!.event, stateEvent(IEEE, 21), 'numbers stay numbers, booleans stay booleans');
});

t.test('in-flight window bounds unacknowledged events', async (t) => {
  const cloud = await startReferenceCloud();
  t.teardown(() => cloud.stop());
  const { link, outbox } = createLink(cloud.port, { maxInFlight: 10, maxBatch: 4 });
  t.teardown(() => link.stop());
  cloud.setAcking(false);
  for (let i = 1; i <= 30; i++) outbox.append(stateEvent(IEEE, i));
  link.start();
  await cloud.waitForEvent((e) => e.seq === 10);
  // Wake the link (a new append) and let its pump run: it must still not pass the window.
  outbox.append(stateEvent(IEEE, 31));
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  t.match(link.status(), { state: 'connected', sentUpTo: 10, inFlight: 10 }, 'stops at the window');
  t.equal(cloud.events('gw-test').length, 10);
  cloud.setAcking(true);
  await outbox.waitUntilAcked(31);
  t.equal(cloud.events('gw-test').length, 31);
});
