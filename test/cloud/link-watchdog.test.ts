// A black-holed link - the platform stops answering but never closes the stream, so neither
// TCP nor HTTP/2 notice - is detected by the watchdog, and the link reconnects and catches up.
import t from 'tap';
import { startReferenceCloud } from '../../scripts/reference-cloud/server.js';
import { createLink, nextLinkEvent, stateEvent } from './helpers/link-fixture.js';

const IEEE = '0x00124b0001abcd01';

t.test('the watchdog notices a silent platform and reconnects without loss', async (t) => {
  const cloud = await startReferenceCloud();
  t.teardown(() => cloud.stop());
  const { link, outbox, log } = createLink(cloud.port, { pingIntervalMs: 50, watchdogMs: 300 });
  t.teardown(() => link.stop());
  outbox.append(stateEvent(IEEE, 1));
  link.start();
  await outbox.waitUntilAcked(1);

  const disconnected = nextLinkEvent(link, 'disconnected');
  cloud.blackholeConnections();
  // Events committed while the link is black-holed are sent into the void, never acked...
  outbox.append(stateEvent(IEEE, 2));
  outbox.append(stateEvent(IEEE, 3));
  const reconnected = nextLinkEvent(link, 'connected');
  t.match(await disconnected, { reason: /^watchdog: nothing heard for \d+ ms$/ });
  t.match(log.text(), /cloud link silent, reconnecting/);

  // ...so the next connection re-sends them.
  t.same(await reconnected, { lastSeqSeen: 1 });
  await outbox.waitUntilAcked(3);
  t.same(cloud.events('gw-test').map((e) => e.seq), [1, 2, 3]);
});

t.test('pings keep an idle but healthy link alive', async (t) => {
  const cloud = await startReferenceCloud();
  t.teardown(() => cloud.stop());
  const { link, log } = createLink(cloud.port, { pingIntervalMs: 40, watchdogMs: 600 });
  t.teardown(() => link.stop());
  link.start();
  await nextLinkEvent(link, 'connected');
  // 25 answered pings span well over the watchdog's 600 ms with no events on the link.
  await log.waitFor(/cloud pong/, 25);
  t.equal(link.status().disconnects, 0, 'never considered silent');
  t.equal(link.status().state, 'connected');
});
