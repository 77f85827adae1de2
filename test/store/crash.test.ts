// Kill -9 at arbitrary moments: a child process writes numbered state changes and reports what
// flush() confirmed durable; after every kill the database must pass integrity_check and hold
// every confirmed change, state and events agreeing, seqs without holes.
// (SIGKILL loses the process, not the OS page cache; power loss is covered by the pragma choice
// - WAL + synchronous=FULL - explained in daemon/store/connection.ts.)
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import t from 'tap';
import type { HubEvent } from '../../daemon/domain/events.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'crash-writer.ts');
const ROUNDS = 20;
const IEEE = '0x00158d00000000c1';

interface RoundResult {
  lastDurable: number;
  startedAt: number;
  lines: number;
}

/** Runs the writer until it has printed `killAfter` durable lines, then SIGKILLs it. */
function runAndKill(dbPath: string, seed: number, killAfter: number): Promise<RoundResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, dbPath, String(seed)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const result: RoundResult = { lastDurable: -1, startedAt: -1, lines: 0 };
    let killed = false;
    const kill = () => {
      if (!killed) child.kill('SIGKILL');
      killed = true;
    };
    // Every line the child printed was printed after its flush resolved, including lines still
    // in the pipe when the signal lands, so all of them count as durability promises.
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [word, num] = line.split(' ');
      if (word === 'ready') {
        result.startedAt = Number(num);
        if (killAfter === 0) kill();
      } else if (word === 'durable') {
        result.lastDurable = Math.max(result.lastDurable, Number(num));
        if (++result.lines >= killAfter) kill();
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL' && killed) resolve(result);
      else reject(new Error(`writer exited on its own (code ${code}, signal ${signal}): ${stderr}`));
    });
  });
}

interface FileCheck {
  integrity: string;
  storedCounter: number;
  counters: number[];
  seqs: number[];
  ackedSeq: number;
  commandResults: string[];
}

/** Reads the file as the next start would find it. Read-only: leaves a hot WAL for the next child. */
function inspect(dbPath: string): FileCheck {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    const stored = db.prepare(`SELECT value FROM device_state WHERE ieee = ? AND key = 'counter'`).get(IEEE) as { value: string } | undefined;
    const rows = db.prepare('SELECT seq, payload FROM outbox ORDER BY seq').all() as Array<{ seq: number; payload: string }>;
    const cursor = db.prepare(`SELECT acked_seq FROM cloud_cursor WHERE stream = 'cloud'`).get() as { acked_seq: number } | undefined;
    const events = rows.map((r) => JSON.parse(r.payload) as HubEvent);
    return {
      integrity,
      storedCounter: stored ? Number(JSON.parse(stored.value)) : 0,
      counters: events.flatMap((e) => (e.kind === 'state_changed' && 'counter' in e.state ? [Number(e.state.counter)] : [])),
      seqs: rows.map((r) => r.seq),
      ackedSeq: cursor?.acked_seq ?? 0,
      commandResults: events.flatMap((e) => (e.kind === 'command_result' ? [e.commandId] : [])),
    };
  } finally {
    db.close();
  }
}

t.test(`SIGKILL at random moments, ${ROUNDS} rounds: nothing confirmed is lost, nothing is torn`, async (t) => {
  const seed = Number(process.env.CRASH_TEST_SEED ?? Date.now() % 1_000_000);
  t.comment(`seed ${seed} (rerun with CRASH_TEST_SEED=${seed})`);
  let rng = seed >>> 0;
  const random = (n: number) => {
    // mulberry32: small, and the same sequence on every Node version for a given seed.
    rng = (rng + 0x6d2b79f5) >>> 0;
    let x = Math.imul(rng ^ (rng >>> 15), rng | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) % n;
  };
  const dir = t.testdir({});
  const dbPath = join(dir, 'hub.db');
  let previousCounter = 0;
  let failures = 0;

  for (let round = 1; round <= ROUNDS && failures === 0; round++) {
    const killAfter = random(4) === 0 ? 0 : 1 + random(25); // sometimes before any flush resolved
    const run = await runAndKill(dbPath, seed + round, killAfter);
    const file = inspect(dbPath);
    const where = `round ${round} (kill after ${killAfter} durable lines, last durable ${run.lastDurable})`;
    const checks: Array<[boolean, string]> = [
      [file.integrity === 'ok', `integrity_check: ${file.integrity}`],
      [run.startedAt === previousCounter, `child resumed at ${run.startedAt}, previous round left ${previousCounter}`],
      [file.storedCounter >= run.lastDurable, `stored counter ${file.storedCounter} >= last durable ${run.lastDurable}`],
      [file.storedCounter >= previousCounter, `state never goes back: ${file.storedCounter} >= ${previousCounter}`],
      [file.counters.at(-1) === (file.storedCounter || undefined), `state row and newest event agree (${file.counters.at(-1)})`],
      [file.counters.every((c, i) => i === 0 || c === file.counters[i - 1]! + 1), 'state events consecutive, in order'],
      [file.seqs.every((s, i) => s === (i === 0 ? file.ackedSeq + 1 : file.seqs[i - 1]! + 1)), 'seqs without holes after the ack cursor'],
      [
        file.commandResults.every((id) => Number(id.slice(4)) % 97 === 0 && Number(id.slice(4)) <= file.storedCounter),
        'command results only where written',
      ],
    ];
    for (const [ok, what] of checks) {
      if (!ok) {
        failures++;
        t.fail(`${where}: ${what}`);
      }
    }
    if (failures === 0) t.pass(`${where}: ok, ${file.storedCounter} changes stored, ${file.seqs.length} events waiting`);
    previousCounter = file.storedCounter;
  }
  t.ok(previousCounter > 0, 'the writer got work done');
  t.same(
    readdirSync(dir).filter((n) => n.includes('corrupt')),
    [],
    'never needed recovery',
  );
});
