// Small numeric helpers shared by the benchmarks.

/** The p-quantile (0..1) of unsorted samples, nearest rank; NaN when there are none. */
export function quantile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** "min-max" of repeated measurements, for a noisy machine. */
export function range(values: readonly number[], digits = 0): string {
  if (values.length === 0) return '-';
  const lo = round(Math.min(...values), digits);
  const hi = round(Math.max(...values), digits);
  return lo === hi ? String(lo) : `${lo}-${hi}`;
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}
