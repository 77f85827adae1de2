// A forked helper of the bench (coordinator-host.ts, cloud-host.ts) with typed messages.
import { fork, type ChildProcess } from 'node:child_process';

export class HelperProcess<In, Out extends { kind: string }> {
  private readonly listeners = new Set<(message: Out) => void>();

  private constructor(readonly child: ChildProcess) {
    child.on('message', (message: Out) => {
      for (const listener of this.listeners) listener(message);
    });
  }

  /** TypeScript helpers run through tsx; a plain .mjs one by plain node (its memory is measured). */
  static start<In, Out extends { kind: string }>(file: string, args: string[]): HelperProcess<In, Out> {
    const execArgv = file.endsWith('.mjs') ? [] : ['--import', 'tsx'];
    const child = fork(file, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new HelperProcess<In, Out>(child);
  }

  send(message: In): void {
    this.child.send(message as object);
  }

  on(listener: (message: Out) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The next message of this kind. */
  next<K extends Out['kind']>(kind: K, timeoutMs = 120_000): Promise<Extract<Out, { kind: K }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no "${kind}" message from ${this.child.spawnargs.join(' ')} within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.on((message) => {
        if (message.kind !== kind) return;
        clearTimeout(timer);
        off();
        resolve(message as Extract<Out, { kind: K }>);
      });
    });
  }

  async stop(stopMessage: In): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.send(stopMessage);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
