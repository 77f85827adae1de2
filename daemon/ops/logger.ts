// Structured logging for journald: one line per entry with level, namespace, message and
// fields; JSON lines by default, a readable layout on a terminal. Every line passes through
// the redactor first, so neither a field named like a secret nor a registered secret value
// (the network key, a token) can reach the log, not even inside an error's stack.
//
// Other modules depend only on the Logger interface and receive one as a dependency.

import { SecretRedactor } from './redaction.js';
import { formatJsonLine, formatPrettyLine, type LogLevel, type LogRecord } from './log-format.js';
import { DEFAULT_REPEAT_LIMIT, RepeatLimiter, type RepeatLimit, type SuppressedLines } from './repeat-limiter.js';

export type { LogLevel };
export type LogFields = Record<string, unknown>;

export interface Logger {
  error(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  /** A logger whose lines carry `ns` (nested: "zigbee:adapter"); shares level, output and secrets. */
  child(ns: string): Logger;
  /** Never print this value (string, or bytes matched as hex/byte list/base64) from now on. */
  addSecret(secret: string | Uint8Array): void;
  /** For debug lines that are costly to build. */
  isLevelEnabled(level: LogLevel): boolean;
}

/** The root logger: also lets the owner change the level at run time. */
export interface RootLogger extends Logger {
  setLevel(level: LogLevel): void;
  /** Writes the "suppressed N" lines still owed for repeated lines (at shutdown). */
  flushRepeats(): void;
}

/** Where lines go: process.stdout, a file stream, or an array in a test. */
export interface LogOutput {
  write(line: string): unknown;
  isTTY?: boolean;
}

export interface LoggerOptions {
  out: LogOutput;
  level?: LogLevel;
  /** auto (default): pretty when `out` is a TTY, JSON lines otherwise. */
  format?: 'auto' | 'json' | 'pretty';
  /**
   * Prefix lines with "<N>" so journald records each line's priority. Only for stdout
   * connected to the journal (see isJournalStream); shells and files would show the prefix.
   */
  syslogPriorityPrefix?: boolean;
  /** Namespace of the root logger's own lines. */
  ns?: string;
  /**
   * Levels for namespaces and everything under them, overriding `level` (`zigbee` covers
   * `zigbee:herdsman`; the most specific one wins), e.g. { 'zigbee:herdsman': 'warn' }.
   */
  levels?: Record<string, LogLevel>;
  /**
   * Repeated lines (same level, namespace, message and device `ieee`): `burst` per window are
   * written, the rest counted into one "suppressed N" line per window. Debug lines are never
   * limited. Default 10 a minute; false: no limit.
   */
  repeats?: RepeatLimit | false;
  now?: () => Date;
}

const SEVERITY: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };
// syslog(3) priorities, as journald reads them from a "<N>" prefix.
const SYSLOG_PRIORITY: Record<LogLevel, number> = { error: 3, warn: 4, info: 6, debug: 7 };

interface PendingLine {
  level: LogLevel;
  ns: string;
  msg: string;
  fields: LogFields | undefined;
}

interface LoggerCore {
  level: LogLevel;
  readonly levels: ReadonlyArray<[ns: string, level: LogLevel]>;
  readonly out: LogOutput;
  readonly pretty: boolean;
  readonly priorityPrefix: boolean;
  readonly redactor: SecretRedactor;
  readonly now: () => Date;
  repeats: RepeatTracker | undefined;
}

export function createLogger(options: LoggerOptions): RootLogger {
  const format = options.format ?? 'auto';
  const core: LoggerCore = {
    level: options.level ?? 'info',
    // Longest namespace first: the first match is the most specific.
    levels: Object.entries(options.levels ?? {}).sort(([a], [b]) => b.length - a.length),
    out: options.out,
    pretty: format === 'pretty' || (format === 'auto' && options.out.isTTY === true),
    priorityPrefix: options.syslogPriorityPrefix ?? false,
    redactor: new SecretRedactor(),
    now: options.now ?? (() => new Date()),
    repeats: undefined,
  };
  if (options.repeats !== false) core.repeats = new RepeatTracker(core, options.repeats ?? DEFAULT_REPEAT_LIMIT);
  const root = new NamespacedLogger(core, options.ns ?? 'hubd', true);
  return Object.assign(root, {
    setLevel: (level: LogLevel) => void (core.level = level),
    flushRepeats: () => core.repeats?.flush(true),
  });
}

