// A typed reader over one JSON object of the config file. Every `read*` call names a key,
// its default and its rules; whatever the file holds that no call asked for is reported as
// an unknown key (with a "did you mean" suggestion), so a misspelt setting can never be
// silently ignored. Problems are collected, not thrown, so one run reports all of them.

export interface ConfigProblem {
  /** Dotted key path as written in the file, e.g. "serial.baud_rate" ("" for the whole file). */
  path: string;
  message: string;
}

export class ConfigSection {
  private readonly seen = new Set<string>();
  private readonly values: Record<string, unknown>;

  constructor(
    value: unknown,
    /** Dotted path of this section ("" for the top level). */
    readonly path: string,
    private readonly problems: ConfigProblem[],
  ) {
    if (value === undefined) {
      this.values = {};
    } else if (isPlainObject(value)) {
      this.values = value;
    } else {
      this.values = {};
      this.report(undefined, `expected an object, got ${describeValue(value)}`);
    }
  }

  /** A nested object, e.g. `serial`. A missing section is an empty one: all defaults. */
  section(key: string): ConfigSection {
    return new ConfigSection(this.take(key), this.keyPath(key), this.problems);
  }

  string(key: string, fallback: string, check?: (value: string) => string | undefined): string {
    return this.optionalString(key, check) ?? fallback;
  }

  /** A string with no default; undefined when absent (or invalid, which is reported). */
  optionalString(key: string, check?: (value: string) => string | undefined): string | undefined {
    const value = this.take(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') return this.wrongType(key, 'a string', value);
    if (value.trim() === '') return this.invalid(key, 'must not be empty');
    const why = check?.(value);
    return why === undefined ? value : this.invalid(key, why);
  }

  integer(key: string, fallback: number, range: { min: number; max: number }): number {
    const value = this.take(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.wrongType(key, 'an integer', value) ?? fallback;
    if (value < range.min || value > range.max) {
      return this.invalid(key, `must be between ${range.min} and ${range.max}, got ${value}`) ?? fallback;
    }
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.take(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') return this.wrongType(key, 'true or false', value) ?? fallback;
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = this.take(key);
    if (value === undefined) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    const choices = allowed.map((a) => JSON.stringify(a)).join(', ');
    return this.invalid(key, `expected one of ${choices}, got ${describeValue(value)}`) ?? fallback;
  }

  /** The keys the file gives in this section (for free-form maps such as log.levels). */
  keys(): string[] {
    return Object.keys(this.values);
  }

  /** Reports a problem with a key this section has read (used for rules across keys). */
  report(key: string | undefined, message: string): void {
    this.problems.push({ path: key === undefined ? this.path : this.keyPath(key), message });
  }

  /** Call after reading every known key: reports the keys nobody asked for. */
  rejectUnknownKeys(): void {
    for (const key of Object.keys(this.values)) {
      if (this.seen.has(key)) continue;
      const suggestion = closestKey(key, [...this.seen]);
      const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
      this.problems.push({ path: this.path, message: `unknown key "${key}"${hint}` });
    }
  }

  keyPath(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  private take(key: string): unknown {
    this.seen.add(key);
    return Object.hasOwn(this.values, key) ? this.values[key] : undefined;
  }

  private wrongType(key: string, expected: string, value: unknown): undefined {
    return this.invalid(key, `expected ${expected}, got ${describeValue(value)}`);
  }

  private invalid(key: string, message: string): undefined {
    this.report(key, message);
    return undefined;
  }
}

/** "42", "\"abc\"", "null", "an array", "an object": short enough for an error line. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The known key a typo most likely meant: same letters ignoring case and "_"/"-"
 * (so "dataDir" finds "data_dir"), else the nearest by edit distance if it is close.
 */
export function closestKey(unknown: string, known: string[]): string | undefined {
  const normalize = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
  const exact = known.find((k) => normalize(k) === normalize(unknown));
  if (exact !== undefined) return exact;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(normalize(unknown), normalize(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const tolerance = Math.max(2, Math.floor(unknown.length / 3));
  return bestDistance <= tolerance ? best : undefined;
}

/** Optimal string alignment distance: Levenshtein plus adjacent swaps ("serail"). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
