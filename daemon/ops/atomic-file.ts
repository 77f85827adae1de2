// Replacing a file so that a crash or power cut at any moment leaves either the old or the
// new content on disk, never a torn or empty file: write a temp file beside it, fsync it,
// rename it over the target, then fsync the folder so the rename itself is durable.

import fs from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}`);
  // A temp file left by a crashed earlier run is removed first; 'wx' then guarantees a fresh
  // file, and only a fresh file gets `mode` (an existing one would keep its permissions).
  fs.rmSync(tmp, { force: true });
  const fd = fs.openSync(tmp, 'wx', mode);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw namingFile(error, file);
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  fsyncDirectory(dir);
}

function fsyncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Node's write/fsync errors (ENOSPC on a full disk, EIO) do not say which file: add it, keep the code. */
function namingFile(error: unknown, file: string): Error {
  const cause = error as NodeJS.ErrnoException;
  const named: NodeJS.ErrnoException = new Error(`cannot write ${file}: ${cause?.message ?? String(error)}`, { cause: error });
  if (cause?.code !== undefined) named.code = cause.code;
  named.path = file;
  return named;
}
