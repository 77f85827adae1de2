// Where a process's CPU went, from a Linux `perf record -g` of it: unlike a V8 --cpu-prof (wall
// time between samples of the main thread, so a thread blocked in fsync looks busy), perf
// samples on-CPU time of every thread, kernel included. Each sample goes to the first
// JavaScript frame with a source (a package, a daemon folder, a node internal) walking from the
// leaf up; samples in V8's optimising compiler or garbage collector are counted as such, and
// the rest as kernel or native. The daemon's own functions are also given inclusively.
//
//   end-to-end-processes.ts --bin x=DIR/bin/zigbee-hubd.js@--perf-basic-prof ...   (JIT names)
//   perf record -F 997 -g -p <daemon pid> -o FILE -- sleep 10
//   npx tsx scripts/bench/perf-summary.ts FILE [--reports N] [--top 30] [--time FROM,TO]
// --time: only samples in that window (perf's clock, seconds; with `perf record -k CLOCK_MONOTONIC`
// the window store-cpu-profile.ts prints).
// --reports: how many reports the daemon handled while recorded (gives µs per report, with
// -F 997 one sample is about 1 ms of CPU).
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { reports: { type: 'string' }, top: { type: 'string', default: '30' }, hz: { type: 'string', default: '997' }, time: { type: 'string' } },
});
const file = positionals[0];
if (!file) throw new Error('usage: perf-summary.ts FILE [--reports N] [--top 30]');

/** The part of the process a frame's symbol belongs to, or undefined for frames without a source. */
export function sourceOf(symbol: string): string | undefined {
  if (!symbol.includes('JS:')) return undefined;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(symbol);
  if (pkg) return pkg[1];
  const ours = /\/(daemon\/[^/]+)\//.exec(symbol);
  if (ours) return ours[1];
  const internal = / (node:[a-z_]+(?:\/[a-z_]+)?)/.exec(symbol);
  return internal?.[1];
}

const GC = /Heap::|Scavenge|MarkCompact|GCTracer|ConcurrentMarking|MinorMC|Sweeper/;
const COMPILER = /compiler::|OptimizingCompileDispatcher|Compiler::|Maglev/;

const text = execFileSync('perf', ['script', '-i', file, '-F', 'tid,ip,sym,dso', ...(args.time ? ['--time', args.time] : [])], { maxBuffer: 1 << 30, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const bySource = new Map<string, number>();
const inclusive = new Map<string, number>();
const byThread = new Map<string, number>();
let total = 0;
const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
for (const block of text.split('\n\n')) {
  const lines = block.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) continue;
  total++;
  add(byThread, lines[0]!.trim().split(/\s+/)[0]!);
  const frames = lines.slice(1);
  let key: string | undefined;
  if (frames.slice(0, 20).some((f) => COMPILER.test(f))) key = '(V8 optimising compiler)';
  else if (frames.slice(0, 20).some((f) => GC.test(f))) key = '(garbage collector)';
  else {
    const source = frames.map(sourceOf).find((s) => s !== undefined);
    const kernel = frames[0]?.includes('[kernel') ?? false;
    const sqlite = frames.slice(0, 4).some((f) => f.includes('better_sqlite3'));
    key = (source ?? 'no JavaScript') + (kernel ? ' [kernel]' : sqlite ? ' [sqlite]' : '');
  }
  add(bySource, key);
  const seen = new Set<string>();
  for (const f of frames) {
    const ours = /JS:[*^~]?(\S*) \S*\/(daemon\/\S+)/.exec(f);
    if (ours && !seen.has(ours[2]!)) {
      seen.add(ours[2]!);
      add(inclusive, `${ours[1] || '(anonymous)'} ${ours[2]}`);
    }
  }
}

const reports = args.reports ? Number(args.reports) : undefined;
const msPerSample = 1000 / Number(args.hz);
const row = (count: number) => `${((100 * count) / total).toFixed(1).padStart(5)} %${reports ? `  ${((count * msPerSample * 1000) / reports).toFixed(1).padStart(7)} µs/report` : ''}`;
console.log(`${total} samples (${(total * msPerSample).toFixed(0)} ms of CPU)${reports ? `, ${reports} reports` : ''}`);
console.log('\nby thread:', [...byThread].sort((a, b) => b[1] - a[1]).map(([tid, n]) => `${tid} ${((100 * n) / total).toFixed(1)} %`).join(', '));
console.log('\nself, by the first JavaScript source above the sample:');
for (const [key, count] of [...bySource].sort((a, b) => b[1] - a[1]).slice(0, Number(args.top))) console.log(`${row(count)}  ${key}`);
console.log('\nthe daemon\'s functions, inclusive:');
for (const [key, count] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, Number(args.top))) console.log(`${row(count)}  ${key}`);
