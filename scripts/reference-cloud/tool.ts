// The reference cloud's command-line tool beside its server: query what it stored (straight
// from its SQLite file, also while it runs or after it stopped) and send commands through a
// running server's control port.
//
// Exit codes: 0 ok; 1 the gateway answered the command with ok = false (its error is printed);
// 2 bad command line; 3 the database or the control port cannot be reached, or no result in time.
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { commandFromWords, SEND_USAGE, UsageError } from './command-args.js';
import { CloudEventStore } from './event-store.js';
import { formatEvent } from './format.js';

export const TOOL_COMMANDS = ['events', 'cursors', 'send', 'gateways'] as const;

export const TOOL_USAGE = `usage: reference-cloud COMMAND ...
  [serve] [--port P] [--db FILE] [--control-port C] ...   run the server (see cli.ts)
  events --db FILE --gateway G [--since SEQ] [--epoch E] [--kind K] [--limit N] [--json]
  cursors --db FILE [--json]                              per (gateway, epoch): last seq, events, duplicates
  gateways --control-port C                               the gateways connected now
  send --control-port C --gateway G [--timeout-ms MS] [--id ID] [--force] ACTION ...
${SEND_USAGE}`;

export interface ToolIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

class Unreachable extends Error {}

export async function runCloudTool(argv: string[], io: ToolIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`reference-cloud: ${message}\n${TOOL_USAGE}`);
      return 2;
    }
    io.stderr(`reference-cloud: ${message}`);
    return 3;
  }
}

async function dispatch(argv: string[], io: ToolIo): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: command === 'send',
    strict: true,
    options: {
      db: { type: 'string' },
      gateway: { type: 'string' },
      since: { type: 'string' },
      epoch: { type: 'string' },
      kind: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
      'control-port': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'timeout-ms': { type: 'string' },
      id: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  switch (command) {
    case 'events': {
      const query = {
        gatewayId: required(values.gateway, '--gateway'),
        afterSeq: count(values.since, '--since') ?? 0,
        ...(values.epoch !== undefined ? { epoch: values.epoch } : {}),
        ...(values.kind !== undefined ? { kind: values.kind } : {}),
        ...(values.limit !== undefined ? { limit: count(values.limit, '--limit')! } : {}),
      };
      const store = openDatabase(values.db);
      try {
        const events = store.query(query);
        for (const event of events) io.stdout(values.json ? JSON.stringify(event) : formatEvent(event));
        return 0;
      } finally {
        store.close();
      }
    }
    case 'cursors': {
      const store = openDatabase(values.db);
      try {
        for (const cursor of store.cursors()) {
          io.stdout(
            values.json
              ? JSON.stringify(cursor)
              : `${cursor.gatewayId} epoch ${cursor.epoch || '-'}: last seq ${cursor.lastSeq}, ${cursor.events} events, ${cursor.duplicates} duplicates`,
          );
        }
        return 0;
      } finally {
        store.close();
      }
    }
    case 'gateways': {
      const reply = await control(values, { op: 'gateways' }, 10_000);
      for (const gateway of reply.gateways as Array<Record<string, unknown>>) io.stdout(JSON.stringify(gateway));
      return 0;
    }
    case 'send': {
      const gateway = required(values.gateway, '--gateway');
      const timeoutMs = count(values['timeout-ms'], '--timeout-ms') ?? 30_000;
      const request = { ...commandFromWords(positionals, values.force), ...(values.id !== undefined ? { id: values.id } : {}) };
      const reply = await control(values, { op: 'command', gateway, command: request, timeoutMs }, timeoutMs + 5_000);
      const result = reply.result as { ok: boolean; error?: string };
      io.stdout(JSON.stringify(result));
      if (!result.ok) io.stderr(`reference-cloud: ${gateway} answered: ${result.error ?? 'failed'}`);
      return result.ok ? 0 : 1;
    }
    default:
      throw new UsageError(command === undefined ? 'a COMMAND is needed' : `unknown command ${JSON.stringify(command)}`);
  }
}

/** A query opens the file read-only and never creates one (a typo must not look like "no events"). */
function openDatabase(file: string | undefined): CloudEventStore {
  const path = required(file, '--db');
  if (!existsSync(path)) throw new Unreachable(`no reference cloud database at ${path}`);
  return new CloudEventStore(path, { mustExist: true, readonly: true });
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a whole number >= 0, got ${JSON.stringify(value)}`);
  return n;
}

/** One request on a running server's control port; resolves with its reply, throws on ok = false. */
async function control(values: { 'control-port'?: string; host: string }, request: Record<string, unknown>, timeoutMs: number): Promise<Record<string, unknown>> {
  const port = count(required(values['control-port'], '--control-port'), '--control-port')!;
  const socket = connect(port, values.host);
  try {
    const reply = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Unreachable(`no reply from the control port within ${timeoutMs} ms`)), timeoutMs);
      socket.once('error', (error) => (clearTimeout(timer), reject(new Unreachable(`cannot reach the control port ${values.host}:${port}: ${error.message}`))));
      createInterface({ input: socket }).once('line', (line) => {
        clearTimeout(timer);
        resolve(JSON.parse(line) as Record<string, unknown>);
      });
      socket.write(JSON.stringify({ ref: 1, ...request }) + '\n');
    });
    if (reply.ok !== true) {
      const error = String(reply.error);
      // A command that got no result in time is the cloud's "timed out" (the gateway may be offline).
      throw /timed out/.test(error) ? new Unreachable(error) : new UsageError(error);
    }
    return reply;
  } finally {
    socket.destroy();
  }
}
