// A Logger that records every line (message + fields, serialised) so tests can assert on what
// was logged - and on what never was (secrets).
import type { LogFields, Logger } from '../../../daemon/cloud/types.js';

export class CaptureLog implements Logger {
  readonly lines: string[] = [];
  private readonly watchers = new Set<() => void>();
  /** Absent like on a plain logger; a test sets it to see what is registered as secret. */
  addSecret?: (secret: string) => void;

  debug(message: string, fields?: LogFields): void {
    this.record('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.record('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.record('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.record('error', message, fields);
  }

  /** Resolves once `count` lines match (counting lines already logged). */
  waitFor(pattern: RegExp, count = 1, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => this.lines.filter((line) => pattern.test(line)).length >= count;
      if (check()) return resolve();
      const timer = setTimeout(() => {
        this.watchers.delete(watcher);
        reject(new Error(`log: fewer than ${count} lines matching ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      const watcher = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.watchers.delete(watcher);
        resolve();
      };
      this.watchers.add(watcher);
    });
  }

  text(): string {
    return this.lines.join('\n');
  }

  private record(level: string, message: string, fields?: LogFields): void {
    this.lines.push(`${level} ${message}${fields ? ' ' + JSON.stringify(fields) : ''}`);
    if (process.env.CLOUD_TEST_LOG) console.error(this.lines.at(-1));
    for (const watcher of [...this.watchers]) watcher();
  }
}
