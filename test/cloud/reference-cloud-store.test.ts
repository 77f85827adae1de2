// The reference cloud as a real tool: a child process keeping events and per-(gateway, epoch)
// cursors in its own SQLite file, many gateways at once, de-duplication by (gateway, epoch,
// seq), a restart (a crash) that keeps both, and `events`/`cursors` querying the file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { encodeEvent } from '../../daemon/cloud/event-codec.js';
import { CloudProcess, runTool, type ToolRun } from '../../scripts/lib/reference-cloud-process.js';
import { runCloudTool } from '../../scripts/reference-cloud/tool.js';
import { createLink, nextLinkEvent, stateEvent } from './helpers/link-fixture.js';
import { RawHub } from './helpers/raw-hub.js';

const IEEE = '0x00124b0001abcd01';
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

interface QueriedEvent {
  gatewayId: string;
  epoch: string;
  seq: number;
  event: { kind: string; state?: Record<string, unknown> };
}

function tempDatabase(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'reference-cloud-store-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'cloud.db');
}

async function startCloud(t: Test, args: string[]) {
  const cloud = await CloudProcess.start(args);
  t.teardown(() => cloud.stop('SIGKILL'));
  return cloud;
}

/** The query tool in this process (the same code as `npm run cloud -- ...`, without a process start per query). */
async function tool(args: string[]): Promise<ToolRun> {
  const stdout: string[] = [];
  let stderr = '';
  const code = await runCloudTool(args, { stdout: (line) => stdout.push(line), stderr: (line) => (stderr += line + '\n') });
  return { code, stdout, stderr };
}

async function queryEvents(t: Test, db: string, gateway: string, ...extra: string[]): Promise<QueriedEvent[]> {
  const run = await tool(['events', '--db', db, '--gateway', gateway, '--json', ...extra]);
  t.equal(run.code, 0, `events --gateway ${gateway} exits 0 ${run.stderr}`);
  return run.stdout.map((line) => JSON.parse(line) as QueriedEvent);
}

async function queryCursors(t: Test, db: string): Promise<Array<{ gatewayId: string; epoch: string; lastSeq: number; events: number; duplicates: number }>> {
  const run = await tool(['cursors', '--db', db, '--json']);
  t.equal(run.code, 0, `cursors exits 0 ${run.stderr}`);
  return run.stdout.map((line) => JSON.parse(line) as { gatewayId: string; epoch: string; lastSeq: number; events: number; duplicates: number });
}

