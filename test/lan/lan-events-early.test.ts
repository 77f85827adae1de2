// LAN watchers see a change as soon as it is decided, one commit before it is durable; the
// cloud's reader (readAfter after onAppend) still sees it only once committed. When that commit
// fails (a real full disk: a small tmpfs), every watcher that was sent a lost event is ended
// with ABORTED, the lost seqs are never given to other events, and a resume from one of them
// gets a fresh snapshot showing what is stored. Real SQLite, real gRPC over TLS on port 0.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import t from 'tap';
import { tokenHash } from '../../daemon/lan/tokens.js';
import type { Store } from '../../daemon/store/index.js';
import { watchCall } from '../../scripts/hubctl/calls.js';
import { mountSmallDisk } from '../e2e/start-failure.js';
import { committedEvents, device } from '../store/helpers.js';
import { startTestLan, type TestLan } from './helpers.js';

type Item = Record<string, any>;

function collect(stream: grpc.ClientReadableStream<Item>) {
  const items: Item[] = [];
  let ended: (error: { code: number; details: string } | undefined) => void = () => undefined;
  const end = new Promise<{ code: number; details: string } | undefined>((resolve) => (ended = resolve));
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  stream.on('data', (item: Item) => {
    items.push(item);
    for (const w of waiters.filter((w) => items.length >= w.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  stream.on('error', (error: { code: number; details: string }) => ended(error));
  stream.on('end', () => ended(undefined));
  return {
    items,
    end,
    count: (n: number) => (items.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
  };
}

/** True if `promise` settles within `ms` (a bound for a failing run, not a speed claim). */
function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** A read token, stored as pairing stores one (pairing itself waits for a flush; not under test here). */
function readToken(lan: TestLan): string {
  const token = 'early-delivery-test-token';
  lan.store.lanClients.add({ id: 'c-early', name: 'early', tokenSha256: tokenHash(token), scope: 'read' });
  return token;
}

/** Commits at once whatever is queued: a command's started record is durable when add() returns. */
let commits = 0;
function commitNow(store: Store): void {
  store.seenCommands.add(`test-commit-${++commits}`);
}

const eventsOf = (item: Item): Item[] => item['events']?.events ?? (item['event'] ? [item['event']] : []);

t.test('a watcher gets a change before its commit; the cloud reader only after it', async (t) => {
  // After the first commit, the next is a minute away unless forced: the change waits as it
  // would for a slow fsync, for as long as the test wants.
  const lan = await startTestLan(t, { store: { commitIntervalMs: 60_000, maxPendingWrites: 100_000 } });
  const sensor = device(1);
  lan.store.devices.upsert(sensor);
  const token = readToken(lan);
  commitNow(lan.store);
  const seen = collect(watchCall(await lan.client(), { batch_events: true }, token));
  await seen.count(1);
  t.ok(seen.items[0]!['snapshot'], 'the stream starts with a snapshot');

  const order: string[] = [];
  const off = lan.store.outbox.onAppend(() => order.push('committed'));
  t.teardown(off);
  const committedBefore = lan.store.outbox.lastCommittedSeq();
  lan.store.state.apply(sensor.ieee, { temperature: 21.5 });
  const arrived = await within(
    seen.count(2).then(() => order.push('watcher')),
    30_000,
  );
  t.ok(arrived, 'the watcher got the change while its commit was still waiting');
  const [event] = eventsOf(seen.items[1] ?? {});
  t.match(event, { payload: 'state_changed' });
  t.same(order, ['watcher'], 'nothing was committed yet');
  t.equal(lan.store.outbox.lastCommittedSeq(), committedBefore, 'the outbox has not committed it');
  t.same(lan.store.outbox.readAfter(committedBefore, 10), [], "the cloud link's read does not see it");

  commitNow(lan.store);
  await new Promise((resolve) => setImmediate(resolve));
  t.same(order, ['watcher', 'committed'], 'committed after the watcher had it');
  t.same(
    lan.store.outbox.readAfter(committedBefore, 10).map((e) => [e.seq, e.event.kind]),
    [[Number(event.seq), 'state_changed']],
    'the cloud reads it once committed, under the seq the watcher saw',
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.equal(seen.items.length, 2, 'the commit sends the watcher nothing twice');
});

// Not t.testdir: its removal would run before the unmount.
const diskDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lan-early-'));
const disk = mountSmallDisk(path.join(diskDir, 'disk'), 4 * 1024);
t.teardown(() => {
  disk?.unmount();
  fs.rmSync(diskDir, { recursive: true, force: true });
});

t.test('a lost commit ends the watchers that saw it with ABORTED; its seqs never come back', { skip: disk ? false : 'mounting a tmpfs is not allowed here (needs CAP_SYS_ADMIN)' }, async (t) => {
  if (!disk) return;
  const dbPath = path.join(diskDir, 'disk', 'hub.db');
  const lan = await startTestLan(t, { storePath: dbPath, store: { commitIntervalMs: 1, storageRetryMs: 100 } });
  const sensor = device(1);
  lan.store.devices.upsert(sensor);
  lan.store.state.apply(sensor.ieee, { temperature: -1 });
  const token = readToken(lan);
  await lan.store.flush();
  const client = await lan.client();
  const watching = collect(watchCall(client, { batch_events: true }, token));
  await watching.count(1);
  const epoch = String(watching.items[0]!['snapshot'].epoch);

  disk.fill();
  /** Reports until one's commit fails; false if none did. */
  const loseACommit = async (base: number): Promise<boolean> => {
    for (let i = 0; i < 50; i++) {
      try {
        lan.store.state.apply(sensor.ieee, { temperature: base + i, padding: 'x'.repeat(20_000) });
      } catch {
        continue; // SQLite gave up inside the write: nothing was handed out, try again
      }
      if (await lan.store.flush().then(() => false, () => true)) return true;
    }
    return false;
  };
  t.ok(await loseACommit(0), 'a commit failed on the full disk');
  const ended = await within(watching.end, 30_000);
  t.ok(ended, 'the watcher was ended');
  if (!ended) return;
  const status = await watching.end;
  t.equal(status?.code, grpc.status.ABORTED, 'with ABORTED');
  t.match(status?.details, /could not store events \d+\.\.\d+ it had already sent \(.*full.*\); they did not happen: watch again without after_seq/);
  const [, from, to] = /events (\d+)\.\.(\d+)/.exec(status?.details ?? '')!.map(Number) as [number, number, number];

  // Still full: a watcher that came after the loss is sent the next change, and told of its loss.
  const second = collect(watchCall(client, { batch_events: true }, token));
  await second.count(1);
  t.ok(await loseACommit(100), 'another commit failed');
  const secondEnded = await within(second.end, 30_000);
  t.ok(secondEnded, 'the later watcher was ended too');
  if (!secondEnded) return;
  const secondStatus = await second.end;
  t.equal(secondStatus?.code, grpc.status.ABORTED);
  const to2 = Number(/events \d+\.\.(\d+)/.exec(secondStatus?.details ?? '')?.[1]);
  t.ok(to2 > to, `its lost seqs lie above the first loss's (${to2} > ${to})`);

  disk.free();
  const recovered = await within(
    (async () => {
      while (lan.store.storageProblem() !== undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    })(),
    30_000,
  );
  t.ok(recovered, 'storage works again');
  lan.store.state.apply(sensor.ieee, { temperature: 99 });
  await lan.store.flush();

  const stored = committedEvents(dbPath);
  t.same(
    stored.filter((e) => e.seq >= from && e.seq <= to2),
    [],
    `no committed event took a lost seq (${from}..${to2})`,
  );
  t.ok(stored.at(-1)!.seq > to2, 'later events are numbered above them');

  for (const afterSeq of [to, to2]) {
    const resumed = collect(watchCall(client, { after_seq: afterSeq, epoch, batch_events: true }, token));
    await resumed.count(1);
    const snapshot = resumed.items[0]!['snapshot'];
    t.ok(snapshot, `a resume from lost seq ${afterSeq} gets a fresh snapshot`);
    t.match(snapshot.devices[0].state.fields.temperature, { numberValue: 99 }, 'showing what is stored');
    t.ok(Number(snapshot.seq) < from || Number(snapshot.seq) > to2, 'as of a seq that was stored');
  }
});

t.test('the WatchEvents snapshot holds every group with its members and state, as ListGroups does', async (t) => {
  const lan = await startTestLan(t);
  const bulb = device(1);
  lan.store.devices.upsert(bulb);
  lan.store.groups.create(3, 'Hall');
  lan.store.groups.addMember(3, bulb.ieee, 1);
  lan.store.groupState.apply(3, { state: 'ON', brightness: 120 });
  lan.store.groups.create(4, 'Empty');
  await lan.store.flush();
  const { token } = await lan.pair('read');
  const seen = collect(watchCall(await lan.client(), { batch_events: true }, token));
  await seen.count(1);
  const listed = await lan.call('ListGroups', {}, token);
  const groups = seen.items[0]!['snapshot'].groups as Item[];
  t.match(groups, [
    { id: 3, name: 'Hall', members: [{ ieee: bulb.ieee, endpoint: 1 }], state: { fields: { state: { stringValue: 'ON' }, brightness: { numberValue: 120 } } } },
    { id: 4, name: 'Empty', members: [] },
  ]);
  t.same(groups, listed['groups'], 'the same groups ListGroups returns');
});

t.test('after a restart, a client of the earlier run resumes only from what that run committed', async (t) => {
  // A run that died before its commit may have sent seqs the next run gives to other events:
  // only the seq committed when this run started is certain to mean the same event.
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lan-restart-'));
  t.teardown(() => fs.rmSync(storeDir, { recursive: true, force: true }));
  const storePath = path.join(storeDir, 'hub.db');
  const sensor = device(1);
  const earlier: { token?: string; epoch?: string; lastSeq?: number } = {};
  await t.test('the earlier run', async (t) => {
    const lan = await startTestLan(t, { storePath });
    lan.store.devices.upsert(sensor);
    await lan.store.flush();
    earlier.token = (await lan.pair('read')).token;
    const seen = collect(watchCall(await lan.client(), { batch_events: true }, earlier.token));
    await seen.count(1);
    earlier.epoch = String(seen.items[0]!['snapshot'].epoch);
    lan.store.state.apply(sensor.ieee, { temperature: 20 });
    await lan.store.flush();
    await seen.count(2);
    earlier.lastSeq = Number(eventsOf(seen.items[1]!).at(-1)!['seq']);
  });
  const lan = await startTestLan(t, { storePath });
  const token = earlier.token!;
  const lastSeq = earlier.lastSeq!;
  t.equal(lan.store.outbox.lastCommittedSeq(), lastSeq, 'the earlier run committed up to the seq its client saw');
  lan.store.state.apply(sensor.ieee, { temperature: 21 });
  lan.store.state.apply(sensor.ieee, { temperature: 22 });
  await lan.store.flush();
  const client = await lan.client();
  const first = async (request: Item) => {
    const stream = collect(watchCall(client, { ...request, batch_events: true }, token));
    await stream.count(1);
    return stream.items[0]!;
  };

  const caughtUp = await first({ after_seq: lastSeq, epoch: earlier.epoch });
  t.same(eventsOf(caughtUp).map((e) => Number(e['seq'])), [lastSeq + 1, lastSeq + 2], 'from the seq the earlier run committed: resumed, no snapshot');
  const beyond = await first({ after_seq: lastSeq + 1, epoch: earlier.epoch });
  t.ok(beyond['snapshot'], "a seq above what the earlier run committed (it may have been one it lost): a snapshot");
  t.not(beyond['snapshot'].epoch, earlier.epoch, 'with the epoch of this run');
  const thisRun = await first({ after_seq: lastSeq + 1, epoch: beyond['snapshot'].epoch });
  t.same(eventsOf(thisRun).map((e) => Number(e['seq'])), [lastSeq + 2], "the same seq with this run's epoch: resumed");
});
