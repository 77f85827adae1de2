// A platform whose Welcome claims more than the hub ever committed (the hub's database lost its
// last commits on a lying SD card, or a hub.db was restored by hand): the hub must not reuse seqs
// the platform has, or the platform drops those events as duplicates. Real store, real gRPC,
// and a platform that de-duplicates per (epoch, seq) exactly as the protocol says.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { HubEvent } from '../../daemon/domain/events.js';
import { decodeEvent } from '../../daemon/cloud/event-codec.js';
import type { HubMessage } from '../../daemon/cloud/wire.js';
import { openStore } from '../../daemon/store/index.js';
import { CaptureLog } from './helpers/capture-log.js';
import { createLink, stateEvent } from './helpers/link-fixture.js';
import { startScriptedCloud } from './helpers/scripted-cloud.js';

const IEEE = '0x00124b0001abcd01';
const CLAIMED = 100;

/** Stores what a correct platform keeps: per epoch, only seqs above what it already has. */
function platform() {
  const cursors = new Map<string, number>();
  const stored: Array<{ epoch: string; seq: number; event: HubEvent }> = [];
  let firstEpoch: string | undefined;
  const waiters: Array<() => void> = [];
  const handle = (call: Parameters<Parameters<typeof startScriptedCloud>[0]>[0]) => {
    let epoch = '';
    call.on('data', (message: HubMessage) => {
      if (message.hello) {
        epoch = message.hello.outbox_epoch ?? '';
        firstEpoch ??= epoch;
        // It "has" seqs 1..CLAIMED of the hub's first epoch from before the hub lost them.
        if (epoch === firstEpoch && !cursors.has(epoch)) cursors.set(epoch, CLAIMED);
        call.write({ welcome: { last_seq_seen: cursors.get(epoch) ?? 0 } });
      }
      const events = message.events?.events ?? [];
      for (const wire of events) {
        if (wire.seq! <= (cursors.get(epoch) ?? 0)) continue; // a duplicate by the protocol's rule
        cursors.set(epoch, wire.seq!);
        stored.push({ epoch, seq: wire.seq!, event: decodeEvent(wire)!.event });
      }
      if (events.length > 0) call.write({ ack: { up_to_seq: cursors.get(epoch)! } });
      for (const wake of waiters.splice(0)) wake();
    });
    call.on('error', () => undefined);
  };
  const until = (check: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`platform never got ${what}; it has ${JSON.stringify(stored)}`)), 10_000);
      const poll = () => (check() ? (clearTimeout(timer), resolve()) : waiters.push(poll));
      poll();
    });
  return { handle, stored, until, firstEpoch: () => firstEpoch };
}

const temperatures = (events: Array<{ event: HubEvent }>) =>
  events.flatMap(({ event }) => (event.kind === 'state_changed' ? [event.state.temperature] : []));

t.test('a Welcome above what the hub committed: new epoch, resync, and every event still arrives', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'welcome-ahead-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const cloud = platform();
  const server = await startScriptedCloud(cloud.handle);
  t.teardown(() => server.stop());

  const store = openStore({ path: join(dir, 'hub.db'), log: new CaptureLog(), commitIntervalMs: 5 });
  t.teardown(() => store.close());
  // Committed after the loss, before the link is up: seqs 1..3, which the platform already has.
  for (let i = 1; i <= 3; i++) store.events.append(stateEvent(IEEE, i));
  await store.flush();
  const { link, log } = createLink(server.port, { outbox: store.outbox, emit: (event) => store.events.append(event) });
  t.teardown(() => link.stop());
  link.start();

  await cloud.until(() => temperatures(cloud.stored).includes(3), 'the events committed before the Welcome');
  // Committed afterwards.
  for (let i = 4; i <= 8; i++) store.events.append(stateEvent(IEEE, i));
  await cloud.until(() => temperatures(cloud.stored).includes(8), 'the events committed after the Welcome');
  const last = cloud.stored.at(-1)!.seq;
  await new Promise<void>((resolve) => {
    const off = link.on('acked', ({ upToSeq }) => {
      if (upToSeq < last) return;
      off();
      resolve();
    });
    if (store.outbox.lastAcked() >= last) {
      off();
      resolve();
    }
  });
  await store.flush(); // the acks' deletes

  t.same(temperatures(cloud.stored), [1, 2, 3, 4, 5, 6, 7, 8], 'every event reached the platform, once, in order');
  t.notOk(cloud.stored.some((e) => e.epoch === cloud.firstEpoch()), 'nothing was stored under the old epoch (it would have reused seqs)');
  const resync = cloud.stored.find((e) => e.event.kind === 'resync_requested')!;
  t.ok(resync.seq > CLAIMED, `new seqs (${resync.seq}) lie above what the platform had seen`);
  t.match(resync.event, { reason: /seen seq 100.*only reached 3/ });
  t.ok(cloud.stored.filter((e) => e.seq > resync.seq).every((e) => e.seq > CLAIMED));
  t.equal(store.outbox.stats().events, 0, 'the outbox emptied only through acks of what the platform stored');
  t.match(log.text(), /error cloud has seen events this hub does not have/);
});
