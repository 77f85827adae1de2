// Shared by the WAL-sync tests: the store's asynchronous fsync held until the test releases it
// (the real fsync then runs), or failing on demand; and a poll for a condition.
import fs from 'node:fs';
import type { FsyncFile } from '../../daemon/store/wal-sync.js';

export function heldFsync() {
  const held: Array<() => void> = [];
  const calls: number[] = [];
  let failing: NodeJS.ErrnoException | undefined;
  const fsyncFile: FsyncFile = (fd, done) => {
    calls.push(fd);
    if (failing) {
      const err = failing;
      setImmediate(() => done(err));
      return;
    }
    held.push(() => fs.fsync(fd, done));
  };
  return {
    fsyncFile,
    calls,
    held,
    releaseAll: () => held.splice(0).forEach((run) => run()),
    fail: (err: NodeJS.ErrnoException | undefined) => (failing = err),
  };
}

export const tick = () => new Promise((resolve) => setTimeout(resolve, 30));

export async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await tick();
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}