class NamespacedLogger implements Logger {
  constructor(
    private readonly core: LoggerCore,
    private readonly ns: string,
    private readonly isRoot: boolean,
  ) {}

  error(msg: string, fields?: LogFields): void {
    this.write('error', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.write('warn', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.write('info', msg, fields);
  }
  debug(msg: string, fields?: LogFields): void {
    this.write('debug', msg, fields);
  }

  child(ns: string): Logger {
    return new NamespacedLogger(this.core, this.isRoot ? ns : `${this.ns}:${ns}`, false);
  }

  addSecret(secret: string | Uint8Array): void {
    this.core.redactor.add(secret);
  }

  isLevelEnabled(level: LogLevel): boolean {
    return SEVERITY[level] <= SEVERITY[this.ownLevel()];
  }

  private ownLevel(): LogLevel {
    for (const [ns, level] of this.core.levels) {
      if (this.ns === ns || this.ns.startsWith(`${ns}:`)) return level;
    }
    return this.core.level;
  }

  private write(level: LogLevel, msg: string, fields: LogFields | undefined): void {
    if (!this.isLevelEnabled(level)) return;
    const line = { level, ns: this.ns, msg, fields };
    if (level !== 'debug' && this.core.repeats && !this.core.repeats.admit(line)) return;
    writeLine(this.core, line);
  }
}

function writeLine(core: LoggerCore, { level, ns, msg, fields }: PendingLine): void {
  let line: string;
  try {
    const record: LogRecord = {
      time: core.now(),
      level,
      ns,
      msg: core.redactor.redactText(String(msg)),
      fields: fields === undefined ? {} : (core.redactor.redactValue(fields) as Record<string, unknown>),
    };
    line = core.pretty ? formatPrettyLine(record) : formatJsonLine(record);
  } catch (error) {
    // Logging must never take the daemon down; say what was lost instead.
    const why = core.redactor.redactText(error instanceof Error ? error.message : String(error));
    line = JSON.stringify({ level: 'error', ns, msg: `log entry could not be formatted: ${why}` });
  }
  const prefix = core.priorityPrefix ? `<${SYSLOG_PRIORITY[level]}>` : '';
  core.out.write(`${prefix}${line}\n`);
}

/** The logger's side of the repeat limit: what to write now, and a timer for owed summaries. */
class RepeatTracker {
  private readonly limiter: RepeatLimiter<PendingLine>;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly core: LoggerCore,
    private readonly limit: RepeatLimit,
  ) {
    this.limiter = new RepeatLimiter(limit, () => core.now().getTime());
  }

  /** Whether `line` is written; a summary owed for its kind's last window is written first. */
  admit(line: PendingLine): boolean {
    const ieee = typeof line.fields?.['ieee'] === 'string' ? line.fields['ieee'] : '';
    const verdict = this.limiter.admit(`${line.level}\u0000${line.ns}\u0000${line.msg}\u0000${ieee}`, line);
    if (verdict.ended) this.writeSummary(verdict.ended);
    if (!verdict.write) this.schedule();
    return verdict.write;
  }

  /** Summaries of ended windows (of every window with `all`). */
  flush(all = false): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const ended of this.limiter.takeEnded(all)) this.writeSummary(ended);
    this.schedule();
  }

  // A flood that stops still gets its summary, without waiting for the next line of its kind.
  private schedule(): void {
    if (this.timer) return;
    const at = this.limiter.nextSummaryAt();
    if (at === undefined) return;
    this.timer = setTimeout(() => this.flush(), Math.max(0, at - this.core.now().getTime()));
    this.timer.unref();
  }

  private writeSummary({ suppressed, last }: SuppressedLines<PendingLine>): void {
    writeLine(this.core, {
      level: last.level,
      ns: last.ns,
      msg: `${last.msg} (suppressed ${suppressed} more like it)`,
      fields: { suppressed, window_seconds: this.limit.windowMs / 1000, ...(last.fields ? { last: last.fields } : {}) },
    });
  }
}
