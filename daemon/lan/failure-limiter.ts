// Counts failed attempts (wrong pairing codes, unknown tokens) per client address in a sliding
// window; an address over the limit is refused until its oldest failure ages out. Memory is
// bounded: addresses are forgotten when their failures expire, and at most `maxAddresses` are kept.
export interface FailureLimiterOptions {
  maxFailures: number;
  windowMs: number;
  now?: () => number;
  maxAddresses?: number;
}

export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly now: () => number;
  private readonly maxAddresses: number;

  constructor(private readonly options: FailureLimiterOptions) {
    this.now = options.now ?? Date.now;
    this.maxAddresses = options.maxAddresses ?? 10_000;
  }

  /** Milliseconds until the address may try again; 0 = it may now. */
  blockedForMs(address: string): number {
    const recent = this.recent(address);
    if (recent.length < this.options.maxFailures) return 0;
    return Math.max(1, recent[recent.length - this.options.maxFailures]! + this.options.windowMs - this.now());
  }

  fail(address: string): void {
    const recent = this.recent(address);
    recent.push(this.now());
    if (!this.failures.has(address) && this.failures.size >= this.maxAddresses) {
      // Oldest-inserted first: a flood of fresh addresses cannot grow the map without bound.
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    this.failures.set(address, recent);
  }

  private recent(address: string): number[] {
    const cutoff = this.now() - this.options.windowMs;
    const list = (this.failures.get(address) ?? []).filter((at) => at > cutoff);
    if (list.length === 0) this.failures.delete(address);
    return list;
  }
}
