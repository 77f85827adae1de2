// Each fault mode of the reference cloud drives the gateway's link through its recovery path,
// and every event still arrives exactly once, in order: drop after N events, a true stall after
// N events (the watchdog), GOAWAY every K seconds, refused connections, slow acks.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { handleControlLine } from '../../scripts/reference-cloud/control.js';
import { startReferenceCloud, type ReferenceCloudOptions } from '../../scripts/reference-cloud/server.js';
import { createLink, stateEvent } from './helpers/link-fixture.js';

const IEEE = '0x00124b0001abcd01';
const EVENTS = 30;
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

async function deliverThrough(t: Test, options: ReferenceCloudOptions, linkOptions: Parameters<typeof createLink>[1] = {}) {
  const cloud = await startReferenceCloud(options);
  t.teardown(() => cloud.stop());
  const fixture = createLink(cloud.port, { maxBatch: 5, maxInFlight: 5, ...linkOptions });
  t.teardown(() => fixture.link.stop());
  const disconnects: string[] = [];
  fixture.link.on('disconnected', ({ reason }) => disconnects.push(reason));
  for (let i = 1; i <= EVENTS; i++) fixture.outbox.append(stateEvent(IEEE, i));
  fixture.link.start();
  await fixture.outbox.waitUntilAcked(EVENTS, 30_000);
  t.same(cloud.events('gw-test').map((e) => e.seq), range(EVENTS), 'every event once, in seq order');
  return { cloud, disconnects, ...fixture };
}

t.test('drop after N events: the link reconnects at once and resumes', async (t) => {
  const { disconnects } = await deliverThrough(t, { faults: { dropAfterEvents: 5 } });
  t.ok(disconnects.length >= EVENTS / 5 - 1, `${disconnects.length} drops`);
  t.match(disconnects[0], /UNAVAILABLE.*dropped after N events/);
});

t.test('stall after N events: the watchdog notices the silent stream and resumes on a new one', async (t) => {
  const { disconnects } = await deliverThrough(t, { faults: { stallAfterEvents: 15 } }, { watchdogMs: 800, pingIntervalMs: 200 });
  t.ok(disconnects.some((reason) => /^watchdog: nothing heard/.test(reason)), 'ended by the watchdog');
});

t.test('GOAWAY every K seconds: routine reconnects, nothing lost', async (t) => {
  const { disconnects } = await deliverThrough(
    t,
    { maxConnectionAgeMs: 300, maxConnectionAgeGraceMs: 100, faults: { ackDelayMs: 40 } },
    { maxBatch: 1, maxInFlight: 1 },
  );
  t.ok(disconnects.length >= 1, `${disconnects.length} GOAWAYs during delivery`);
});

t.test('refuse connections for T seconds: the link backs off and gets in afterwards', async (t) => {
  const { disconnects } = await deliverThrough(t, { faults: { refuseUntil: Date.now() + 1000 } });
  t.ok(disconnects.length >= 1, 'refused at least once');
  t.match(disconnects[0], /UNAVAILABLE.*refusing connections/);
});

t.test('slow acks: the in-flight window holds the flow, nothing is lost or re-sent', async (t) => {
  const { cloud, disconnects } = await deliverThrough(t, { faults: { ackDelayMs: 150 } });
  t.same(disconnects, [], 'no reconnect needed');
  t.equal(cloud.store.duplicates('gw-test'), 0, 'nothing sent twice');
});

t.test('fault modes from the command line and the control protocol; bad values are named', async (t) => {
  const cli = fileURLToPath(new URL('../../scripts/reference-cloud/cli.ts', import.meta.url));
  const args = ['--port', '0', '--drop-after-events', '7', '--stall-after-events', '9', '--goaway-every-seconds', '30', '--refuse-seconds', '20', '--ack-delay-ms', '250'];
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  t.match(JSON.parse(first), { listening: { faults: { dropAfterEvents: 7, stallAfterEvents: 9, goawayEverySeconds: 30, refuseSeconds: 20, ackDelayMs: 250 } } });

  const cloud = await startReferenceCloud();
  t.teardown(() => cloud.stop());
  t.match(await handleControlLine(cloud, '{"op":"fault","dropAfterEvents":3,"ackDelayMs":10}'), { ok: true, faults: { dropAfterEvents: 3, ackDelayMs: 10 } });
  t.same(cloud.currentFaults(), { dropAfterEvents: 3, ackDelayMs: 10 });
  t.match(await handleControlLine(cloud, '{"op":"fault","refuseSeconds":"soon"}'), { ok: false, error: /refuseSeconds must be a whole number >= 0, got "soon"/ });
  t.match(await handleControlLine(cloud, '{"op":"stall"}'), { ok: true });
});
