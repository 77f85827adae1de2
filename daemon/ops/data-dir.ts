// The data dir must exist and be writable before anything is written into it. Node reports a
// missing dir under a read-only mount as "ENOENT ... mkdir", which sends a person looking for
// the wrong thing: this check says what is really wrong (read-only, full, permissions).
import fs from 'node:fs';
import path from 'node:path';

export class DataDirError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DataDirError';
  }
}

/** Creates the data dir if needed and checks that it is writable; throws a DataDirError saying why not. */
export function prepareDataDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o750 });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    throw new DataDirError(explain(dir, error), { cause: error });
  }
}

function explain(dir: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  // For a dir that could not be created, the nearest existing ancestor tells the real story.
  let existing = dir;
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  const where = existing === dir ? '' : ` (${existing} exists but`;
  let ancestorCode: string | undefined;
  try {
    fs.accessSync(existing, fs.constants.W_OK);
  } catch (accessError) {
    ancestorCode = (accessError as NodeJS.ErrnoException).code;
  }
  const why = ancestorCode === 'EROFS' || code === 'EROFS' ? 'read-only' : ancestorCode === 'EACCES' || code === 'EACCES' ? 'denied' : code;
  switch (why) {
    case 'read-only':
      return `data dir ${dir} is on a read-only filesystem${where ? `${where} is read-only)` : ''}`;
    case 'denied':
      return `data dir ${dir} is not writable by this user${where ? `${where} is not writable)` : ''}`;
    case 'ENOSPC':
      return `data dir ${dir} cannot be created: the disk is full`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `data dir ${dir} cannot be created: a file is in the way (${(error as Error).message})`;
    default:
      return `data dir ${dir} cannot be used: ${(error as Error).message}`;
  }
}
