// A local NOTIFY_SOCKET (test/ops/fixtures/notify-socket.py) that records what arrives on it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../fixtures/notify-socket.py', import.meta.url));

export interface Notification {
  /** Arrival, ms since the epoch. */
  t: number;
  /** VAR=VALUE assignments of the datagram. */
  fields: Record<string, string>;
}

export class NotifySocket {
  readonly received: Notification[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly path: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(dir: string): Promise<NotifySocket> {
    const socketPath = path.join(dir, 'notify.sock');
    const child = spawn('python3', [SCRIPT, socketPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    const socket = new NotifySocket(socketPath, child);
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`notify socket helper exited ${code}`)));
      readline.createInterface({ input: child.stdout! }).on('line', (line) => {
        const parsed = JSON.parse(line) as { listening?: string; t?: number; msg?: string };
        if (parsed.listening) return resolve();
        const fields = Object.fromEntries(parsed.msg!.split('\n').filter(Boolean).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
        // systemd-notify's own synchronisation message, not ours.
        if (fields.BARRIER) return;
        socket.received.push({ t: parsed.t!, fields });
        for (const wake of socket.waiters) wake();
      });
    });
    return socket;
  }

  /** Resolves once `count` notifications match (already received or future). */
  waitFor(match: (n: Notification) => boolean, count = 1, timeoutMs = 120_000): Promise<Notification[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.received.filter(match);
        if (found.length < count) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${count} notifications; got: ${JSON.stringify(this.received.map((n) => n.fields))}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  stop(): void {
    this.child.kill();
  }
}
