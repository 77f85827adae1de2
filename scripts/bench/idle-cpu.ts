// What the daemon costs doing nothing: the compiled daemon as a real process with many known
// devices on the virtual coordinator, connected to the reference cloud, no reports sent. After
// ready (and a settling pause) its CPU is read from /proc/<pid>/stat over a window, as ms of CPU
// per second (and exactly, from the scheduler's run time in /proc/<pid>/task/*/schedstat), split by thread (/proc/<pid>/task: the main thread, libuv's pool, V8's workers),
// with the main thread's wake-ups per second (voluntary context switches: each timer that fires
// on an idle loop is one). Each variant (--bin, --flags) starts --runs times, interleaved;
// medians with ranges.
//   npx tsx scripts/bench/idle-cpu.ts [--devices 200] [--runs 3] [--window 30] [--settle 5]
//     [--bin name=DIR/bin/zigbee-hubd.js,...] [--flags ',--cpu-prof'] [--census] [--json]
// --config '{"metrics":{"enabled":false}}' merges keys into the daemon's config (top-level sections replaced).
// --census preloads timer-census.mjs and prints, per run, the timers that fired in the window.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DaemonProcess } from '../lib/daemon-process.js';
import { startReferenceCloud } from '../reference-cloud/server.js';
import { startVirtualCoordinator } from '../virtual-coordinator/coordinator.js';
import { sampleProcess } from './e2e/process-sampler.js';
import { median, round } from './e2e/stats.js';
import { BENCH_GATEWAY, benchDaemonConfig } from './processes/bench-daemon-config.js';
import { seedDevices } from './processes/seed-devices.js';

const CLK_TCK = 100;
const CENSUS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'timer-census.mjs');
const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '200' },
    runs: { type: 'string', default: '3' },
    window: { type: 'string', default: '30' },
    settle: { type: 'string', default: '5' },
    bin: { type: 'string' },
    flags: { type: 'string', default: '' },
    census: { type: 'boolean', default: false },
    config: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const extraConfig = args.config ? (JSON.parse(args.config) as Record<string, unknown>) : {};
const daemonConfig = (coordinatorPort: number, cloudPort: number) => benchDaemonConfig(coordinatorPort, cloudPort, extraConfig);

/** CPU ms (user + system) and voluntary context switches of one thread or the whole process. */
function cpuOf(statFile: string): number {
  const stat = fs.readFileSync(statFile, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}
function threadName(pid: number, tid: string): string {
  return fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
}
function wakeups(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8');
  return Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
}
/** CPU ms per thread, threads of the same name (libuv's pool, V8's workers) summed. */
function byThread(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = tid === String(pid) ? 'main' : threadName(pid, tid);
      out.set(name, (out.get(name) ?? 0) + cpuOf(`/proc/${pid}/task/${tid}/stat`));
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-idle-'));
const stateFile = path.join(dir, 'stick.json');
process.stderr.write(`seeding ${args.devices} devices\n`);
await seedDevices({ dir, stateFile, gatewayId: BENCH_GATEWAY, daemonConfig, devices: Number(args.devices), plugShare: 0.2 });
const coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: stateFile });
const cloud = await startReferenceCloud({ port: 0 });

