// Keeps zigbee-herdsman's two files (coordinator_backup.json, database.db) from leaving the hub
// unable to start after a power cut, and keeps the network key in them to the daemon's user.
//
// herdsman 10.9.5 writes the coordinator backup with writeFileSync(tmp) + renameSync and no fsync
// (controller.js backup()); a cut soon after it leaves a 0-byte or torn file, and every start then
// fails with "Coordinator backup is corrupted ... delete it". Its database.db is fsynced but the
// rename is not, and a damaged line silently drops that device (herdsman logs and skips it). So:
//  - at start, a file that does not parse is moved aside (never deleted) and replaced by the newest
//    good copy; with none, the backup is left out (herdsman resumes from the stick's NV and writes
//    a new one) and the database keeps its readable lines;
//  - good copies are kept, rotated, after each successful start and stop;
//  - after herdsman writes, the files are made owner-only and fsynced with their folder
//    (herdsman-durability.ts). Remove that once herdsman fsyncs its backup and creates 0600 files.
import fs from 'node:fs';
import path from 'node:path';
import type { HerdsmanFileName, HerdsmanFileRepair, ZigbeeLogger } from './types.js';

export type { HerdsmanFileName, HerdsmanFileRepair };

export const HERDSMAN_FILES: readonly HerdsmanFileName[] = ['coordinator_backup.json', 'database.db'];

export interface HerdsmanFilesOptions {
  /** herdsman's data directory (holds both files). */
  dir: string;
  /** How many good copies of each file to keep. */
  keep: number;
  log: ZigbeeLogger;
  now?: () => number;
}

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

export class HerdsmanFiles {
  readonly copiesDir: string;
  private readonly now: () => number;

  constructor(private readonly o: HerdsmanFilesOptions) {
    this.copiesDir = path.join(o.dir, 'good-copies');
    this.now = o.now ?? Date.now;
  }

  /** Before herdsman reads them: sets damaged files aside and puts good ones in their place. */
  repair(): HerdsmanFileRepair[] {
    const repairs: HerdsmanFileRepair[] = [];
    for (const file of HERDSMAN_FILES) {
      const target = path.join(this.o.dir, file);
      if (!fs.existsSync(target)) continue;
      const content = fs.readFileSync(target);
      const problem = problemOf(file, content);
      if (problem === undefined) continue;
      const movedTo = moveAside(target, this.now());
      const repair: HerdsmanFileRepair = { file, problem, movedTo };
      const copy = this.newestGoodCopy(file);
      if (copy) {
        writeDurably(target, fs.readFileSync(copy));
        repair.restoredFrom = copy;
      } else if (file === 'database.db') {
        const lines = readableDatabaseLines(content);
        writeDurably(target, lines.join('\n'));
        repair.salvagedEntries = lines.length;
      }
      this.o.log.warn(`herdsman ${file} was damaged and set aside`, { ...repair });
      repairs.push(repair);
    }
    return repairs;
  }

  /**
   * Owner-only permissions on the folder and the files (default both); their content and names on
   * disk. Without a list, every file herdsman left in the folder (its database.db.backup, a stale
   * .tmp) is made owner-only too.
   */
  secure(files?: readonly HerdsmanFileName[]): void {
    chmodIfPresent(this.o.dir, DIR_MODE);
    if (!files) {
      for (const entry of fs.readdirSync(this.o.dir, { withFileTypes: true })) {
        if (entry.isFile()) chmodIfPresent(path.join(this.o.dir, entry.name), FILE_MODE);
      }
    }
    for (const file of files ?? HERDSMAN_FILES) {
      const target = path.join(this.o.dir, file);
      if (!chmodIfPresent(target, FILE_MODE)) continue;
      // herdsman fsyncs database.db itself before its rename; only the rename needs the folder's fsync.
      if (file !== 'database.db') fsyncPath(target, 'r');
    }
    fsyncPath(this.o.dir, 'r');
  }

  /** Copies each file that is good and differs from its newest copy; keeps the newest `keep`. */
  keepGoodCopies(): void {
    fs.mkdirSync(this.copiesDir, { recursive: true, mode: DIR_MODE });
    chmodIfPresent(this.copiesDir, DIR_MODE);
    for (const file of HERDSMAN_FILES) {
      const source = path.join(this.o.dir, file);
      if (!fs.existsSync(source)) continue;
      const content = fs.readFileSync(source);
      if (problemOf(file, content) !== undefined) continue;
      const newest = this.copies(file)[0];
      if (newest && fs.readFileSync(newest).equals(content)) continue;
      writeDurably(path.join(this.copiesDir, copyName(file, this.now())), content);
      for (const old of this.copies(file).slice(this.o.keep)) fs.rmSync(old, { force: true });
    }
  }

