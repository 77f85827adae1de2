// Reconnect delays: exponential growth with jitter, capped. Jitter spreads the reconnects of
// many gateways after a platform outage so they do not all arrive in the same instant.

export interface BackoffOptions {
  /** Delay before the first retry. */
  initialMs: number;
  /** Upper bound for any delay. */
  maxMs: number;
  /** Growth factor per failed attempt. */
  multiplier: number;
  /** 0..1: the fraction of each delay that is randomised (0.5 -> delay in [d/2, d]). */
  jitter: number;
  /**
   * A connection that stayed up (welcomed) at least this long resets the backoff, as does one
   * whose events the platform acknowledged (delivered progress), however short it was.
   */
  healthyAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  initialMs: 500,
  maxMs: 60_000,
  multiplier: 2,
  jitter: 0.5,
  healthyAfterMs: 10_000,
};

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {
    if (!(options.initialMs > 0) || !(options.maxMs >= options.initialMs) || !(options.multiplier >= 1)) {
      throw new RangeError('backoff: need 0 < initialMs <= maxMs and multiplier >= 1');
    }
    if (!(options.jitter >= 0 && options.jitter <= 1)) throw new RangeError('backoff: jitter must be within 0..1');
  }

  /** Failed attempts since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The delay before the next attempt; each call counts as one more failed attempt. */
  next(): number {
    const exponential = this.options.initialMs * Math.pow(this.options.multiplier, this.attempt);
    const capped = Math.min(this.options.maxMs, exponential);
    this.attempt++;
    return Math.round(capped * (1 - this.options.jitter * this.random()));
  }

  reset(): void {
    this.attempt = 0;
  }
}
