// Resolves with the first `name` event from `emitter` that passes `predicate`; rejects after
// timeoutMs with an error saying what `who` was waiting for. Shared by the reference cloud and
// the fuzzing platform.
import type { EventEmitter } from 'node:events';

export function waitForEvent<T>(emitter: EventEmitter, name: string, predicate: (value: T) => boolean, timeoutMs: number, who: string, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const listener = (value: T) => {
      if (!predicate(value)) return;
      clearTimeout(timer);
      emitter.off(name, listener);
      resolve(value);
    };
    const timer = setTimeout(() => {
      emitter.off(name, listener);
      reject(new Error(`${who}: timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    emitter.on(name, listener);
  });
}