  private newestGoodCopy(file: HerdsmanFileName): string | undefined {
    return this.copies(file).find((copy) => problemOf(file, fs.readFileSync(copy)) === undefined);
  }

  /** Copies of one file, newest first (the stamp in the name sorts by time). */
  private copies(file: HerdsmanFileName): string[] {
    if (!fs.existsSync(this.copiesDir)) return [];
    const { name, ext } = path.parse(file);
    return fs
      .readdirSync(this.copiesDir)
      .filter((entry) => entry.startsWith(`${name}.`) && entry.endsWith(ext) && entry !== file)
      .sort()
      .reverse()
      .map((entry) => path.join(this.copiesDir, entry));
  }
}

/** Why herdsman could not use this content, or undefined when it can. */
export function problemOf(file: HerdsmanFileName, content: Buffer): string | undefined {
  return file === 'coordinator_backup.json' ? backupProblem(content) : databaseProblem(content);
}

function backupProblem(content: Buffer): string | undefined {
  if (content.length === 0) return 'empty file';
  let data: unknown;
  try {
    data = JSON.parse(content.toString('utf8'));
  } catch {
    return 'not valid JSON (torn or overwritten)';
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'not a JSON object';
  const backup = data as Record<string, unknown>;
  if ('adapterType' in backup) return undefined; // herdsman's legacy format: herdsman checks it
  const metadata = backup.metadata as Record<string, unknown> | undefined;
  if (metadata?.format !== 'zigpy/open-coordinator-backup' || metadata.version !== 1) return 'not an open coordinator backup (version 1)';
  const hex = (value: unknown, digits: number) => typeof value === 'string' && new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(value);
  const key = backup.network_key as Record<string, unknown> | undefined;
  if (!hex(backup.pan_id, 4)) return 'pan_id missing or malformed';
  if (!hex(backup.extended_pan_id, 16)) return 'extended_pan_id missing or malformed';
  if (!hex(backup.coordinator_ieee, 16)) return 'coordinator_ieee missing or malformed';
  if (!hex(key?.key, 32)) return 'network_key missing or malformed'; // never say what it is
  if (!Number.isInteger(backup.channel)) return 'channel missing';
  if (!Array.isArray(backup.devices)) return 'devices missing';
  return undefined;
}

function databaseProblem(content: Buffer): string | undefined {
  // herdsman writes at least the coordinator's entry: an empty file is a torn write, not a database.
  if (content.length === 0) return 'empty file';
  const lines = content.toString('utf8').split('\n').filter((line) => line !== '');
  const bad = lines.length - readableDatabaseLines(content).length;
  return bad === 0 ? undefined : `${bad} of ${lines.length} lines unreadable`;
}

/** The entries herdsman would load: JSON objects with a numeric id. */
function readableDatabaseLines(content: Buffer): string[] {
  return content
    .toString('utf8')
    .split('\n')
    .filter((line) => {
      if (line === '') return false;
      try {
        const entry = JSON.parse(line) as { id?: unknown };
        return typeof entry === 'object' && entry !== null && Number.isFinite(entry.id);
      } catch {
        return false;
      }
    });
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace('.', '-');
}

function copyName(file: HerdsmanFileName, ms: number): string {
  const { name, ext } = path.parse(file);
  return `${name}.${stamp(ms)}${ext}`;
}

/** `<file>.corrupt-<stamp>` beside it, like the store's damaged hub.db. */
function moveAside(file: string, ms: number): string {
  let target = `${file}.corrupt-${stamp(ms)}`;
  for (let n = 2; fs.existsSync(target); n++) target = `${file}.corrupt-${stamp(ms)}-${n}`;
  fs.renameSync(file, target);
  chmodIfPresent(target, FILE_MODE);
  return target;
}

/** tmp + fsync + rename + fsync of the folder, owner-only whatever the umask. */
function writeDurably(file: string, data: string | Buffer): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.rmSync(tmp, { force: true });
  const fd = fs.openSync(tmp, 'wx', FILE_MODE);
  try {
    fs.writeFileSync(fd, data);
    fs.fchmodSync(fd, FILE_MODE);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncPath(path.dirname(file), 'r');
}

function chmodIfPresent(target: string, mode: number): boolean {
  try {
    fs.chmodSync(target, mode);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function fsyncPath(target: string, flags: string): void {
  const fd = fs.openSync(target, flags);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
