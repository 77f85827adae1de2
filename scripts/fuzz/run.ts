// `npm run fuzz -- [--seed N] [--runs M] [--only radio|platform] [--path P] [--shrink-budget K] [--continue]`
// Property-based fuzzing of the whole hub (scripts/fuzz/README in the main README, "Fuzzing").
// Prints the seed first; the same seed (and --path for one counterexample) replays a run.
// Exit 0 when every case held, 1 when a property failed, 64 on a bad command line.
import { parseArgs } from 'node:util';
import type { SomeFuzzSide } from './case-types.js';
import type { FuzzEnvironment } from './environment.js';
import { runFuzz } from './fuzz-run.js';
import { knownFinePlatformSide, platformSide } from './platform/run-case.js';
import { knownFineRadioSide, radioSide } from './radio/run-case.js';

const USAGE = 'usage: npm run fuzz -- [--seed N] [--runs M (cases per side, default 200)] [--only radio|platform] [--path P] [--shrink-budget K] [--continue] [--verbose] [--known-fine]';

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        seed: { type: 'string' },
        runs: { type: 'string', default: '200' },
        only: { type: 'string' },
        path: { type: 'string' },
        'shrink-budget': { type: 'string', default: '10' },
        continue: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        'known-fine': { type: 'boolean', default: false },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(64);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  const runs = Number(values.runs);
  const shrinkBudget = Number(values['shrink-budget']);
  const sides: Record<string, SomeFuzzSide> = values['known-fine']
    ? { radio: knownFineRadioSide, platform: knownFinePlatformSide }
    : { radio: radioSide, platform: platformSide };
  if (!Number.isInteger(seed) || !Number.isInteger(runs) || runs < 1 || !Number.isInteger(shrinkBudget) || shrinkBudget < 0) {
    process.stderr.write(`--seed, --runs and --shrink-budget must be integers (runs >= 1)\n${USAGE}\n`);
    process.exit(64);
  }
  if (values.only !== undefined && !sides[values.only]) {
    process.stderr.write(`--only must be radio or platform\n${USAGE}\n`);
    process.exit(64);
  }
  const chosen = values.only ? [sides[values.only]!] : Object.values(sides);
  process.stdout.write(`fuzz: seed ${seed}, ${runs} cases per side, sides ${chosen.map((s) => s.name).join(' + ')}\n`);
  process.stdout.write(`replay: npm run fuzz -- --seed ${seed} --runs ${runs}${values.only ? ` --only ${values.only}` : ''}\n`);
  const started = Date.now();
  // Ctrl-C or a kill: stop the daemon and the virtual coordinator, not leave them running.
  let current: FuzzEnvironment | undefined;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      process.stdout.write(`fuzz: ${signal}: stopping\n`);
      void (current?.stop() ?? Promise.resolve()).finally(() => process.exit(code));
    });
  }
  const tally = await runFuzz({
    onEnvironment: (env) => (current = env),
    seed,
    runs,
    sides: chosen,
    shrinkBudget,
    continueAfterFailure: values.continue,
    verbose: values.verbose,
    ...(values.path ? { path: values.path } : {}),
    progress: (line) => process.stdout.write(`fuzz: ${line}\n`),
  });
  process.stdout.write(`${tally.format()}\nfinished in ${Math.round((Date.now() - started) / 1000)} s\n`);
  for (const failure of tally.failures) {
    process.stdout.write(`reproduce: npm run fuzz -- --only ${failure.target} --seed ${failure.seed}${failure.path ? ` --path ${failure.path}` : ''}\n`);
  }
  process.exitCode = tally.failures.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`fuzz: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 2;
});
