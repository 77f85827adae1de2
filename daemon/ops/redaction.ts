// Keeps secrets out of log lines. Two rules, applied to the message and to every field,
// however deeply nested, including Error messages, stacks and causes:
//  1. a field whose name says it holds a secret (key, token, secret, password, ...) is
//     replaced whatever its value;
//  2. any registered secret value is replaced wherever it appears inside any string.
// Byte secrets (the network key) are matched in every shape a library might print them:
// hex with or without separators or 0x prefixes, decimal byte lists (JSON.stringify and
// util.inspect, which wraps long arrays over several lines), and base64.

export const REDACTED = '[redacted]';

// Shorter "secrets" would blank out ordinary words and numbers all over the log.
const MIN_SECRET_LENGTH = 4;
const MAX_DEPTH = 8;

/** True for field names that hold secrets: networkKey, network_key, api_token, password, ... */
export function isSensitiveKey(name: string): boolean {
  const n = name.toLowerCase().replace(/[_-]/g, '');
  return (
    n.endsWith('key') ||
    n.endsWith('keys') ||
    n.endsWith('token') ||
    n.endsWith('tokens') ||
    n.includes('secret') ||
    n.includes('password') ||
    n.includes('passwd') ||
    n.includes('passphrase') ||
    n === 'authorization' ||
    n === 'cookie' ||
    n === 'credentials'
  );
}

export class SecretRedactor {
  private readonly literals = new Set<string>();
  private readonly patterns: RegExp[] = [];
  private readonly byteSecrets: Buffer[] = [];

  /** Registers a value that must never be printed. Strings shorter than 4 characters are ignored. */
  add(secret: string | Uint8Array): void {
    if (typeof secret === 'string') {
      if (secret.length >= MIN_SECRET_LENGTH) this.literals.add(secret);
      return;
    }
    const bytes = Buffer.from(secret);
    if (bytes.length === 0) return;
    this.byteSecrets.push(bytes);
    this.literals.add(bytes.toString('base64'));
    this.literals.add(bytes.toString('base64url'));
    const hexBytes = [...bytes].map((b) => b.toString(16).padStart(2, '0'));
    // 01 / 0x01 / 0x1, separated by nothing, spaces, ":", "-" or ",".
    const hexByte = (h: string) => `(?:0x)?(?:${h}|${h.replace(/^0/, '')}(?![0-9a-f]))`;
    this.patterns.push(new RegExp(hexBytes.map(hexByte).join('[\\s:,-]*'), 'gi'));
    // 1,3,5 / [ 1, 3, 5 ] / util.inspect's column layout with newlines and padding.
    this.patterns.push(new RegExp(`(?<![0-9])${[...bytes].join('\\s*,\\s*')}(?![0-9])`, 'g'));
  }

  redactText(text: string): string {
    let out = text;
    for (const literal of this.literals) if (out.includes(literal)) out = out.split(literal).join(REDACTED);
    for (const pattern of this.patterns) out = out.replace(pattern, REDACTED);
    return out;
  }

  /**
   * A JSON-safe copy of `value` with both rules applied. Errors become plain objects with
   * name/message/stack/code/cause; Buffers become hex; cycles become "[circular]".
   */
  redactValue(value: unknown): unknown {
    return this.walk(value, new WeakSet(), 0);
  }

  private walk(value: unknown, seen: WeakSet<object>, depth: number): unknown {
    if (typeof value === 'string') return this.redactText(value);
    if (typeof value === 'bigint') return this.redactText(value.toString());
    if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
    if (value === undefined) return undefined;
    if (typeof value === 'function' || typeof value === 'symbol') return this.redactText(String(value));
    const obj = value as object;
    if (seen.has(obj)) return '[circular]';
    if (depth >= MAX_DEPTH) return '[too deep]';
    seen.add(obj);
    try {
      if (obj instanceof Uint8Array) return this.redactText(Buffer.from(obj).toString('hex'));
      if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
      if (obj instanceof Error) return this.walkEntries(errorEntries(obj), seen, depth);
      if (Array.isArray(obj)) return this.holdsByteSecret(obj) ? REDACTED : obj.map((item) => this.walk(item, seen, depth + 1));
      if (obj instanceof Map) return this.walkEntries([...obj.entries()].map(([k, v]) => [String(k), v]), seen, depth);
      if (obj instanceof Set) return [...obj].map((item) => this.walk(item, seen, depth + 1));
      return this.walkEntries(Object.entries(obj), seen, depth);
    } finally {
      seen.delete(obj);
    }
  }

  /** An array of byte values (e.g. herdsman's networkKey: number[]) that contains a byte secret. */
  private holdsByteSecret(items: unknown[]): boolean {
    if (this.byteSecrets.length === 0) return false;
    if (!items.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)) return false;
    const bytes = Buffer.from(items as number[]);
    return this.byteSecrets.some((secret) => bytes.includes(secret));
  }

  private walkEntries(entries: Array<[string, unknown]>, seen: WeakSet<object>, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      out[this.redactText(key)] = isSensitiveKey(key) ? REDACTED : this.walk(item, seen, depth + 1);
    }
    return out;
  }
}

function errorEntries(error: Error): Array<[string, unknown]> {
  const entries: Array<[string, unknown]> = [
    ['name', error.name],
    ['message', error.message],
  ];
  if (error.stack !== undefined) entries.push(['stack', error.stack]);
  // Own enumerable extras (code, errno, syscall, path, ...), then the cause chain.
  for (const [key, item] of Object.entries(error)) if (key !== 'name' && key !== 'message' && key !== 'stack') entries.push([key, item]);
  if (error.cause !== undefined) entries.push(['cause', error.cause]);
  if (error instanceof AggregateError) entries.push(['errors', error.errors]);
  return entries;
}
