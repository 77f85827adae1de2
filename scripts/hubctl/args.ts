// Command-line pieces shared by hubctl's commands: key=value pairs and argument counts.
import { UsageError } from './exit.js';

export function parseAssignments(pairs: string[]): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`expected key=value, got ${JSON.stringify(pair)}`);
    const text = pair.slice(eq + 1);
    let value: unknown;
    // Numbers, true/false and {"x":...} objects as JSON; anything else ("ON") as text.
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
    state[pair.slice(0, eq)] = value;
  }
  return state;
}

export function need(args: string[], n: number, usage: string): string[] {
  if (args.length < n) throw new UsageError(`usage: hubctl ${usage}`);
  return args;
}
