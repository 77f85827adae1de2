// Last-seen lives in memory and reaches the disk every store.last_seen_flush_seconds (issue 13,
// fewer writes per report). Kill -9 the daemon process while a sensor reports, and prove what
// CONFIG.md promises: at the next start last-seen is at most the flush interval plus the lazy
// commit (1 s) stale, every event the cloud had is in the file, and the file is intact.
// The flush is set to 2 s here so the test runs in seconds; the bound is the same code path
// as the default 30 s.
import t from 'tap';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readDbSnapshot } from './db-snapshot.js';
import { GATEWAY, joinDevices, startStack, type Stack } from './stack.js';

const FLUSH_SECONDS = 2;
/** What a power cut may lose of last-seen: one flush interval plus the lazy commit it rides. */
const BOUND_MS = FLUSH_SECONDS * 1000 + 1000;
/** Reports for several bounds, so a last-seen never flushed (the join's) cannot pass. */
const REPORTING_MS = 10_000;
const REPORT_EVERY_MS = 150;

t.test('kill -9 after reports: last-seen at most the documented bound stale, events intact', async (t) => {
  const stack = await startStack({ config: { store: { last_seen_flush_seconds: FLUSH_SECONDS } } });
  t.teardown(() => stack.stop());
  const weather = (await joinDevices(stack, ['aqara-weather'])).get('aqara-weather')!;
  const dbFile = path.join(stack.dir, 'data', 'hub.db');

  // The temperature in hundredths goes up by one per report, so each event names its report.
  const sentAt = new Map<number, number>();
  let centi = 1000;
  const started = Date.now();
  while (Date.now() - started < REPORTING_MS) {
    centi++;
    sentAt.set(centi, Date.now());
    stack.coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: centi });
    await sleep(REPORT_EVERY_MS);
  }
  const killedAt = Date.now();
  stack.daemon.kill('SIGKILL');
  t.equal((await stack.daemon.waitForExit()).signal, 'SIGKILL', 'killed mid-flow');

  // The latest report the cloud had received a whole bound before the kill: the daemon had
  // heard it by then, so a flush since has stored a last-seen at least as late as its sending.
  const cloudEvents = stack.cloud.events(GATEWAY);
  const reachedBeforeBound = temperatures(cloudEvents, weather).filter((e) => e.receivedAt <= killedAt - BOUND_MS);
  t.ok(reachedBeforeBound.length > 0, `reports reached the cloud more than ${BOUND_MS} ms before the kill`);
  const mustBeSeenBy = sentAt.get(reachedBeforeBound.at(-1)!.centi)!;

  const atKill = readDbSnapshot(dbFile);
  t.equal(atKill.integrity, 'ok', 'integrity_check of the file as the next start finds it');
  const stored = storedLastSeen(stack, weather);
  t.ok(stored >= mustBeSeenBy, `stored last-seen ${killedAt - stored} ms before the kill; at most ${BOUND_MS} ms stale (>= ${mustBeSeenBy})`);
  t.ok(stored <= killedAt, 'and a time the daemon really heard');
  const cloudLastSeq = Math.max(...cloudEvents.map((e) => e.seq));
  t.ok(atKill.lastSeq >= cloudLastSeq, `every seq the cloud has (${cloudLastSeq}) is in the file (${atKill.lastSeq})`);
  const storedCenti = hundredths(atKill.state(weather, 'temperature'));
  const cloudLastCenti = temperatures(cloudEvents, weather).at(-1)!.centi;
  t.ok(storedCenti >= cloudLastCenti && storedCenti <= centi, `stored temperature ${storedCenti} is at least the cloud's last (${cloudLastCenti})`);

  await stack.restartDaemon();
  await stack.waitForCloud((e) => e.seq >= atKill.lastSeq, 60_000);
  const delivered = new Set(stack.cloud.events(GATEWAY).map((e) => e.seq));
  const missing = Array.from({ length: atKill.lastSeq }, (_, i) => i + 1).filter((seq) => !delivered.has(seq));
  t.same(missing, [], 'after the restart the cloud has every committed event, no hole');
  const hubLastSeen = await lastSeenFromHub(stack, weather);
  t.ok(hubLastSeen >= mustBeSeenBy, `the restarted hub shows last-seen ${killedAt - hubLastSeen} ms before the kill (bound ${BOUND_MS} ms)`);
  t.equal(readDbSnapshot(dbFile).integrity, 'ok', 'integrity_check with the restarted daemon running');
});

interface Temperature {
  centi: number;
  receivedAt: number;
}

function temperatures(events: ReturnType<Stack['cloud']['events']>, ieee: string): Temperature[] {
  const out: Temperature[] = [];
  for (const e of events) {
    if (e.event.kind !== 'state_changed' || e.event.ieee !== ieee || !('temperature' in e.event.state)) continue;
    out.push({ centi: hundredths(e.event.state.temperature), receivedAt: e.receivedAt });
  }
  return out.sort((a, b) => a.centi - b.centi);
}

function storedLastSeen(stack: Stack, ieee: string): number {
  return stack.query<{ last_seen: number | null }>('SELECT last_seen FROM devices WHERE ieee = ?', ieee)[0]?.last_seen ?? 0;
}

/** The hub's own view at its next start, from a snapshot (the row plus what it heard since). */
async function lastSeenFromHub(stack: Stack, ieee: string): Promise<number> {
  const mark = Math.max(0, ...stack.cloud.events(GATEWAY).map((e) => e.seq));
  const result = await stack.cloud.sendCommand(GATEWAY, { kind: 'request_snapshot' }, 60_000);
  if (!result.ok) throw new Error(`snapshot refused: ${result.error}`);
  const entry = await stack.waitForCloud((e) => e.seq > mark && e.event.kind === 'snapshot_device' && e.event.device.description.ieee === ieee);
  return entry.event.kind === 'snapshot_device' ? (entry.event.device.lastSeen ?? 0) : 0;
}

function hundredths(value: unknown): number {
  return typeof value === 'number' ? Math.round(value * 100) : 0;
}
