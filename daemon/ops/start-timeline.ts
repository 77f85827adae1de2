// Where a start spends its time before ready, logged with the ready line (and read by
// scripts/bench/start-phases.ts): each phase's milliseconds, measured on performance.now(),
// whose origin is the process's own start, so the first phase is node's start before our code.

export class StartTimeline {
  private readonly marks: Array<{ phase: string; at: number }> = [];

  /** `enteredAt`: performance.now() at the first line of our code (the bin script). */
  constructor(
    private readonly now: () => number,
    enteredAt: number,
  ) {
    this.marks.push({ phase: 'node_start', at: enteredAt });
  }

  /** Ends the phase called `phase` now (the next one starts). */
  mark(phase: string): void {
    this.marks.push({ phase, at: this.now() });
  }

  /** `{ node_start: 48, cli_modules: 30, ..., total: 930 }`, whole milliseconds. */
  summary(): Record<string, number> {
    const out: Record<string, number> = {};
    let previous = 0;
    for (const { phase, at } of this.marks) {
      out[phase] = Math.round(at - previous);
      previous = at;
    }
    out.total = Math.round(previous);
    return out;
  }
}
