// Keeps copies of zigbee-herdsman's coordinator backup (herdsman/coordinator_backup.json: the
// network key, PAN, extended PAN, frame counters and the device table of the stick, what moving to
// a new stick needs) beside the database backups, rotated with the same `store.backup_keep`.
// herdsman rewrites its one file in place (at start, daily and at stop), so a stick that died
// after a bad write would otherwise leave no good copy. A copy is only made when the content
// changed, so an idle hub does not wear the SD card with identical files.

import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import type { Logger } from './logger.js';

const PREFIX = 'coordinator_backup.';
const SUFFIX = '.json';
const STAMP = /^coordinator_backup\.(\d{8}T\d{6}-\d{3}Z)\.json$/;

export interface CoordinatorBackupsOptions {
  /** herdsman's coordinator backup file. */
  source: string;
  /** The backups folder (the database backups' one). */
  dir: string;
  keep: number;
  now: () => number;
}

/**
 * Copies the coordinator backup into `dir` when it changed since the newest copy, then deletes
 * the oldest copies beyond `keep`. Returns the new copy's path, or undefined when nothing was
 * copied (no source yet, or unchanged).
 */
export function archiveCoordinatorBackup(options: CoordinatorBackupsOptions): string | undefined {
  let content: Buffer;
  try {
    content = fs.readFileSync(options.source);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const newest = listCoordinatorBackups(options.dir)[0];
  if (newest !== undefined && fs.readFileSync(newest).equals(content)) return undefined;
  const copy = path.join(options.dir, `${PREFIX}${stamp(options.now())}${SUFFIX}`);
  writeFileAtomic(copy, content, 0o600);
  for (const old of listCoordinatorBackups(options.dir).slice(Math.max(1, options.keep))) fs.rmSync(old, { force: true });
  return copy;
}

/** Paths of the archived coordinator backups in `dir`, newest first. */
export function listCoordinatorBackups(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => STAMP.test(name))
    .sort()
    .reverse()
    .map((name) => path.join(dir, name));
}

/** 20261124T213357-123Z, like the database backups: sorts in time order. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace('.', '-');
}

/** Archives at start, every `intervalMs` and at stop; a failure is logged, never thrown. */
export class CoordinatorBackupArchiver {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: CoordinatorBackupsOptions & { intervalMs: number; log: Logger }) {}

  archive(): void {
    try {
      const copy = archiveCoordinatorBackup(this.options);
      if (copy) this.options.log.info('coordinator backup archived', { path: copy });
    } catch (error) {
      this.options.log.warn('coordinator backup not archived', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  /**
   * For someone waiting on it (a backup asked for on the LAN): the new copy, or the newest one
   * when nothing changed; undefined when herdsman has written none. Throws when it cannot copy.
   */
  archiveNow(): string | undefined {
    return archiveCoordinatorBackup(this.options) ?? listCoordinatorBackups(this.options.dir)[0];
  }

  start(): void {
    this.archive();
    this.timer ??= setInterval(() => this.archive(), this.options.intervalMs).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
