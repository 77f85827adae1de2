// Small waiting and rounding helpers for fleet-sim.

/** Resolves true once the condition holds; after the timeout throws, or resolves false when told not to throw. */
export async function waitUntil(condition: () => boolean, timeoutMs: number, throwOnTimeout = true): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      if (throwOnTimeout) throw new Error(`fleet-sim: condition not met within ${timeoutMs / 1000} s`);
      return false;
    }
    await sleep(50);
  }
  return true;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function round(value: number): number {
  return Math.round(value * 10) / 10;
}

export function mib(bytes: number): number {
  return round(bytes / 1024 / 1024);
}
