// `npm run bench`: runs every benchmark in sequence, each as its own child process (so one
// bench's memory, JIT state and open handles cannot colour the next), and prints one summary
// table. A bench that is missing is skipped; one that fails is reported and the run goes on.
//
//   npm run bench [-- --only end-to-end,store-ingest] [-- --json]
//
// Contract for a bench script: print its result as one JSON line on stdout (the last line
// that parses as a JSON object is taken), progress on stderr. `summary: [{ metric, value,
// versus? }]` in that object gives its rows directly; see bench-summaries.ts for the rest.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { summaryRowsOf, type SummaryRow } from './bench-summaries.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

interface BenchSpec {
  name: string;
  file: string;
  args: string[];
  timeoutMs: number;
}

// The defaults keep the whole run under about four minutes on a small machine.
const BENCHES: BenchSpec[] = [
  { name: 'virtual-coordinator', file: 'virtual-coordinator.ts', args: ['--seconds', '3'], timeoutMs: 60_000 },
  { name: 'store-ingest', file: 'store-ingest.ts', args: ['--seconds', '5', '--json'], timeoutMs: 90_000 },
  { name: 'end-to-end', file: 'end-to-end.ts', args: ['--json'], timeoutMs: 240_000 },
  // Every part its own process, 200 devices: the figures of docs/BENCHMARKS.md (there with --runs 3).
  {
    name: 'end-to-end-processes',
    file: 'end-to-end-processes.ts',
    args: ['--runs', '1', '--seconds', '5', '--reports', '10000', '--json'],
    timeoutMs: 600_000,
  },
  // The replay after an outage; docs/BENCHMARKS.md has it with the default 100,000 events and 3 runs.
  { name: 'backlog-replay', file: 'backlog-replay.ts', args: ['--runs', '1', '--events', '20000', '--json'], timeoutMs: 600_000 },
  { name: 'commit-latency', file: 'commit-latency.ts', args: ['--runs', '3', '--seconds', '3', '--json'], timeoutMs: 180_000 },
  { name: 'lan-watchers', file: 'lan-watchers.ts', args: ['--json'], timeoutMs: 240_000 },
];

interface BenchOutcome {
  name: string;
  seconds: number;
  result?: Record<string, unknown>;
  error?: string;
}

function runBench(spec: BenchSpec): Promise<BenchOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, spec.file), ...spec.args], {
      cwd: path.resolve(HERE, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const stderrTail: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter((l) => l.trim() !== '')) {
        process.stderr.write(`  [${spec.name}] ${line}\n`);
        stderrTail.push(line);
        if (stderrTail.length > 10) stderrTail.shift();
      }
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), spec.timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      const result = lastJsonObject(stdout);
      if (code === 0 && result) resolve({ name: spec.name, seconds, result });
      else {
        const why = signal ? `killed by ${signal}${signal === 'SIGTERM' ? ` after ${spec.timeoutMs / 1000} s` : ''}` : `exit code ${code}`;
        resolve({ name: spec.name, seconds, error: `${why}${result ? '' : ', no JSON result'}: ${stderrTail.slice(-3).join(' | ')}` });
      }
    });
  });
}

function lastJsonObject(stdout: string): Record<string, unknown> | undefined {
  for (const line of stdout.split('\n').reverse()) {
    if (!line.trim().startsWith('{')) continue;
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      // a line that only looks like JSON: keep looking
    }
  }
  return undefined;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const only = values.only?.split(',').map((s) => s.trim());
  const selected = BENCHES.filter((b) => !only || only.includes(b.name));
  const outcomes: BenchOutcome[] = [];
  const rows: SummaryRow[] = [];
  for (const spec of selected) {
    if (!fs.existsSync(path.join(HERE, spec.file))) {
      process.stderr.write(`skipping ${spec.name}: ${spec.file} does not exist\n`);
      continue;
    }
    process.stderr.write(`running ${spec.name} ...\n`);
    const outcome = await runBench(spec);
    outcomes.push(outcome);
    if (outcome.result) rows.push(...summaryRowsOf(spec.name, outcome.result));
    else rows.push({ bench: spec.name, metric: 'FAILED', value: outcome.error ?? 'unknown' });
  }
  if (values.json) {
    console.log(JSON.stringify({ rows, outcomes }));
  } else {
    console.log(`\nnpm run bench: ${outcomes.map((o) => `${o.name} ${o.seconds} s`).join(', ')} (node ${process.version})`);
    console.table(rows);
  }
  if (outcomes.some((o) => o.error)) process.exitCode = 1;
}

await main();
