// The link on the real store (SQLite in a temp dir): events committed by the store reach the
// reference cloud, leave the outbox only when acked, the ack cursor survives a store restart,
// and command results go through the store's outbox.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { openStore } from '../../daemon/store/index.js';
import { startReferenceCloud } from '../../scripts/reference-cloud/server.js';
import { CaptureLog } from './helpers/capture-log.js';
import { createLink, nextLinkEvent, stateEvent } from './helpers/link-fixture.js';

const IEEE = '0x00124b0001abcd01';

t.test('store outbox -> link -> reference cloud, and back for command results', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'link-store-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'hub.db');
  const cloud = await startReferenceCloud();
  t.teardown(() => cloud.stop());

  const store = openStore({ path, log: new CaptureLog(), commitIntervalMs: 5 });
  const first = createLink(cloud.port, { outbox: store.outbox, emit: (event) => store.events.append(event) });
  first.link.start();
  cloud.setAcking(false);
  for (let i = 1; i <= 50; i++) store.events.append(stateEvent(IEEE, i));
  await cloud.waitForEvent((e) => e.seq === 50);
  t.equal(store.outbox.stats().events, 50, 'delivered but unacked: still in SQLite');

  cloud.setAcking(true);
  const result = await cloud.sendCommand('gw-test', { kind: 'permit_join', seconds: 42 });
  t.same(first.executed.map((c) => c.kind), ['permit_join']);
  t.match(result, { ok: true });
  t.equal(cloud.events('gw-test').at(-1)!.seq, 51, 'the result is outbox event 51');
  await new Promise<void>((resolve) => {
    const off = first.link.on('acked', ({ upToSeq }) => upToSeq >= 51 && (off(), resolve()));
    if (store.outbox.lastAcked() >= 51) resolve();
  });
  await first.link.stop();
  await store.flush();
  t.equal(store.outbox.lastAcked(), 51);
  t.equal(store.outbox.stats().events, 0, 'acked events deleted from SQLite');
  await store.close();

  // The reopened store remembers the cursor; the next Hello carries it.
  const reopened = openStore({ path, log: new CaptureLog(), commitIntervalMs: 5 });
  t.teardown(() => reopened.close());
  t.equal(reopened.outbox.lastAcked(), 51);
  const second = createLink(cloud.port, { outbox: reopened.outbox, emit: (event) => reopened.events.append(event) });
  t.teardown(() => second.link.stop());
  second.link.start();
  t.same(await nextLinkEvent(second.link, 'connected'), { lastSeqSeen: 51 });
  reopened.events.append(stateEvent(IEEE, 99));
  const next = await cloud.waitForEvent((e) => e.seq > 51);
  t.equal(next.seq, 52);
  t.same(cloud.events('gw-test').map((e) => e.seq), Array.from({ length: 52 }, (_, i) => i + 1));
});
