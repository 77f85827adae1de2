// Online backups: a consistent copy of everything durable, taken through a separate read-only
// connection (WAL readers never block the writer), checked, written under a temporary name,
// fsynced and renamed into place, then the oldest beyond `keep` are deleted.
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { createPrivateFile, fsyncDir, PRIVATE_DIR_MODE } from './connection.js';
import { writeNewEpoch } from './outbox.js';
import type { StoreClock, StoreLog } from './types.js';

export const DAY_MS = 24 * 3600_000;

export interface BackupsOptions {
  dbPath: string;
  dir: string;
  keep: number;
  intervalMs: number;
  clock: StoreClock;
  log: StoreLog;
  /** Makes everything queued durable first, so the backup has it. */
  flush: () => Promise<void>;
}

export class Backups {
  private readonly prefix: string;
  private timer: unknown;
  private stopped = true;
  /** Backups run one at a time; each waits for the previous one. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: BackupsOptions) {
    this.prefix = basename(opts.dbPath) + '.';
    mkdirSync(opts.dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    // Copies of the device data: private whatever the umask (also a folder an older version made).
    chmodSync(opts.dir, PRIVATE_DIR_MODE);
    for (const name of readdirSync(opts.dir)) {
      // Left over by a crash mid-backup: never renamed, so never a valid backup.
      if (name.startsWith('.' + this.prefix) && name.endsWith('.tmp')) rmSync(join(opts.dir, name), { force: true });
    }
  }

  /** Schedules the next backup one interval after the newest existing one (now if there is none). */
  start(): void {
    this.stopped = false;
    const now = this.opts.clock.now();
    const newest = this.list()[0];
    const newestAt = newest === undefined ? undefined : stampTime(newest);
    // A clock that went backwards (no RTC, before NTP) must not postpone backups indefinitely.
    const delay = newestAt === undefined ? 0 : Math.min(Math.max(newestAt + this.opts.intervalMs - now, 0), this.opts.intervalMs);
    this.timer = this.opts.clock.setTimeout(() => this.scheduled(), delay); // scheduled() catches its own errors
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Paths of existing backups, newest first. */
  list(): string[] {
    return listBackups(this.opts.dir, this.opts.dbPath);
  }

  backupNow(): Promise<string> {
    const run = this.chain.then(() => this.takeBackup());
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Waits for a backup in progress (close). */
  async idle(): Promise<void> {
    await this.chain;
  }

  private async scheduled(): Promise<void> {
    this.timer = undefined;
    try {
      await this.backupNow();
    } catch (err) {
      this.opts.log.error('store: scheduled backup failed', { err: String(err) });
    }
    if (!this.stopped) this.start();
  }

  private async takeBackup(): Promise<string> {
    await this.opts.flush();
    const finalPath = this.freshName();
    const tmpPath = join(this.opts.dir, '.' + basename(finalPath) + '.tmp');
    const source = new Database(this.opts.dbPath, { readonly: true, fileMustExist: true });
    try {
      // Created 0600 first: SQLite keeps an existing file's mode (and gives its journal the same).
      createPrivateFile(tmpPath);
      // Copy every page in one step: one read transaction, so one consistent snapshot.
      await source.backup(tmpPath, { progress: () => 0x7fffffff });
    } catch (err) {
      rmSync(tmpPath, { force: true });
      throw err;
    } finally {
      source.close();
    }
    try {
      const copy = new Database(tmpPath);
      try {
        // A self-contained single file (no -wal needed), checked before it counts as a backup.
        copy.pragma('journal_mode = DELETE');
        // If this copy is ever restored, its seqs restart below ones the cloud already has:
        // a fresh epoch makes the cloud treat them as a new sequence instead of duplicates.
        writeNewEpoch(copy, this.opts.clock.now());
        const check = copy.pragma('quick_check', { simple: true });
        if (check !== 'ok') throw new Error(`backup copy failed its check: ${String(check)}`);
      } finally {
        copy.close();
      }
      const fd = openSync(tmpPath, 'r+');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmpPath, finalPath);
      fsyncDir(this.opts.dir);
    } catch (err) {
      rmSync(tmpPath, { force: true });
      throw err;
    }
    this.rotate();
    this.opts.log.info('store: backup written', { path: finalPath });
    return finalPath;
  }

  private rotate(): void {
    for (const old of this.list().slice(Math.max(1, this.opts.keep))) rmSync(old, { force: true });
  }

  private freshName(): string {
    const taken = new Set(this.list());
    for (let t = this.opts.clock.now(); ; t++) {
      const path = join(this.opts.dir, `${this.prefix}${formatStamp(t)}.bak`);
      if (!taken.has(path)) return path;
    }
  }
}

/** Paths of the backups of `dbPath` in `dir`, newest first; none when the dir does not exist. */
export function listBackups(dir: string, dbPath: string): string[] {
  if (!existsSync(dir)) return [];
  const prefix = basename(dbPath) + '.';
  return readdirSync(dir)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.bak') && stampTime(name) !== undefined)
    .sort()
    .reverse()
    .map((name) => join(dir, name));
}

/** 20261124T213357-123Z: sorts in time order, safe in file names. */
function formatStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace('.', '-');
}

function stampTime(name: string): number | undefined {
  const m = /\.(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})-(\d{3})Z\.bak$/.exec(name);
  if (!m) return undefined;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!);
}
