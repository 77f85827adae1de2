// A Logger that records every line (message + fields, serialised) so tests can assert on what
// was logged - and on what never was (secrets).
import type { LogFields, Logger } from '../../../daemon/cloud/types.js';

export class CaptureLog implements Logger {
  readonly lines: string[] = [];

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

  text(): string {
    return this.lines.join('\n');
  }

  private record(level: string, message: string, fields?: LogFields): void {
    this.lines.push(`${level} ${message}${fields ? ' ' + JSON.stringify(fields) : ''}`);
    if (process.env.CLOUD_TEST_LOG) console.error(this.lines.at(-1));
  }
}