type Figures = Record<string, number>;
async function once(bin: string | undefined, flags: string[]): Promise<Figures> {
  const censusOut = path.join(dir, 'census.json');
  const env = { ...(bin ? { ZIGBEE_HUBD_RUNTIME: 'dist' } : {}), ...(args.census ? { TIMER_CENSUS_OUT: censusOut } : {}) };
  const nodeArgs = args.census ? ['--import', CENSUS, ...flags] : flags;
  const daemon = DaemonProcess.start({ dir, config: daemonConfig(coordinator.port, cloud.port), nodeArgs, env, ...(bin ? { bin: path.resolve(bin) } : {}) });
  await daemon.ready(180_000);
  await daemon.waitForLog((l) => l.msg === 'cloud link welcomed', 60_000).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, Number(args.settle) * 1000));
  const pid = daemon.child.pid!;
  const t0 = performance.now();
  const cpu0 = cpuOf(`/proc/${pid}/stat`);
  const run0 = sampleProcess(pid)!.runMs;
  const threads0 = byThread(pid);
  const wake0 = wakeups(pid);
  const lines0 = daemon.lines.length;
  if (args.census) process.kill(pid, 'SIGUSR2');
  await new Promise((resolve) => setTimeout(resolve, Number(args.window) * 1000));
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = cpuOf(`/proc/${pid}/stat`);
  const run1 = sampleProcess(pid)!.runMs;
  const threads1 = byThread(pid);
  const wake1 = wakeups(pid);
  if (args.census) {
    fs.rmSync(censusOut, { force: true });
    process.kill(pid, 'SIGUSR2');
    for (let i = 0; i < 100 && !fs.existsSync(censusOut); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const census = JSON.parse(fs.readFileSync(censusOut, 'utf8')) as { rows: { site: string; firesPerSec: number; msPerSec: number }[] };
    for (const row of census.rows) process.stderr.write(`  ${row.firesPerSec.toFixed(3)}/s ${row.msPerSec.toFixed(3)} ms/s ${row.site}\n`);
  }
  await daemon.stop();
  const figures: Figures = { 'cpu ms/s': (cpu1 - cpu0) / seconds, 'run ms/s (schedstat)': (run1 - run0) / seconds, 'main wakeups/s': (wake1 - wake0) / seconds };
  if (flags.includes('--trace-gc')) {
    // node prints one line per GC on stdout, which DaemonProcess keeps as raw lines
    const gcLines = daemon.lines.slice(lines0).map((l) => l.msg);
    figures['mark-compacts in window'] = gcLines.filter((l) => l.includes('Mark-Compact')).length;
    figures['scavenges in window'] = gcLines.filter((l) => l.includes('Scavenge')).length;
  }
  for (const [name, ms] of threads1) figures[`${name} ms/s`] = (ms - (threads0.get(name) ?? 0)) / seconds;
  return figures;
}

try {
  const bins = args.bin ? args.bin.split(',').map((b) => (b.includes('=') ? (b.split('=') as [string, string]) : [b, b] as [string, string])) : [['checkout', undefined] as const];
  const variants = bins.flatMap(([name, bin]) => args.flags.split(',').map((f) => ({ name: [name, f].filter(Boolean).join(' '), bin, flags: f.split(' ').filter(Boolean) })));
  const results = new Map<string, Figures[]>();
  await once(bins[0]![1], []); // imports the seeded devices into the store
  for (let run = 0; run < Number(args.runs); run++) {
    for (const v of variants) {
      const figures = await once(v.bin, v.flags);
      process.stderr.write(`${v.name} run ${run + 1}: ${round(figures['cpu ms/s']!, 2)} ms/s\n`);
      results.set(v.name, [...(results.get(v.name) ?? []), figures]);
    }
  }
  const rows = [...results].map(([variant, runs]) => {
    const keys = [...new Set(runs.flatMap((r) => Object.keys(r)))].filter((k) => runs.some((r) => (r[k] ?? 0) >= 0.05) || !k.endsWith('ms/s'));
    return {
      variant,
      ...Object.fromEntries(keys.map((k) => {
        const values = runs.map((r) => r[k] ?? 0);
        return [k, `${round(median(values), 2)} (${round(Math.min(...values), 2)}-${round(Math.max(...values), 2)})`];
      })),
    };
  });
  if (args.json) console.log(JSON.stringify({ bench: 'idle-cpu', window: Number(args.window), load: os.loadavg(), rows }));
  else {
    console.log(`window ${args.window} s, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    for (const row of rows) console.log(row);
  }
} finally {
  await cloud.stop();
  await coordinator.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
