// Making commits durable without blocking the event loop. With synchronous=NORMAL a WAL-mode
// COMMIT only write()s its frames into the -wal file (the page cache); this fsyncs that file on
// libuv's thread pool, and the write batch reports a commit durable (to the cloud link, to
// flush()) only once an fsync that started after its COMMIT returned has completed. Until then
// nothing outside the process has been told, so a power cut can only take what nobody was told
// was kept. SQLite itself still syncs the WAL before each checkpoint and the database after it
// (synchronous=NORMAL), so a checkpoint never drops frames this sync has not covered.
//
// fsync works on the file, not on the descriptor: any open descriptor of the -wal file flushes
// the frames the writer connection wrote. SQLite writes them through the descriptor it opened
// with the connection and keeps until the connection closes (it truncates the file in place and
// deletes it only when the last connection closes, after this is closed), so the file is opened
// once, at the first sync, and that descriptor is kept: it names the very file SQLite writes,
// also if something renamed or replaced the path since. No stat of the path per commit (it cost
// about 60 µs of CPU per commit, four Date objects included: docs/BENCHMARKS.md).
import fs from 'node:fs';

export interface WalSync {
  /** fsyncs the -wal file on the thread pool; `done` runs on the event loop. */
  sync(done: (err: Error | null) => void): void;
  /** fsyncs the -wal file now, blocking (a record that must be kept before the caller goes on; shutdown). */
  syncNow(): void;
  close(): void;
}

/** The asynchronous fsync, passed in so a test can hold it (and still run the real one). */
export type FsyncFile = (fd: number, done: (err: NodeJS.ErrnoException | null) => void) => void;

export function walFileSync(dbPath: string, fsyncFile: FsyncFile = fs.fsync): WalSync {
  const walPath = `${dbPath}-wal`;
  let fd: number | undefined;

  /** The -wal file SQLite writes, opened at the first sync (SQLite has created it by then). */
  const walFd = (): number => (fd ??= fs.openSync(walPath, 'r'));

  const named = (err: unknown): Error =>
    new Error(`fsync of ${walPath} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });

  return {
    sync(done) {
      let target: number;
      try {
        target = walFd();
      } catch (err) {
        queueMicrotask(() => done(named(err)));
        return;
      }
      fsyncFile(target, (err) => done(err ? named(err) : null));
    },
    syncNow() {
      try {
        fs.fsyncSync(walFd());
      } catch (err) {
        throw named(err);
      }
    },
    close() {
      if (fd !== undefined) fs.closeSync(fd);
      fd = undefined;
    },
  };
}
