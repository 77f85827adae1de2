// Benchmark: how many state changes per second the store commits, and how many commits
// (WAL fsyncs) per second that costs. Not a test; run it by hand:
//
//   npx tsx scripts/bench/store-ingest.ts [--seconds 8] [--devices 200] [--rate 5000] [--json]
//
// Phases, each on a fresh database in a temp dir (removed afterwards):
//   1. saturate: changes as fast as one thread can make them, group commit (defaults)
//   2. paced:    `--rate` changes/s, spread over time like radio traffic, group commit
//   3. baseline: the same work with one commit per change (what "no group commit" costs)
// While 1 and 2 run, a flush() every 100 ms measures how long a caller waits for durability.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore, type Store, type StoreLog } from '../../daemon/store/index.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    devices: { type: 'string', default: '200' },
    rate: { type: 'string', default: '5000' },
    json: { type: 'boolean', default: false },
  },
});
const SECONDS = Number(args.seconds);
const DEVICES = Number(args.devices);
const RATE = Number(args.rate);

const quiet = () => undefined;
const log: StoreLog = { debug: quiet, info: quiet, warn: quiet, error: (msg, fields) => console.error(msg, fields) };

interface PhaseResult {
  phase: string;
  seconds: number;
  changesPerSec: number;
  commitsPerSec: number;
  changesPerCommit: number;
  cpuMicrosPerChange: number;
  flushP50Ms?: number;
  flushP99Ms?: number;
  /** Longest COMMIT (fsync + any WAL checkpoint): how long the event loop was blocked at worst. */
  maxCommitMs: number;
  rssMiB: number;
}

const ieeeOf = (n: number) => '0x00158d00' + n.toString(16).padStart(8, '0');

async function withStore<T>(options: { commitIntervalMs?: number; maxPendingWrites?: number }, fn: (store: Store) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'hubd-bench-store-'));
  const store = openStore({ path: join(dir, 'hub.db'), log, ...options });
  try {
    for (let n = 1; n <= DEVICES; n++) {
      store.devices.upsert({ ieee: ieeeOf(n), nwk: n, type: 'EndDevice', supported: true, interview: 'successful', endpoints: [] });
    }
    await store.flush();
    return await fn(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `produce` until the deadline while sampling flush latency; returns the phase figures. */
async function measure(phase: string, store: Store, produce: (deadline: number) => Promise<void>): Promise<PhaseResult> {
  const latencies: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const t0 = performance.now();
      await store.flush();
      latencies.push(performance.now() - t0);
    }
  })();
  const before = store.commitStats();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await produce(t0 + SECONDS * 1000);
  await store.flush();
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  sampling = false;
  await sampler;
  const after = store.commitStats();
  const changes = after.committedWrites - before.committedWrites;
  const commits = after.commits - before.commits;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  return {
    phase,
    seconds: round(elapsed),
    changesPerSec: Math.round(changes / elapsed),
    commitsPerSec: round(commits / elapsed),
    changesPerCommit: Math.round(changes / Math.max(commits, 1)),
    cpuMicrosPerChange: round((cpu.user + cpu.system) / Math.max(changes, 1)),
    ...(latencies.length > 0 ? { flushP50Ms: round(pct(0.5)), flushP99Ms: round(pct(0.99)) } : {}),
    maxCommitMs: round(after.commitMsMax),
    rssMiB: round(process.memoryUsage().rss / 2 ** 20),
  };
}

/** One change per call: a new temperature for the next device, round robin. */
function changer(store: Store) {
  let i = 0;
  return () => {
    i++;
    store.state.apply(ieeeOf((i % DEVICES) + 1), { temperature: 15 + (i % 1000) / 100, linkquality: i % 255 });
  };
}

const yieldToTimers = () => new Promise((resolve) => setImmediate(resolve));

async function saturate(): Promise<PhaseResult> {
  return withStore({}, (store) =>
    measure('saturate (group commit)', store, async (deadline) => {
      const change = changer(store);
      while (performance.now() < deadline) {
        for (let k = 0; k < 200; k++) change();
        await yieldToTimers();
      }
    }),
  );
}

async function paced(): Promise<PhaseResult> {
  return withStore({}, (store) =>
    measure(`paced ${RATE}/s (group commit)`, store, async (deadline) => {
      const change = changer(store);
      const start = performance.now();
      let done = 0;
      while (performance.now() < deadline) {
        const due = Math.floor(((performance.now() - start) / 1000) * RATE);
        for (; done < due; done++) change();
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }),
  );
}

async function baseline(): Promise<PhaseResult> {
  // maxPendingWrites 1: every change is its own transaction and its own fsync.
  return withStore({ maxPendingWrites: 1 }, (store) =>
    measure('baseline (commit per change)', store, async (deadline) => {
      const change = changer(store);
      const shortDeadline = Math.min(deadline, performance.now() + 2000);
      while (performance.now() < shortDeadline) {
        for (let k = 0; k < 20; k++) change();
        await yieldToTimers();
      }
    }),
  );
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

const results = [await saturate(), await paced(), await baseline()];
if (args.json) {
  console.log(JSON.stringify({ bench: 'store-ingest', devices: DEVICES, results }));
} else {
  const [sat, pac, base] = results as [PhaseResult, PhaseResult, PhaseResult];
  console.log(`store-ingest: ${DEVICES} devices, WAL + synchronous=FULL, fresh database per phase, ${SECONDS}s phases`);
  console.table(results);
  console.log(
    `saturated: ${sat.changesPerSec} changes/s committed with ${sat.commitsPerSec} commits/s ` +
      `(${sat.changesPerCommit} changes per fsync); p99 wait for durability ${sat.flushP99Ms} ms`,
  );
  console.log(`paced at ${RATE}/s: ${pac.changesPerSec} changes/s with ${pac.commitsPerSec} commits/s, ${pac.cpuMicrosPerChange} µs CPU per change`);
  console.log(
    `group commit vs commit-per-change on this machine: ${round(sat.changesPerSec / base.changesPerSec)}x the throughput, ` +
      `${sat.changesPerCommit}x fewer fsyncs per change (baseline tops out at ${base.changesPerSec} changes/s = fsyncs/s)`,
  );
  const ok = sat.changesPerSec >= 5000 && pac.commitsPerSec < 100;
  console.log(ok ? 'target met: >= 5000 changes/s, < 100 commits/s' : 'TARGET MISSED: want >= 5000 changes/s and < 100 commits/s');
}
