// What a fuzz run found: cases per kind, refusals by reason, and failures with the seed and
// the (shrunk) counterexample that reproduce them.
export interface Failure {
  target: string;
  seed: number;
  /** fast-check's path, to replay exactly this case (`--path`). */
  path?: string;
  counterexample: string;
  error: string;
}

export class Tally {
  readonly casesByKind = new Map<string, number>();
  readonly refusalsByReason = new Map<string, number>();
  readonly failures: Failure[] = [];
  daemonRestarts = 0;

  countCase(kind: string): void {
    this.casesByKind.set(kind, (this.casesByKind.get(kind) ?? 0) + 1);
  }

  countRefusal(reason: string): void {
    this.refusalsByReason.set(reason, (this.refusalsByReason.get(reason) ?? 0) + 1);
  }

  get cases(): number {
    let total = 0;
    for (const n of this.casesByKind.values()) total += n;
    return total;
  }

  format(): string {
    const lines = [`cases run: ${this.cases} (${[...this.casesByKind].map(([k, n]) => `${k} ${n}`).join(', ')}); daemon restarts: ${this.daemonRestarts}`];
    lines.push(`refusals by reason (${this.refusalsByReason.size} kinds):`);
    for (const [reason, n] of [...this.refusalsByReason].sort((a, b) => b[1] - a[1]).slice(0, 40)) lines.push(`  ${String(n).padStart(7)}  ${reason}`);
    const crashes = this.failures.filter((f) => isCrash(f.error)).length;
    lines.push(`failures: ${this.failures.length} (crashes of the daemon or the virtual coordinator: ${crashes})`);
    for (const f of this.failures) {
      lines.push(`  [${f.target}]${isCrash(f.error) ? ' CRASH' : ''} seed ${f.seed}${f.path ? ` path ${f.path}` : ''}`);
      lines.push(`    counterexample: ${f.counterexample.slice(0, 2000)}`);
      lines.push(`    error: ${f.error.split('\n').slice(0, 30).join('\n      ')}`);
    }
    return lines.join('\n');
  }
}

/** A failure where a process died (as opposed to a refusal without a reason, a lost report, ...). */
export function isCrash(error: string): boolean {
  return /the daemon (died|exited)|the virtual coordinator (died|is gone)/.test(error);
}
