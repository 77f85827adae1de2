// Where the daemon's memory goes at ready with many known devices: the daemon as a real
// process (compiled build), its RSS split into anonymous memory (V8 heap, native allocations)
// and file-backed pages (node's binary, shared libraries), and the V8 heap, external and
// array-buffer figures from its metrics endpoint, 5 s after ready. Each variant of node flags
// (--flags) starts it --runs times; medians with ranges.
//   npx tsx scripts/bench/memory-at-ready.ts [--devices 200] [--runs 3]
//     [--flags ',--max-semi-space-size=1'] [--bin DIR/bin/zigbee-hubd.js] [--json]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DaemonProcess } from '../lib/daemon-process.js';
import { startReferenceCloud } from '../reference-cloud/server.js';
import { startVirtualCoordinator } from '../virtual-coordinator/coordinator.js';
import { median, round } from './e2e/stats.js';
import { BENCH_GATEWAY, benchDaemonConfig } from './processes/bench-daemon-config.js';
import { seedDevices } from './processes/seed-devices.js';

const GATEWAY = BENCH_GATEWAY;
const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '200' },
    runs: { type: 'string', default: '3' },
    flags: { type: 'string', default: ',--max-semi-space-size=1' },
    bin: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const daemonConfig = (coordinatorPort: number, cloudPort: number) => benchDaemonConfig(coordinatorPort, cloudPort);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-memory-'));
const stateFile = path.join(dir, 'stick.json');
process.stderr.write(`seeding ${args.devices} devices\n`);
await seedDevices({ dir, stateFile, gatewayId: GATEWAY, daemonConfig, devices: Number(args.devices), plugShare: 0.2 });
const coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: stateFile });
const cloud = await startReferenceCloud({ port: 0 });
const runtime = args.bin ? { bin: path.resolve(args.bin), env: { ZIGBEE_HUBD_RUNTIME: 'dist' } } : {};

type Figures = Record<string, number>;
async function once(flags: string[]): Promise<Figures> {
  const daemon = DaemonProcess.start({ dir, config: daemonConfig(coordinator.port, cloud.port), nodeArgs: flags, ...runtime });
  const ready = await daemon.ready(180_000);
  const metricsPort = Number((await daemon.waitForLog((l) => l.msg === 'metrics listening')).port);
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const pid = daemon.child.pid!;
  const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? NaN) / 1024;
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const metric = (name: string) => Number(new RegExp(`^zigbee_hubd_${name}(?:\\{[^}]*\\})? ([0-9.e+]+)`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  const spaces = [...text.matchAll(/^zigbee_hubd_nodejs_heap_space_size_used_bytes\{space="([a-z_]+)"\} ([0-9.e+]+)/gm)];
  await daemon.stop();
  return {
    devices: Number(ready.devices),
    rssMiB: kib('Rss'),
    anonMiB: kib('Anonymous'),
    fileBackedMiB: kib('Rss') - kib('Anonymous'),
    heapTotalMiB: metric('nodejs_heap_size_total_bytes'),
    heapUsedMiB: metric('nodejs_heap_size_used_bytes'),
    externalMiB: metric('nodejs_external_memory_bytes'),
    ...Object.fromEntries(spaces.map(([, space, bytes]) => [`used ${space}`, Number(bytes) / 2 ** 20])),
  };
}

try {
  const variants = args.flags.split(',').map((f) => f.split(' ').filter(Boolean));
  const results = new Map<string, Figures[]>();
  await once([]); // imports the seeded devices into the store
  for (let run = 0; run < Number(args.runs); run++) {
    for (const flags of variants) {
      const key = flags.join(' ') || '(default)';
      results.set(key, [...(results.get(key) ?? []), await once(flags)]);
    }
  }
  const rows = [...results].map(([flags, runs]) => ({
    flags,
    ...Object.fromEntries(Object.keys(runs[0]!).map((k) => {
      const values = runs.map((r) => r[k]!);
      return [k, `${round(median(values), 1)} (${round(Math.min(...values), 1)}-${round(Math.max(...values), 1)})`];
    })),
  }));
  if (args.json) console.log(JSON.stringify({ bench: 'memory-at-ready', rows }));
  else console.table(rows);
} finally {
  await cloud.stop();
  await coordinator.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
