// Runs zigbee-hubd as a real child process (as systemd would), for the demo and the
// end-to-end tests: writes its config, reads its JSON log lines, stops it with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface LogLine {
  level: string;
  msg: string;
  ns?: string;
  [field: string]: unknown;
}

export interface DaemonProcessOptions {
  /** The config object written to <dir>/config.json (snake_case keys as in the file format). */
  config: Record<string, unknown>;
  /** Folder for config.json; the config's data_dir is relative to it unless absolute. */
  dir: string;
  /** Each parsed log line (JSON); lines that are not JSON arrive with level "raw". */
  onLog?: (line: LogLine) => void;
  /** Extra environment. */
  env?: NodeJS.ProcessEnv;
  /** Extra node flags, e.g. --cpu-prof (which NODE_OPTIONS does not accept). */
  nodeArgs?: string[];
  /** The entry point to run; this checkout's bin/zigbee-hubd.js by default (e.g. an installed copy's). */
  bin?: string;
  /** The node binary; this process's by default (e.g. Node 24's beside the machine's Node 20). */
  node?: string;
}

export class DaemonProcess {
  readonly lines: LogLine[] = [];
  readonly stderr: string[] = [];
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters = new Set<{ match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }>();

  private constructor(
    readonly child: ChildProcess,
    readonly configFile: string,
    onLog?: (line: LogLine) => void,
  ) {
    readline.createInterface({ input: child.stdout! }).on('line', (text) => {
      const line = parseLine(text);
      this.lines.push(line);
      onLog?.(line);
      for (const waiter of this.waiters) {
        if (waiter.match(line)) {
          this.waiters.delete(waiter);
          waiter.resolve(line);
        }
      }
    });
    readline.createInterface({ input: child.stderr! }).on('line', (text) => this.stderr.push(text));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static start(options: DaemonProcessOptions): DaemonProcess {
    fs.mkdirSync(options.dir, { recursive: true });
    const configFile = path.join(options.dir, 'config.json');
    fs.writeFileSync(configFile, JSON.stringify(options.config, null, 2));
    const child = spawn(options.node ?? process.execPath, [...(options.nodeArgs ?? []), options.bin ?? path.join(ROOT, 'bin/zigbee-hubd.js'), '--config', configFile], {
      cwd: options.bin ? path.dirname(options.bin) : ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new DaemonProcess(child, configFile, options.onLog);
  }

  /** Resolves with the first log line (already seen or future) that matches. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs = 60_000): Promise<LogLine> {
    const seen = this.lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (line: LogLine) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out waiting for a daemon log line; last lines:\n${this.tail()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
      void this.exited.then(({ code, signal }) => {
        if (!this.waiters.has(waiter)) return;
        this.waiters.delete(waiter);
        clearTimeout(timer);
        reject(new Error(`daemon exited (code ${code}, signal ${signal}) before the awaited log line:\n${this.tail()}`));
      });
    });
  }

  ready(timeoutMs = 90_000): Promise<LogLine> {
    return this.waitForLog((l) => l.msg === 'zigbee-hubd ready', timeoutMs);
  }

  /** SIGTERM and wait for the exit; SIGKILL after the timeout. */
  async stop(timeoutMs = 45_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
      const result = await this.exited;
      clearTimeout(timer);
      return result;
    }
    return this.exited;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child.kill(signal);
  }

  waitForExit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exited;
  }

  tail(n = 25): string {
    const out = this.lines.slice(-n).map((l) => JSON.stringify(l));
    return [...out, ...this.stderr.slice(-n).map((l) => `stderr: ${l}`)].join('\n');
  }
}

function parseLine(text: string): LogLine {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && typeof (parsed as LogLine).msg === 'string') return parsed as LogLine;
  } catch {
    // not JSON: keep it as a raw line
  }
  return { level: 'raw', msg: text };
}
