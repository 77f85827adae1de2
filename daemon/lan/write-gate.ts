// Waits for a server stream to take writes again. Its listeners are added once per stream, not
// once per wait: a watcher behind a busy socket waits often, and adding and removing three
// listeners each time showed in the hub's CPU profile.
import type { EventEmitter } from 'node:events';

export class WriteGate {
  private waiting: (() => void) | undefined;
  private gone = false;

  constructor(stream: EventEmitter) {
    const open = () => {
      const wake = this.waiting;
      this.waiting = undefined;
      wake?.();
    };
    const close = () => {
      this.gone = true;
      open();
    };
    stream.on('drain', open);
    stream.on('cancelled', close);
    stream.on('close', close);
  }

  /** Resolves on the next 'drain', or at once when the stream was cancelled or closed. */
  writable(): Promise<void> {
    if (this.gone) return Promise.resolve();
    return new Promise((resolve) => (this.waiting = resolve));
  }
}
