// The two line layouts. Records arrive already redacted and JSON-safe.

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface LogRecord {
  time: Date;
  level: LogLevel;
  ns: string;
  msg: string;
  fields: Record<string, unknown>;
}

const CORE_KEYS = new Set(['time', 'level', 'ns', 'msg']);

/**
 * {"time":...,"level":"info","ns":"zigbee","msg":"...",<fields>} on one line (JSON escapes
 * newlines, so a stack trace stays inside its entry). A field that would shadow a core key
 * is written with a leading underscore instead.
 */
export function formatJsonLine(record: LogRecord): string {
  const entry: Record<string, unknown> = {
    time: record.time.toISOString(),
    level: record.level,
    ns: record.ns,
    msg: record.msg,
  };
  for (const [key, value] of Object.entries(record.fields)) {
    entry[CORE_KEYS.has(key) ? `_${key}` : key] = value;
  }
  return JSON.stringify(entry);
}

/** "12:34:56.789 WARN  zigbee: msg key=value other={"a":1}", then any stack traces indented. */
export function formatPrettyLine(record: LogRecord): string {
  const time = record.time.toISOString().slice(11, 23);
  const parts = [`${time} ${record.level.toUpperCase().padEnd(5)} ${record.ns}: ${record.msg}`];
  const stacks: string[] = [];
  for (const [key, value] of Object.entries(record.fields)) {
    if (isSerializedError(value)) {
      parts.push(`${key}=${JSON.stringify(value.message)}`);
      if (typeof value.stack === 'string') stacks.push(indent(value.stack));
      continue;
    }
    parts.push(`${key}=${typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)}`);
  }
  return [parts.join(' '), ...stacks].join('\n');
}

function isSerializedError(value: unknown): value is { message: unknown; stack?: unknown } {
  return typeof value === 'object' && value !== null && 'message' in value && 'name' in value && 'stack' in value;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
