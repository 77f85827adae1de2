// Locates the first syntax error in a JSON text.
//
// Why not JSON.parse's message: on Node 20 it carries no position at all, and on every
// version it quotes a slice of the input. Config files are fine to quote, but the same
// parser reads network.json, and a quoted slice of that would print the network key.
// This scanner reports position + a short reason and never echoes the input.

export interface JsonSyntaxError {
  /** 0-based character offset of the offending character. */
  offset: number;
  /** 1-based line and column, as editors show them. */
  line: number;
  column: number;
  reason: string;
}

/** Returns undefined when `text` is valid JSON (per RFC 8259), otherwise where it first goes wrong. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const scanner = new Scanner(text);
  try {
    scanner.skipWhitespace();
    scanner.value();
    scanner.skipWhitespace();
    if (scanner.pos < text.length) scanner.fail('unexpected content after the end of the JSON value');
    return undefined;
  } catch (error) {
    if (error instanceof ScanFailure) return locate(text, error.offset, error.reason);
    throw error;
  }
}

/** Turns a syntax error into "line 3, column 7 (offset 41): reason". */
export function describeJsonSyntaxError(error: JsonSyntaxError): string {
  return `line ${error.line}, column ${error.column} (offset ${error.offset}): ${error.reason}`;
}

class ScanFailure {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

function locate(text: string, offset: number, reason: string): JsonSyntaxError {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1, reason };
}

class Scanner {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(reason: string): never {
    throw new ScanFailure(this.pos, reason);
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private describeHere(): string {
    const ch = this.peek();
    if (ch === undefined) return 'end of file';
    if (ch === '\n') return 'end of line';
    // Only a single character: enough to find it, too little to leak anything.
    return JSON.stringify(ch);
  }

  skipWhitespace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos]!)) this.pos++;
  }

  private expect(ch: string, what: string): void {
    if (this.peek() !== ch) this.fail(`expected ${what}, found ${this.describeHere()}`);
    this.pos++;
  }

  value(): void {
    const ch = this.peek();
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    if (ch === '"') return this.string();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.number();
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.pos)) {
        this.pos += literal.length;
        return;
      }
    }
    if (ch === "'") this.fail('strings must use double quotes');
    this.fail(`expected a value, found ${this.describeHere()}`);
  }

  private object(): void {
    this.pos++; // {
    this.skipWhitespace();
    if (this.peek() === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.peek() === '}') this.fail('trailing comma before "}"');
      if (this.peek() !== '"') this.fail(`expected a double-quoted key, found ${this.describeHere()}`);
      this.string();
      this.skipWhitespace();
      this.expect(':', '":" after the key');
      this.skipWhitespace();
      this.value();
      this.skipWhitespace();
      if (this.peek() === ',') {
        this.pos++;
        continue;
      }
      this.expect('}', '"," or "}"');
      return;
    }
  }

  private array(): void {
    this.pos++; // [
    this.skipWhitespace();
    if (this.peek() === ']') {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.peek() === ']') this.fail('trailing comma before "]"');
      this.value();
      this.skipWhitespace();
      if (this.peek() === ',') {
        this.pos++;
        continue;
      }
      this.expect(']', '"," or "]"');
      return;
    }
  }

  private string(): void {
    const start = this.pos;
    this.pos++; // opening quote
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) {
        this.pos = start;
        this.fail('string is never closed');
      }
      if (ch === '"') {
        this.pos++;
        return;
      }
      if (ch < ' ') this.fail('control character (e.g. a line break) inside a string');
      if (ch === '\\') {
        this.pos++;
        const escape = this.peek();
        if (escape === 'u') {
          const hex = this.text.slice(this.pos + 1, this.pos + 5);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('\\u must be followed by 4 hex digits');
          this.pos += 5;
          continue;
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape)) this.fail('invalid escape sequence');
      }
      this.pos++;
    }
  }

  private number(): void {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!match) this.fail('invalid number');
    this.pos += match[0].length;
  }
}
