// The two ways the benchmark sends: unpaced (as fast as the pipeline takes them, with at most
// `window` reports not yet seen at the far end, so nothing queues without bound) and paced (a
// fixed rate, spread over time like radio traffic, for latency at a realistic load).

/** Wakes whoever waits for the far end to make progress. */
export class ProgressSignal {
  private waiters: Array<() => void> = [];

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves true on progress, false after timeoutMs without any. */
  next(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve(false);
      }, timeoutMs);
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.waiters.push(wake);
    });
  }
}

export interface Pipeline {
  /** Sends one report. */
  send(): void;
  /** Reports sent and not yet seen at the far end. */
  inFlight(): number;
  progress: ProgressSignal;
}

export interface LoopResult {
  sent: number;
  /** From the first send until the far end saw the last report (or gave up). */
  seconds: number;
  /** Reports never seen at the far end (a stall of stallMs ended the wait). */
  lost: number;
}

/** Sends `count` reports unpaced, keeping at most `window` in flight. */
export async function sendUnpaced(pipe: Pipeline, count: number, window: number, stallMs = 10_000): Promise<LoopResult> {
  const t0 = performance.now();
  let sent = 0;
  while (sent < count) {
    while (sent < count && pipe.inFlight() < window) {
      pipe.send();
      sent++;
    }
    if (!(await pipe.progress.next(stallMs))) break;
  }
  const lost = await drain(pipe, stallMs);
  return { sent, seconds: (performance.now() - t0) / 1000, lost };
}

/** Sends `rate` reports/s for `seconds`, then waits for the far end to see them all. */
export async function sendPaced(pipe: Pipeline, rate: number, seconds: number, stallMs = 10_000): Promise<LoopResult> {
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  let sent = 0;
  while (performance.now() < end) {
    const due = Math.min(Math.floor(((performance.now() - t0) / 1000) * rate), Math.round(rate * seconds));
    for (; sent < due; sent++) pipe.send();
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const lost = await drain(pipe, stallMs);
  return { sent, seconds: (performance.now() - t0) / 1000, lost };
}

async function drain(pipe: Pipeline, stallMs: number): Promise<number> {
  while (pipe.inFlight() > 0) {
    if (!(await pipe.progress.next(stallMs))) return pipe.inFlight();
  }
  return 0;
}
