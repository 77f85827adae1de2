// Whether a file descriptor is connected straight to journald. systemd sets JOURNAL_STREAM
// to "<device>:<inode>" of the stream it gives a service's stdout/stderr; if our fd is that
// very stream (not redirected elsewhere by a wrapper), "<N>" priority prefixes are honoured.

import fs from 'node:fs';

export function isJournalStream(fd: number, env: NodeJS.ProcessEnv): boolean {
  const match = /^(\d+):(\d+)$/.exec(env.JOURNAL_STREAM ?? '');
  if (!match) return false;
  try {
    const stat = fs.fstatSync(fd, { bigint: true });
    return stat.dev === BigInt(match[1]!) && stat.ino === BigInt(match[2]!);
  } catch {
    return false;
  }
}