t.test('two gateways at once, each under its own cursor; a query returns what was stored', async (t) => {
  const db = tempDatabase(t);
  const cloud = await startCloud(t, ['--port', '0', '--db', db, '--quiet']);
  const links = ['gw-a', 'gw-b'].map((gatewayId, index) => {
    const fixture = createLink(cloud.port, { gatewayId, maxBatch: 5 });
    t.teardown(() => fixture.link.stop());
    // Different values per gateway, so a mix-up between them shows.
    for (const i of range(1, 40)) fixture.outbox.append(stateEvent(IEEE, 1000 * (index + 1) + i));
    return fixture;
  });
  for (const { link } of links) link.start();
  await Promise.all(links.map(({ outbox }) => outbox.waitUntilAcked(40, 60_000)));

  for (const [index, gateway] of ['gw-a', 'gw-b'].entries()) {
    const events = await queryEvents(t, db, gateway);
    t.same(events.map((e) => e.seq), range(1, 40), `${gateway}: every event once, in order`);
    t.same(
      events.map((e) => e.event.state?.temperature),
      range(1, 40).map((i) => 1000 * (index + 1) + i),
      `${gateway}: its own events only`,
    );
    t.ok(events.every((e) => e.gatewayId === gateway && e.event.kind === 'state_changed'));
  }
  t.same((await queryEvents(t, db, 'gw-b', '--since', '35')).map((e) => e.seq), range(36, 40), '--since SEQ');
  t.same(
    (await queryCursors(t, db)).map(({ gatewayId, lastSeq, events, duplicates }) => ({ gatewayId, lastSeq, events, duplicates })),
    [
      { gatewayId: 'gw-a', lastSeq: 40, events: 40, duplicates: 0 },
      { gatewayId: 'gw-b', lastSeq: 40, events: 40, duplicates: 0 },
    ],
  );
  // Once as a person runs it: a process of its own, readable lines without --json.
  const readable = await runTool(['events', '--db', db, '--gateway', 'gw-a', '--since', '39']);
  t.equal(readable.code, 0, readable.stderr);
  t.match(readable.stdout, [/^\[gw-a #40 [\d:.]+\] state_changed 0x00124b0001abcd01 \{"temperature":1040\}/], 'readable lines without --json');
});

t.test('a duplicate re-sent after a dropped ack is stored once', async (t) => {
  const db = tempDatabase(t);
  const cloud = await startCloud(t, ['--port', '0', '--db', db, '--control-port', '0']);
  const wire = (...seqs: number[]) =>
    seqs.map((seq) => encodeEvent({ seq, at: 1_763_000_000_000 + seq, event: { kind: 'availability_changed', ieee: IEEE, available: seq % 2 === 0 } }));
  const hello = { hello: { gateway_id: 'gw-d', firmware_version: '1.0', last_acked_seq: 0, outbox_epoch: 'e1' } };

  t.match(await cloud.control({ op: 'acking', enabled: false }), { ok: true });
  const first = new RawHub(cloud.port);
  t.teardown(() => first.close());
  first.send(hello);
  await first.next((m) => !!m.welcome);
  first.send({ events: { events: wire(1, 2, 3) } });
  await cloud.nextLine(/^\[gw-d #3 /);
  t.notOk(first.received.some((m) => m.ack), 'no ack reached the gateway');
  t.match(await cloud.control({ op: 'drop' }), { ok: true });
  await first.closed;

  // The gateway never saw an ack for 1..3, so it sends them again, then 4 and 5.
  t.match(await cloud.control({ op: 'acking', enabled: true }), { ok: true });
  const second = new RawHub(cloud.port);
  t.teardown(() => second.close());
  second.send(hello);
  t.same((await second.next((m) => !!m.welcome)).welcome, { last_seq_seen: 3 }, 'Welcome says what is stored');
  second.send({ events: { events: wire(1, 2, 3, 4, 5) } });
  t.same((await second.next((m) => !!m.ack, 30_000)).ack, { up_to_seq: 5 }, 'the ack covers the duplicates too');

  t.same((await queryEvents(t, db, 'gw-d')).map((e) => `${e.epoch}:${e.seq}`), ['e1:1', 'e1:2', 'e1:3', 'e1:4', 'e1:5'], 'each seq stored once');
  t.match(await queryCursors(t, db), [{ gatewayId: 'gw-d', epoch: 'e1', lastSeq: 5, events: 5, duplicates: 3 }]);
});

t.test('a crashed and restarted cloud keeps its events and cursors', async (t) => {
  const db = tempDatabase(t);
  const first = await startCloud(t, ['--port', '0', '--db', db, '--quiet']);
  const { port } = first;
  const { link, outbox } = createLink(port, { gatewayId: 'gw-r', maxBatch: 10 });
  t.teardown(() => link.stop());
  for (const i of range(1, 50)) outbox.append(stateEvent(IEEE, i));
  link.start();
  await outbox.waitUntilAcked(50, 60_000);

  const disconnected = nextLinkEvent(link, 'disconnected', 30_000);
  t.match(await first.stop('SIGKILL'), { signal: 'SIGKILL' }, 'killed, no orderly shutdown');
  await disconnected;
  for (const i of range(51, 80)) outbox.append(stateEvent(IEEE, i));

  const reconnected = nextLinkEvent(link, 'connected', 60_000);
  await startCloud(t, ['--port', String(port), '--db', db, '--quiet']);
  t.same(await reconnected, { lastSeqSeen: 50 }, 'the restarted cloud welcomes the gateway with its stored cursor');
  await outbox.waitUntilAcked(80, 60_000);

  t.same((await queryEvents(t, db, 'gw-r')).map((e) => e.seq), range(1, 80), 'every event once, across the crash');
  t.match(await queryCursors(t, db), [{ gatewayId: 'gw-r', lastSeq: 80, events: 80, duplicates: 0 }]);
});

t.test('the query tool names what is wrong', async (t) => {
  const db = tempDatabase(t);
  const missing = await tool(['events', '--db', db, '--gateway', 'gw-a']);
  t.equal(missing.code, 3);
  t.match(missing.stderr, /no reference cloud database at .*cloud\.db/);
  const noGateway = await tool(['events', '--db', db]);
  t.equal(noGateway.code, 2);
  t.match(noGateway.stderr, /--gateway is required/);
  const badSince = await tool(['events', '--db', db, '--gateway', 'g', '--since', 'ten']);
  t.equal(badSince.code, 2);
  t.match(badSince.stderr, /--since must be a whole number >= 0, got "ten"/);
});
