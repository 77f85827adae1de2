// Evidence for the next step of issue 13 (COMMIT in a worker thread): what a commit of the
// daemon's shape (WAL, synchronous=FULL, a few rows: state upserts and their outbox events)
// costs where, committed on the main thread versus in a worker_threads Worker with its own
// connection. Paced at --commits-per-sec (42/s is what 100 reports/s gave end to end). Per
// mode: wall time per commit, process CPU per commit (all threads: /proc-style user+system,
// what end-to-end-processes.ts counts as the daemon's), and the main thread's event-loop
// utilisation (the share of time the loop could not run other work).
//
//   npx tsx scripts/bench/commit-offload.ts [--commits-per-sec 42] [--seconds 5] [--rows 3] [--runs 3] [--json]
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { median, quantile, round } from './e2e/stats.js';

interface Batch {
  first: number;
  rows: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS device_state (ieee TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, updated_at INTEGER NOT NULL,
    PRIMARY KEY (ieee, key)) STRICT, WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, payload TEXT NOT NULL) STRICT;`;
const UPSERT = `INSERT INTO device_state (ieee, key, value, updated_at) VALUES (?, 'temperature', ?, ?)
  ON CONFLICT (ieee, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`;
const APPEND = 'INSERT INTO outbox (at, payload) VALUES (?, ?)';

/**
 * One connection with the daemon's pragmas and the two tables a report writes. Plain JS in a
 * string, so the worker runs the very same code without a TypeScript loader (Node 20 workers
 * do not inherit tsx's --import hooks).
 */
const OPEN_DB = `
  function openDb(Database, file, sql) {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(sql.schema);
    const upsert = db.prepare(sql.upsert);
    const append = db.prepare(sql.append);
    return db.transaction((batch) => {
      for (let n = batch.first; n < batch.first + batch.rows; n++) {
        const ieee = '0x00158d0000' + (n % 200).toString(16).padStart(6, '0');
        const value = 10 + (n % 5000) / 100;
        const at = Date.now();
        upsert.run(ieee, String(value), at);
        append.run(at, JSON.stringify({ kind: 'state_changed', ieee, state: { temperature: value }, changed: ['temperature'] }));
      }
    });
  }`;
const WORKER = `
  const { parentPort, workerData } = require('node:worker_threads');
  ${OPEN_DB}
  const commit = openDb(require(workerData.betterSqlite3), workerData.file, workerData.sql);
  parentPort.on('message', (batch) => {
    commit(batch);
    parentPort.postMessage('committed');
  });`;
const SQL = { schema: SCHEMA, upsert: UPSERT, append: APPEND };
type Commit = (batch: Batch) => void;
const openDb = new Function(`${OPEN_DB}; return openDb;`)() as (database: typeof Database, file: string, sql: typeof SQL) => Commit;

await main();

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      'commits-per-sec': { type: 'string', default: '42' },
      seconds: { type: 'string', default: '5' },
      rows: { type: 'string', default: '3' },
      runs: { type: 'string', default: '3' },
      json: { type: 'boolean', default: false },
    },
  });
  const rate = Number(args['commits-per-sec']);
  const count = Math.round(rate * Number(args.seconds));
  const rows = Number(args.rows);
  const results: Array<Record<string, number | string>> = [];
  for (let run = 1; run <= Number(args.runs); run++) {
    for (const mode of ['main', 'worker'] as const) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-commit-offload-'));
      try {
        results.push({ mode, run, ...(await measure(mode, path.join(dir, 'hub.db'), rate, count, rows)) });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const summary = (['main', 'worker'] as const).flatMap((mode) =>
    (['wallMsP50', 'wallMsP99', 'cpuUsPerCommit', 'systemUsPerCommit', 'mainLoopUtilisation'] as const).map((metric) => {
      const values = results.filter((r) => r.mode === mode).map((r) => Number(r[metric]));
      return { mode, metric, median: round(median(values), 3), range: `${round(Math.min(...values), 3)}-${round(Math.max(...values), 3)}` };
    }),
  );
  if (args.json) console.log(JSON.stringify({ bench: 'commit-offload', rate, rows, results, summary, load: os.loadavg() }));
  else {
    console.log(`${rate} commits/s of ${rows} reports each, ${count} commits per run; load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.table(results);
    console.table(summary);
  }
}

async function measure(mode: 'main' | 'worker', file: string, rate: number, count: number, rows: number) {
  let commitOnce: (batch: Batch) => Promise<void>;
  let worker: Worker | undefined;
  if (mode === 'main') {
    const commit = openDb(Database, file, SQL);
    commitOnce = (batch) => {
      commit(batch);
      return Promise.resolve();
    };
  } else {
    const w = new Worker(WORKER, { eval: true, workerData: { file, sql: SQL, betterSqlite3: createRequire(import.meta.url).resolve('better-sqlite3') } });
    worker = w;
    commitOnce = (batch) => new Promise((resolve) => {
      w.once('message', () => resolve());
      w.postMessage(batch);
    });
    await commitOnce({ first: 0, rows: 1 }); // the worker's start-up is not measured
  }
  const walls: number[] = [];
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const started = performance.now();
    await commitOnce({ first: i * rows, rows });
    walls.push(performance.now() - started);
  }
  const elu = performance.eventLoopUtilization(elu0);
  const cpu = process.cpuUsage(cpu0);
  await worker?.terminate();
  return {
    wallMsP50: quantile(walls, 0.5),
    wallMsP99: quantile(walls, 0.99),
    cpuUsPerCommit: (cpu.user + cpu.system) / count,
    systemUsPerCommit: cpu.system / count,
    mainLoopUtilisation: elu.utilization,
  };
}
