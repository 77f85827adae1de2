// The virtual coordinator as a child process for the fuzzer: it must survive whatever the
// fuzzer sends it, and a crash of it must show as a finding, not take the fuzzer down.
// Talks to it over its JSON-lines control port (README "The virtual coordinator").
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type ControlReply = { ok: boolean; error?: string; [key: string]: unknown };

export class CoordinatorProcess {
  private socket: net.Socket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (reply: ControlReply) => void>();

  private constructor(
    private readonly child: ChildProcess,
    /** The last lines it wrote to stderr (its log), for a crash report. */
    readonly stderr: string[],
    readonly port: number,
    readonly controlPort: number,
  ) {}

  /** Starts `cli.ts` with its NV state in stateFile; resolves once it listens. */
  static async start(stateFile: string, timeoutMs = 60_000): Promise<CoordinatorProcess> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'scripts/virtual-coordinator/cli.ts'), '--port', '0', '--control-port', '0', '--state', stateFile, '--log-level', 'warn'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const stderr: string[] = [];
    readline.createInterface({ input: child.stderr! }).on('line', (line) => {
      stderr.push(line);
      if (stderr.length > 200) stderr.shift();
    });
    const listening = await new Promise<{ port: number; controlPort: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`virtual coordinator did not start:\n${stderr.join('\n')}`)), timeoutMs);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`virtual coordinator exited (${code}) at start:\n${stderr.join('\n')}`));
      });
      readline.createInterface({ input: child.stdout! }).once('line', (line) => {
        clearTimeout(timer);
        try {
          resolve(JSON.parse(line) as { port: number; controlPort: number });
        } catch {
          reject(new Error(`virtual coordinator printed ${line}`));
        }
      });
    });
    const vc = new CoordinatorProcess(child, stderr, listening.port, listening.controlPort);
    await vc.connect();
    return vc;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  exitDescription(): string {
    return `exit code ${this.child.exitCode}, signal ${this.child.signalCode}; last stderr:\n${this.stderr.slice(-15).join('\n')}`;
  }

  /** One control request; rejects when the coordinator does not answer in time or is gone. */
  request(request: Record<string, unknown>, timeoutMs = 30_000): Promise<ControlReply> {
    const socket = this.socket;
    if (!socket || socket.destroyed || !this.alive) return Promise.reject(new Error(`virtual coordinator is gone (${this.exitDescription()})`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`virtual coordinator did not answer ${JSON.stringify(request).slice(0, 200)} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      socket.write(`${JSON.stringify({ ...request, id })}\n`);
    });
  }

  /** Like request(), but a refusal ({ok:false}) is an error. */
  async must(request: Record<string, unknown>, timeoutMs?: number): Promise<ControlReply> {
    const reply = await this.request(request, timeoutMs);
    if (!reply.ok) throw new Error(`virtual coordinator refused ${String(request.cmd)}: ${reply.error}`);
    return reply;
  }

  async stop(): Promise<void> {
    this.socket?.destroy();
    if (!this.alive) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private async connect(): Promise<void> {
    const socket = net.connect(this.controlPort, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.on('error', () => undefined);
    socket.setEncoding('utf8');
    readline.createInterface({ input: socket }).on('line', (line) => {
      let reply: ControlReply & { id?: number };
      try {
        reply = JSON.parse(line) as ControlReply & { id?: number };
      } catch {
        return;
      }
      const resolve = typeof reply.id === 'number' ? this.pending.get(reply.id) : undefined;
      if (resolve) {
        this.pending.delete(reply.id!);
        resolve(reply);
      }
    });
    this.socket = socket;
  }
}
