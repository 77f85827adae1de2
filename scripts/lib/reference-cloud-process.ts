// The reference cloud as a real child process (`scripts/reference-cloud/cli.ts`), its control
// port, and its command-line tool run the way a person runs it: for fleet-sim and the tests.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../reference-cloud/cli.ts', import.meta.url));

export interface Listening {
  port: number;
  controlPort: number | null;
}

export class CloudProcess {
  readonly lines: string[] = [];
  controlPort: number | null = null;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters = new Set<{ match: RegExp; resolve: (line: string) => void }>();

  private constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      this.lines.push(line);
      for (const waiter of this.waiters) {
        if (waiter.match.test(line)) {
          this.waiters.delete(waiter);
          waiter.resolve(line);
        }
      }
    });
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Starts `cli.ts serve ARGS` and resolves once it printed where it listens. */
  static async start(args: string[]): Promise<CloudProcess & Listening> {
    // stdin stays open: the server reads control lines from it and would stop reading at its end.
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    const cloud = new CloudProcess(child);
    const line = await Promise.race([
      cloud.nextLine(/^\{"listening"/, 60_000),
      cloud.exited.then(({ code }) => Promise.reject(new Error(`reference cloud exited (${code}) before listening`))),
    ]);
    const { listening } = JSON.parse(line) as { listening: Listening };
    cloud.controlPort = listening.controlPort;
    return Object.assign(cloud, { port: listening.port });
  }

  /** The first line (already printed or coming) that matches. */
  nextLine(match: RegExp, timeoutMs = 30_000): Promise<string> {
    const seen = this.lines.find((line) => match.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (line: string) => (clearTimeout(timer), resolve(line)) };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`reference cloud printed no line matching ${match} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** One request on the control port (see scripts/reference-cloud/control.ts); resolves with the reply. */
  async control(request: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (this.controlPort === null) throw new Error('the reference cloud was started without --control-port');
    const socket = connect(this.controlPort, '127.0.0.1');
    try {
      const reply = new Promise<string>((resolve, reject) => {
        socket.once('error', reject);
        createInterface({ input: socket }).once('line', resolve);
      });
      socket.write(JSON.stringify(request) + '\n');
      return JSON.parse(await reply) as Record<string, unknown>;
    } finally {
      socket.destroy();
    }
  }

  /** Resident memory and CPU time used so far (Linux /proc), for measurements. */
  usage(): { rssBytes: number; cpuMs: number } {
    const pid = this.child.pid!;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return { rssBytes: NaN, cpuMs: NaN };
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
    // utime and stime, fields 14 and 15 of /proc/PID/stat, in clock ticks (100 per second on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { rssBytes: rssKiB * 1024, cpuMs: ticks * 10 };
  }

  /** SIGTERM (an orderly stop) or SIGKILL (a crash); resolves when the process is gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

export interface ToolRun {
  code: number;
  stdout: string[];
  stderr: string;
}

/** Runs `cli.ts ARGS` (events, cursors, send, gateways) as a process and collects its output. */
export function runTool(args: string[], timeoutMs = 60_000): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout: stdout.split('\n').filter((line) => line !== ''), stderr });
    });
  });
}
