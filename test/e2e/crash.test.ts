// Kill -9 the daemon process at random moments while a sensor floods it with reports, many
// times, and prove after every restart that nothing committed was lost or reordered, nothing
// was corrupted and nothing was re-paired. "Committed" is what the cloud can observe: the
// outbox only hands out durable events, so whatever the reference cloud received before a kill
// must be in the file afterwards, and the seqs it received must continue without reuse.
import t, { type Test } from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { readDbSnapshot, type DbSnapshot } from './db-snapshot.js';
import { DeliveryRecorder, unexplainedHoles } from './delivery-recorder.js';
import { countCommissioning } from './radio-watch.js';
import { joinDevices, startStack, GATEWAY } from './stack.js';

const ROUNDS = 10;
const REPORTS_PER_ROUND = 300;
/** No new round starts after this; the proofs below hold for however many rounds ran. */
const ROUNDS_BUDGET_MS = 100_000;
/** How far the cloud may lag behind the reports sent before the burst waits for it. */
const MAX_LAG = 40;
const WAIT_MS = 30_000;

t.test('SIGKILL during report bursts: nothing committed is lost, nothing corrupted, nothing re-paired', async (t) => {
  const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
  t.comment(`kill points from seed ${seed} (CRASH_SEED=${seed} repeats them)`);
  const random = mulberry32(seed);
  const recorder = new DeliveryRecorder();
  const stack = await startStack({ cloudStore: recorder });
  t.teardown(() => stack.stop());
  const commissioning = countCommissioning(stack.coordinator);
  const ieees = await joinDevices(stack, ['aqara-weather', 'aqara-plug']);
  const weather = ieees.get('aqara-weather')!;
  const dbFile = path.join(stack.dir, 'data', 'hub.db');
  const epoch = stack.cloud.connectedGateways().find((g) => g.gatewayId === GATEWAY)!.outboxEpoch;
  const devicesAtStart = deviceIdentity(readDbSnapshot(dbFile));
  t.equal(devicesAtStart.length, 2, 'both devices are in the table before the first kill');

  /** The weather sensor's temperature in hundredths of a degree: +1 per report, never repeats. */
  let sent = 1000;
  const cloudTemperatures = () => temperaturesAtCloud(recorder, epoch, weather);
  const report = () => stack.coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: ++sent });
  const cloudReaches = (centi: number) =>
    stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === weather && hundredths(e.event.state.temperature) >= centi, WAIT_MS);

  const started = Date.now();
  let rounds = 0;
  while (rounds < ROUNDS && Date.now() - started < ROUNDS_BUDGET_MS) {
    rounds++;
    const killAt = 1 + Math.floor(random() * REPORTS_PER_ROUND);
    // Most kills land mid-flow (reports in the socket, in herdsman, in an open transaction);
    // some right after the cloud caught up, when the daemon is between commits.
    const settleFirst = random() < 0.25;
    for (let i = 1; i <= killAt; i++) {
      report();
      await yieldToEventLoop();
      if (i % 20 === 0) await cloudReaches(sent - MAX_LAG);
    }
    if (settleFirst) await cloudReaches(sent);
    stack.daemon.kill('SIGKILL');
    const exit = await stack.daemon.waitForExit();
    t.equal(exit.signal, 'SIGKILL', `round ${rounds}: killed after report ${killAt}${settleFirst ? ' (settled)' : ''}`);

    // The file as the next start finds it.
    const atKill = readDbSnapshot(dbFile);
    const storedCenti = hundredths(atKill.state(weather, 'temperature'));
    const seenBeforeRestart = cloudTemperatures();
    t.equal(atKill.integrity, 'ok', `round ${rounds}: integrity_check after the kill`);
    t.ok(storedCenti <= sent, `round ${rounds}: stored ${storedCenti} is a value that was sent (<= ${sent})`);
    t.ok(
      storedCenti >= lastOf(seenBeforeRestart),
      `round ${rounds}: stored ${storedCenti} >= the last temperature the cloud had received (${lastOf(seenBeforeRestart)})`,
    );
    t.ok(atKill.lastSeq >= lastSeqOf(recorder, epoch), `round ${rounds}: every seq the cloud has (${lastSeqOf(recorder, epoch)}) is in the file (${atKill.lastSeq})`);
    t.same(deviceIdentity(atKill), devicesAtStart, `round ${rounds}: same devices, interviewed, none left`);

    const daemon = await stack.restartDaemon();
    t.equal(daemon.lines.find((l) => l.msg === 'zigbee network started')?.result, 'resumed', `round ${rounds}: herdsman resumed the network`);
    t.notOk(daemon.lines.some((l) => l.msg === 'devices imported from the coordinator database'), `round ${rounds}: nothing had to be re-imported`);
    // Everything committed before the kill reaches the cloud; the last of it is what the file holds.
    if (atKill.lastSeq > 0) {
      await stack.waitForCloud((e) => e.epoch === epoch && e.seq >= atKill.lastSeq, WAIT_MS);
    }
    const committed = cloudTemperatures().filter((r) => r.seq <= atKill.lastSeq);
    t.equal(lastOf(committed), storedCenti, `round ${rounds}: the last committed temperature reached the cloud and equals the stored one`);
    const running = readDbSnapshot(dbFile);
    t.equal(running.integrity, 'ok', `round ${rounds}: integrity_check with the restarted daemon running`);
    t.equal(hundredths(running.state(weather, 'temperature')), storedCenti, `round ${rounds}: the restart kept the stored temperature`);
  }
  t.ok(rounds >= 3, `${rounds} kill rounds ran within the budget`);

  // After the last restart the network still works and everything converges.
  for (let i = 0; i < 5; i++) report();
  await cloudReaches(sent);
  const exit = await stack.daemon.stop();
  t.equal(exit.code, 0, 'final SIGTERM stops cleanly');
  const final = readDbSnapshot(dbFile);
  t.equal(final.integrity, 'ok', 'final integrity_check');
  t.equal(hundredths(final.state(weather, 'temperature')), sent, 'the last report sent is the stored temperature');
  t.same(deviceIdentity(final), devicesAtStart, 'the device table is unchanged after all the kills');
  assertCloudSequence(t, recorder, epoch, weather, sent);
  t.equal(commissioning.count, 0, 'no restart commissioned (formed) the network again');
  t.same(fs.readdirSync(path.join(stack.dir, 'data')).filter((n) => n.includes('corrupt')), [], 'no database was ever moved aside as corrupt');
  t.notOk(recorder.accepted.some((d) => d.event?.kind === 'resync_requested'), 'the cloud was never asked to resync');
  t.comment(`${rounds} rounds, ${sent - 1000} reports, ${recorder.duplicates(GATEWAY)} duplicate deliveries (dropped by seq)`);
});

