// The link defends its outbox against a platform that breaks the protocol: it never deletes
// what it has not sent, and it does not skip events when the platform claims too little.
import t from 'tap';
import type { HubMessage } from '../../daemon/cloud/wire.js';
import { createLink, stateEvent } from './helpers/link-fixture.js';
import { startScriptedCloud } from './helpers/scripted-cloud.js';

const IEEE = '0x00124b0001abcd01';

t.test('an ack beyond what was sent is clamped to what was sent', async (t) => {
  const received: number[] = [];
  let allReceived!: () => void;
  const done = new Promise<void>((resolve) => (allReceived = resolve));
  const cloud = await startScriptedCloud((call) => {
    call.on('data', (message: HubMessage) => {
      if (message.hello) call.write({ welcome: { last_seq_seen: 0 } });
      for (const event of message.events?.events ?? []) received.push(event.seq!);
      if (message.events) call.write({ ack: { up_to_seq: 1000 } }); // a buggy platform
      if (received.length === 6) allReceived();
    });
  });
  t.teardown(() => cloud.stop());
  const { link, outbox, log } = createLink(cloud.port, { maxInFlight: 3, maxBatch: 3 });
  t.teardown(() => link.stop());
  for (let i = 1; i <= 6; i++) outbox.append(stateEvent(IEEE, i));
  link.start();
  await done;
  await outbox.waitUntilAcked(6);
  t.same(received, [1, 2, 3, 4, 5, 6], 'everything was still sent');
  t.same(outbox.acks, [3, 6], 'the outbox only ever acked what had been sent');
  t.match(log.text(), /cloud acked beyond what was sent; clamped/);
});

t.test('a Welcome below the last ack resumes after the last ack and warns', async (t) => {
  const received: number[] = [];
  let gotEight!: () => void;
  const done = new Promise<void>((resolve) => (gotEight = resolve));
  let helloAcked = -1;
  const cloud = await startScriptedCloud((call) => {
    call.on('data', (message: HubMessage) => {
      if (message.hello) {
        helloAcked = message.hello.last_acked_seq!;
        call.write({ welcome: { last_seq_seen: 2 } }); // a platform that lost data
      }
      for (const event of message.events?.events ?? []) received.push(event.seq!);
      if (received.at(-1) === 8) gotEight();
    });
  });
  t.teardown(() => cloud.stop());
  const { link, outbox, log } = createLink(cloud.port);
  t.teardown(() => link.stop());
  for (let i = 1; i <= 8; i++) outbox.append(stateEvent(IEEE, i));
  outbox.ack(5);
  link.start();
  await done;
  t.equal(helloAcked, 5, 'Hello carries the last acked seq');
  t.same(received, [6, 7, 8]);
  t.match(log.text(), /cloud has fewer events than it acknowledged before/);
});

t.test('a platform that never welcomes is left by the watchdog', async (t) => {
  let calls = 0;
  let secondCall!: () => void;
  const retried = new Promise<void>((resolve) => (secondCall = resolve));
  const cloud = await startScriptedCloud(() => {
    if (++calls === 2) secondCall();
  });
  t.teardown(() => cloud.stop());
  const { link } = createLink(cloud.port, { pingIntervalMs: 50, watchdogMs: 200 });
  t.teardown(() => link.stop());
  link.start();
  await retried;
  t.match(link.status().lastDisconnectReason, /^watchdog/);
});
