// Benchmark: the store's part of a report's latency - from the change being applied to its
// event being committed (readable by the cloud link) - at paced loads, with the store work of
// a whole report (existence, last-seen, availability, state), and what it costs: commits
// (fsyncs)/s, CPU µs per report and the disk's write requests per commit. One process, no radio or network, so far less disturbed
// by a loaded machine than the end-to-end figures. Several builds' stores (compiled, copied
// aside by snapshot-build.sh) run interleaved:
//   npx tsx scripts/bench/commit-latency.ts --store base=/tmp/b/dist/daemon/store/index.js,new=...
//     [--rates 100,300] [--seconds 5] [--runs 5] [--devices 200] [--json]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { openStore as OpenStore } from '../../daemon/store/index.js';
import { diskWrites } from './e2e/disk-writes.js';
import { median, quantile, round } from './e2e/stats.js';

const { values: args } = parseArgs({
  options: {
    store: { type: 'string', default: 'source=daemon/store/index.ts' },
    rates: { type: 'string', default: '100,300' },
    seconds: { type: 'string', default: '5' },
    runs: { type: 'string', default: '5' },
    devices: { type: 'string', default: '200' },
    json: { type: 'boolean', default: false },
  },
});
const quiet = () => undefined;
const log = { debug: quiet, info: quiet, warn: quiet, error: (msg: string, fields?: unknown) => console.error(msg, fields) };
const ieee = (n: number) => `0x00158d00${n.toString(16).padStart(8, '0')}`;

interface Figures {
  p50Ms: number;
  p99Ms: number;
  commitsPerSec: number;
  cpuUsPerReport: number;
  /** Write requests the disk under the database completed per commit (every process's: quiet machine). */
  diskWritesPerCommit: number;
}

async function phase(openStore: typeof OpenStore, rate: number, seconds: number): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'hubd-commit-latency-'));
  const store = openStore({ path: join(dir, 'hub.db'), log });
  try {
    const devices = Number(args.devices);
    for (let n = 1; n <= devices; n++) {
      store.devices.upsert({ ieee: ieee(n), nwk: n, type: 'EndDevice', supported: true, interview: 'successful', endpoints: [] });
    }
    await store.flush();
    const appliedAt = new Map<number, number>();
    const latencies: number[] = [];
    let expectSeq = store.outbox.lastCommittedSeq();
    store.outbox.onAppend((lastSeq) => {
      const now = performance.now();
      for (const [seq, at] of appliedAt) {
        if (seq > lastSeq) break;
        latencies.push(now - at);
        appliedAt.delete(seq);
      }
    });
    const commitsBefore = store.commitStats().commits;
    const disk = diskWrites(dir);
    const cpuBefore = process.cpuUsage();
    const t0 = performance.now();
    const total = Math.round(rate * seconds);
    let sent = 0;
    while (sent < total) {
      const due = Math.min(Math.floor(((performance.now() - t0) / 1000) * rate), total);
      for (; sent < due; sent++) {
        const id = ieee((sent % devices) + 1);
        // What the report path asks of the store per frame (hub/device-sync.ts, hub/availability.ts).
        if (!store.devices.has(id)) throw new Error('unknown device');
        store.devices.markSeen(id, { at: Date.now(), linkquality: 100 });
        store.devices.setAvailability(id, true);
        store.state.apply(id, { temperature: sent / 100 });
        appliedAt.set(++expectSeq, performance.now());
      }
      // Until the next report is due: a wake-up per report, not per millisecond, so the CPU
      // figure is the store's, not the pacing loop's.
      const nextDueMs = t0 + ((sent + 1) / rate) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextDueMs - performance.now())));
    }
    await store.flush();
    await new Promise((resolve) => setImmediate(resolve));
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const commits = store.commitStats().commits - commitsBefore;
    const diskAfter = diskWrites(dir);
    return {
      p50Ms: quantile(latencies, 0.5),
      p99Ms: quantile(latencies, 0.99),
      commitsPerSec: commits / elapsed,
      cpuUsPerReport: (cpu.user + cpu.system) / total,
      diskWritesPerCommit: disk && diskAfter ? (diskAfter.writes - disk.writes) / Math.max(commits, 1) : NaN,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const stores = await Promise.all(
  args.store.split(',').map(async (spec) => {
    const [label, file] = spec.split('=', 2) as [string, string];
    const module = (await import(pathToFileURL(resolve(file)).href)) as { openStore: typeof OpenStore };
    return { label, openStore: module.openStore };
  }),
);
const results = new Map<string, Figures[]>();
for (let run = 0; run < Number(args.runs); run++) {
  for (const rate of args.rates.split(',').map(Number)) {
    for (const { label, openStore } of stores) {
      const key = `${label} ${rate}/s`;
      results.set(key, [...(results.get(key) ?? []), await phase(openStore, rate, Number(args.seconds))]);
    }
  }
}
const rows = [...results].map(([phase, runs]) => ({
  phase,
  ...Object.fromEntries(
    (Object.keys(runs[0]!) as Array<keyof Figures>).map((k) => {
      const v = runs.map((r) => r[k]);
      return [k, `${round(median(v), 1)} (${round(Math.min(...v), 1)}-${round(Math.max(...v), 1)})`];
    }),
  ),
}));
const summary = rows.flatMap(({ phase, ...figures }) => Object.entries(figures).map(([metric, value]) => ({ metric: `${phase} ${metric}`, value })));
if (args.json) console.log(JSON.stringify({ bench: 'commit-latency', runs: Number(args.runs), rows, summary }));
else console.table(rows);
