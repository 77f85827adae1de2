// What every fuzz side provides to the runner.
import type fc from 'fast-check';
import type { FuzzEnvironment } from './environment.js';

/**
 * Runs one case's input against the environment. The returned check runs after the good
 * report that follows the case has been delivered (so everything the case sent has been
 * processed by then); it returns the property violations it found.
 */
export type CaseRunner<T> = (env: FuzzEnvironment, input: T) => Promise<() => string[]>;

export interface FuzzSide<T> {
  name: string;
  arbitrary: fc.Arbitrary<T>;
  /** The case's kind, for the counts ("radio.join", "platform.command.set_state"). */
  kind(input: T): string;
  run(env: FuzzEnvironment, input: T): ReturnType<CaseRunner<T>>;
}

/** A side of any input type (method parameters are bivariant, so every FuzzSide<T> fits). */
export type SomeFuzzSide = FuzzSide<unknown>;
