// Opening the one writer connection: pragmas chosen for power loss, an integrity check, and
// moving a corrupt database aside (never deleting it) so the daemon can start on a fresh one.
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/**
 * Durability choices (the hub runs on SD cards and loses power without warning):
 * - journal_mode=WAL: a commit appends to the -wal file instead of rewriting pages in place, so
 *   a torn write can only hit the tail of the log, which SQLite discards by checksum on
 *   recovery; readers (backups) do not block the writer.
 * - synchronous=FULL: with WAL, NORMAL does not fsync the WAL at commit, so the last
 *   transactions before a power cut can vanish although they were reported committed. We
 *   acknowledge commits to callers (flush()), so each commit must be on the medium: FULL
 *   fsyncs the WAL at every commit. The daemon's store lowers it to NORMAL only together with
 *   its own fsync of the WAL off the event loop (wal-sync.ts), which it waits for before it
 *   reports a commit. Group commit (write-batch.ts) keeps that to a few fsyncs per second
 *   however many changes arrive, which is what protects the SD card.
 * - journal_size_limit: truncates the WAL after checkpoints so it does not stay at its
 *   high-water size forever.
 * - foreign_keys: device_state rows die with their device.
 * - cell_size_check: detects some corruption on read instead of returning garbage.
 * What no pragma fixes: a card that acknowledges a flush it has not done; use a card or
 * USB stick with power-loss protection for that.
 */
function applyPragmas(db: Database.Database): void {
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') throw new Error(`could not switch ${db.name} to WAL (journal_mode is ${String(mode)})`);
  db.pragma('synchronous = FULL');
  db.pragma('journal_size_limit = 8388608');
  db.pragma('foreign_keys = ON');
  db.pragma('cell_size_check = ON');
  db.pragma('busy_timeout = 5000');
}

export class IntegrityError extends Error {
  constructor(readonly problems: string[]) {
    super(`integrity check failed: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (+${problems.length - 3} more)` : ''}`);
    this.name = 'IntegrityError';
  }
}

/** SQLite errors that mean "the file is damaged", as opposed to permissions, a full disk, etc. */
export function isCorruption(err: unknown): boolean {
  if (err instanceof IntegrityError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))) return true;
  const cause = (err as { cause?: unknown } | null)?.cause;
  return cause !== undefined && cause !== err && isCorruption(cause);
}

/**
 * Runs PRAGMA quick_check on an existing database through a read-only connection and throws
 * when it is damaged. Read-only on purpose: closing a read-write connection checkpoints the WAL
 * into the (damaged) main file and deletes -wal/-shm, destroying what we want to keep aside.
 * A file that passes is returned with that connection still open: see openChecked.
 */
function checkExisting(path: string): Database.Database | undefined {
  if (!existsSync(path)) return undefined;
  const reader = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = reader.pragma('quick_check(20)') as Array<{ quick_check: string }>;
    const problems = rows.map((r) => r.quick_check).filter((msg) => msg !== 'ok');
    if (problems.length > 0) throw new IntegrityError(problems);
    return reader;
  } catch (err) {
    reader.close();
    throw err;
  }
}

export interface CheckedDatabase {
  /** The writer, with our pragmas. */
  db: Database.Database;
  /**
   * The read-only connection that checked the file (none for a new file), still open. While it
   * is open the writer is not the last connection, so closing the writer - because damage
   * showed up only later, e.g. in a migration - does not checkpoint the WAL into the main file
   * and delete it. Close the writer first, then this (a read-only close never checkpoints).
   */
  checker: Database.Database | undefined;
}

/** Checks an existing database, then opens (creating if needed) the writer with our pragmas. */
export function openChecked(path: string): CheckedDatabase {
  mkdirSync(dirname(path), { recursive: true });
  const checker = checkExisting(path);
  let db: Database.Database | undefined;
  try {
    // Device data and the outbox: private whatever the umask. SQLite gives a new -wal/-shm the
    // main file's mode, so the main file is created 0600 before SQLite opens it.
    createPrivateFile(path);
    db = new Database(path);
    applyPragmas(db);
    // An older version may have left -wal/-shm (or the file itself) 0644.
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) chmodSync(path + suffix, PRIVATE_FILE_MODE);
    return { db, checker };
  } catch (err) {
    db?.close();
    checker?.close();
    throw err;
  }
}

/**
 * Renames the database and its -wal/-shm to `<path>.corrupt-<stamp>[-wal|-shm]` so the set can
 * still be opened together for forensics. Returns the new main file path.
 */
export function moveAside(path: string, nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace('.', '-');
  let target = `${path}.corrupt-${stamp}`;
  for (let n = 2; existsSync(target); n++) target = `${path}.corrupt-${stamp}-${n}`;
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  }
  if (existsSync(path)) renameSync(path, target);
  // Still device data: private, also when an older version created it 0644.
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(target + suffix)) chmodSync(target + suffix, PRIVATE_FILE_MODE);
  fsyncDir(dirname(path));
  return target;
}

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `path` empty if missing, and makes it 0600 (exactly: chmod ignores the umask). */
export function createPrivateFile(path: string): void {
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  chmodSync(path, PRIVATE_FILE_MODE);
}

/** Makes a rename in `dir` durable. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