/** What the cloud holds must be one gap-free, increasing sequence with nothing sent twice differently. */
function assertCloudSequence(t: Test, recorder: DeliveryRecorder, epoch: string, weather: string, sent: number): void {
  const inEpoch = recorder.accepted.filter((d) => d.epoch === epoch);
  t.equal(new Set(recorder.accepted.map((d) => d.epoch)).size, 1, 'one outbox epoch throughout (the database was never replaced)');
  t.same(recorder.conflicts, [], 'no seq was ever delivered with two different contents (no seq reuse)');
  t.same(unexplainedHoles(inEpoch), [], 'no holes in the seqs the cloud received, except ones a gap event declares');
  const temps = temperaturesAtCloud(recorder, epoch, weather).map((r) => r.centi);
  const outOfOrder = temps.findIndex((v, i) => i > 0 && v <= temps[i - 1]!);
  t.equal(outOfOrder, -1, `temperatures arrive strictly increasing in seq order (${temps.length} of them)`);
  t.equal(temps.at(-1), sent, 'the cloud ends at the last temperature sent');
}

interface SeqTemperature {
  seq: number;
  centi: number;
}

function temperaturesAtCloud(recorder: DeliveryRecorder, epoch: string, ieee: string): SeqTemperature[] {
  const out: SeqTemperature[] = [];
  for (const d of recorder.accepted) {
    if (d.epoch !== epoch || d.event?.kind !== 'state_changed' || d.event.ieee !== ieee) continue;
    if ('temperature' in d.event.state) out.push({ seq: d.seq, centi: hundredths(d.event.state.temperature) });
  }
  return out;
}

function lastSeqOf(recorder: DeliveryRecorder, epoch: string): number {
  return recorder.lastSeq(GATEWAY, epoch);
}

function lastOf(temps: SeqTemperature[]): number {
  return temps.at(-1)?.centi ?? 0;
}

function hundredths(value: unknown): number {
  return typeof value === 'number' ? Math.round(value * 100) : 0;
}

function deviceIdentity(snapshot: DbSnapshot): Array<[string, string | null, string, boolean]> {
  return snapshot.devices.map((d) => [d.ieee, d.model, d.interview, d.left_at === null]);
}

/** Small seeded PRNG, so a failing run's kill points can be repeated. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
