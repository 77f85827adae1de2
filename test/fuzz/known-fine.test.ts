// The fuzz harness itself: on inputs a correct hub takes without complaint (well-typed devices,
// plausible reports, well-formed commands, honest acks, valid configs) every check must hold,
// so a failure in the fuzz run (fuzz.test.ts) is the hub's, not the harness's.
import t from 'tap';
import { runFuzz } from '../../scripts/fuzz/fuzz-run.js';
import { knownFinePlatformSide } from '../../scripts/fuzz/platform/run-case.js';
import { knownFineRadioSide } from '../../scripts/fuzz/radio/run-case.js';

t.test('known-fine radio and platform inputs pass every fuzz check', async (t) => {
  const seed = Number(process.env.FUZZ_SEED ?? 20261129);
  t.comment(`seed ${seed}`);
  const tally = await runFuzz({ seed, runs: 15, sides: [knownFineRadioSide, knownFinePlatformSide], shrinkBudget: 0 });
  t.comment(tally.format());
  t.equal(tally.cases, 30, 'every case ran');
  t.same(tally.failures, [], 'no property failed');
});
