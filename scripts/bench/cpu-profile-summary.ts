// Where a process spent its CPU, from a V8 CPU profile (node --cpu-prof): self time grouped by
// package (zigbee-herdsman, the converters, grpc, protobufjs, better-sqlite3), by daemon folder
// and by node internals, plus the costliest functions. Run on the file end-to-end.ts --profile
// leaves behind:
//
//   npx tsx scripts/bench/cpu-profile-summary.ts DIR/CPU.*.cpuprofile [--from US --to US] [--reports N] [--top 25] [--json]
//
// --from/--to cut the profile to the measured window (end-to-end.ts prints them: CLOCK_MONOTONIC
// µs, the clock of the profile's timestamps). With --reports (how many reports the daemon handled
// in that window) times are also given per report.
import fs from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Which part of the process a source URL belongs to. */
export function category(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const ours = /\/(daemon|scripts)\/([^/]+)\//.exec(url);
  if (ours) return `${ours[1]}/${ours[2]}`;
  if (url.startsWith('node:')) return 'node (' + url.slice(5).split('/')[0] + ')';
  return url;
}

/** Self time by category and by function; only samples taken within [fromUs, toUs] when given. */
export function summarize(profile: CpuProfile, fromUs = -Infinity, toUs = Infinity): { totalMs: number; byCategory: Map<string, number>; byFunction: Map<string, number> } {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byCategory = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalMs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < fromUs || at > toUs) continue;
    const node = nodes.get(profile.samples[i]!)!;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const { url, functionName, lineNumber } = node.callFrame;
    const cat = category(url, functionName);
    if (cat === '(idle)') continue;
    totalMs += ms;
    byCategory.set(cat, (byCategory.get(cat) ?? 0) + ms);
    const fn = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|daemon|scripts)\//, '$1/')}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
  }
  return { totalMs, byCategory, byFunction };
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      reports: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      top: { type: 'string', default: '25' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new Error('usage: cpu-profile-summary.ts FILE.cpuprofile [--from US --to US] [--reports N] [--top 25] [--json]');
  const profile = JSON.parse(fs.readFileSync(positionals[0]!, 'utf8')) as CpuProfile;
  const { totalMs, byCategory, byFunction } = summarize(profile, Number(values.from ?? -Infinity), Number(values.to ?? Infinity));
  const reports = values.reports === undefined ? undefined : Number(values.reports);
  const rows = (map: Map<string, number>, top: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({
        name,
        ms: Math.round(ms),
        percent: Math.round((ms / totalMs) * 1000) / 10,
        ...(reports ? { usPerReport: Math.round(((ms * 1000) / reports) * 10) / 10 } : {}),
      }));
  const categories = rows(byCategory, Infinity);
  const functions = rows(byFunction, Number(values.top));
  if (values.json) {
    console.log(JSON.stringify({ totalMs: Math.round(totalMs), categories, functions }));
    return;
  }
  console.log(`busy CPU ${Math.round(totalMs)} ms (idle excluded)${reports ? `, ${Math.round((totalMs * 1000) / reports)} µs per report` : ''}`);
  console.table(categories);
  console.table(functions);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
