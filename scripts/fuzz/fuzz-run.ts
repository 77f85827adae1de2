// Runs fuzz sides against one reused environment with fast-check: every case is followed by
// the liveness checks (daemon and virtual coordinator alive, a good report stored and
// delivered) and the side's own refusal checks. A failure is shrunk within a budget (each
// failing try may cost a daemon restart) and recorded with its seed and path.
import fc from 'fast-check';
import type { FuzzSide, SomeFuzzSide } from './case-types.js';
import { FuzzEnvironment } from './environment.js';
import { Tally } from './tally.js';

export interface FuzzOptions {
  seed: number;
  /** Cases per side. */
  runs: number;
  sides: Array<SomeFuzzSide>;
  /** Failing tries spent on shrinking one failure (each may restart the daemon). */
  shrinkBudget?: number;
  /** Replays one case: fast-check's counterexample path (with the seed it was found with). */
  path?: string;
  /** After a failure, keep going with the next seed until this many cases ran. */
  continueAfterFailure?: boolean;
  progress?: (line: string) => void;
  /** Report every case (kind, time, problems) through progress. */
  verbose?: boolean;
  /** Told about each environment built (the CLI stops it on a signal). */
  onEnvironment?: (env: FuzzEnvironment) => void;
}

export async function runFuzz(options: FuzzOptions): Promise<Tally> {
  const tally = new Tally();
  const progress = options.progress ?? (() => undefined);
  const holder: { env?: FuzzEnvironment } = {};
  const environment = async (): Promise<FuzzEnvironment> => {
    if (holder.env) return holder.env;
    progress('starting the virtual coordinator, the platform and the daemon');
    const env = await FuzzEnvironment.start(tally);
    options.onEnvironment?.(env);
    const first = await env.goodReport();
    if (first) {
      await env.stop();
      throw new Error(`the environment does not work before any case: ${first}`);
    }
    holder.env = env;
    return env;
  };
  try {
    for (const side of options.sides) {
      let done = 0;
      let seed = options.seed;
      while (done < options.runs) {
        const before = tally.cases;
        const result = await fc.check(property(side, environment, holder, tally, options.shrinkBudget ?? 10, progress, options.verbose ?? false), {
          seed,
          numRuns: options.runs - done,
          ...(options.path ? { path: options.path } : {}),
        });
        done += tally.cases - before;
        if (tally.cases === before && result.failed) {
          // Not one case ran: the environment itself does not start.
          throw result.errorInstance instanceof Error ? result.errorInstance : new Error(String(result.errorInstance));
        }
        if (result.failed) {
          tally.failures.push({
            target: side.name,
            seed: result.seed,
            path: result.counterexamplePath ?? undefined,
            counterexample: result.counterexample ? readable(result.counterexample[0]) : '(none)',
            error: result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance),
          });
          progress(`[${side.name}] FAILURE with seed ${result.seed} path ${result.counterexamplePath}`);
          if (!options.continueAfterFailure || options.path) break;
          seed = (seed + 0x9e3779b9) % 2 ** 31; // positive, so it reads as a plain --seed N
        } else break;
      }
    }
  } finally {
    await holder.env?.stop();
  }
  return tally;
}

function property<T>(
  side: FuzzSide<T>,
  environment: () => Promise<FuzzEnvironment>,
  holder: { env?: FuzzEnvironment },
  tally: Tally,
  shrinkBudget: number,
  progress: (line: string) => void,
  verbose: boolean,
) {
  let failingTries = 0;
  return fc.asyncProperty(side.arbitrary, async (input) => {
    // Past the budget, shrinking stops here: the smallest failing case so far is the answer.
    if (failingTries > shrinkBudget) return;
    const env = await environment();
    tally.countCase(side.kind(input));
    if (tally.cases % 50 === 0) progress(`${tally.cases} cases`);
    let problems: string[] = [];
    const started = Date.now();
    try {
      const check = await side.run(env, input);
      const delivery = await env.goodReport();
      problems = [...(delivery ? [delivery] : []), ...check(), ...env.processProblems()];
    } catch (error) {
      const message = (error as Error).message;
      // A crash seen while waiting already carries the daemon's last lines.
      problems = [message, ...env.processProblems().filter(() => !message.includes('the daemon exited'))];
    } finally {
      env.countRefusals();
      if (verbose) progress(`case ${tally.cases} ${side.kind(input)} ${Date.now() - started} ms${problems.length ? `: ${problems.join(' | ').slice(0, 600)}` : ''}`);
    }
    if (problems.length === 0) return;
    failingTries++;
    await heal(env, holder, progress);
    throw new Error(problems.join('\n'));
  });
}

/** After a failed case: restart the daemon, or build everything afresh if that does not help. */
async function heal(env: FuzzEnvironment, holder: { env?: FuzzEnvironment }, progress: (line: string) => void): Promise<void> {
  if (env.processProblems().length === 0 && (await env.goodReport()) === undefined) return;
  progress('restarting the daemon after a failed case');
  if (await env.restartDaemon()) return;
  progress('the restarted daemon does not work: building a fresh environment');
  await env.stop();
  holder.env = undefined;
}

/** Cases are plain data: JSON reads best (fast-check's own printer adds __proto__:null to records). */
function readable(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return fc.stringify(value);
  }
}
