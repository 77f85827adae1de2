// The fuzzer's short CI run (the long one is `npm run fuzz -- --runs 100000`, see README):
// random devices, reports and malformed frames on the radio side; random commands, acks,
// Welcomes and config files on the platform side. After every case the daemon and the virtual
// coordinator are alive, a good report is stored and delivered, and refusals are logged.
// A failure prints the seed and the shrunk counterexample; replay it with
// `npm run fuzz -- --only <side> --seed <seed> --path <path>`.
import t from 'tap';
import { runFuzz } from '../../scripts/fuzz/fuzz-run.js';
import { platformSide } from '../../scripts/fuzz/platform/run-case.js';
import { radioSide } from '../../scripts/fuzz/radio/run-case.js';

const SEED = Number(process.env.FUZZ_SEED ?? 7);
// The two sides have their own environments (temp dir, coordinator process, platform, daemon,
// all on port 0) and the platform side mostly waits on round trips: they run side by side.
t.jobs = 2;

for (const [side, runs] of [[radioSide, 120], [platformSide, 100]] as const) {
  t.test(`${side.name} side: ${runs} random cases`, async (t) => {
    t.comment(`seed ${SEED}`);
    const tally = await runFuzz({ seed: SEED, runs, sides: [side], shrinkBudget: 1 });
    t.comment(tally.format());
    t.same(
      tally.failures.map((f) => `seed ${f.seed} path ${f.path}: ${f.counterexample.slice(0, 500)}\n${f.error.slice(0, 1500)}`),
      [],
      'every case held',
    );
    // A failure ends that side's run early; otherwise every case ran.
    if (tally.failures.length === 0) t.ok(tally.cases >= runs, `${tally.cases} cases ran`);
  });
}
