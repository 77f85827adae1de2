// hubctl as a real child process (node bin/hubctl.js), for the end-to-end tests.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/hubctl.js');

export interface HubctlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function hubctl(args: string[], env: NodeJS.ProcessEnv = {}): Promise<HubctlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A long-running `hubctl watch --json`: its parsed lines, and a way to wait for one. */
export class HubctlWatch {
  readonly items: Array<Record<string, any>> = [];
  private readonly child: ChildProcess;
  private readonly waiters = new Set<{ match: (i: Record<string, any>) => boolean; resolve: (i: Record<string, any>) => void }>();
  readonly stderr: string[] = [];

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [BIN, 'watch', '--json', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    readline.createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const item = JSON.parse(line) as Record<string, any>;
      this.items.push(item);
      for (const waiter of this.waiters) {
        if (waiter.match(item)) {
          this.waiters.delete(waiter);
          waiter.resolve(item);
        }
      }
    });
    readline.createInterface({ input: this.child.stderr! }).on('line', (line) => this.stderr.push(line));
  }

  waitFor(match: (item: Record<string, any>) => boolean, timeoutMs = 90_000): Promise<Record<string, any>> {
    const seen = this.items.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`hubctl watch: nothing matched in ${timeoutMs} ms; stderr: ${this.stderr.join('\n')}`));
      }, timeoutMs);
      const waiter = {
        match,
        resolve: (item: Record<string, any>) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      this.waiters.add(waiter);
    });
  }

  stop(): void {
    this.child.kill('SIGINT');
  }
}
