// Writes the block device under a path has completed (Linux /proc/diskstats): what an SD card
// feels of a commit. Counts every process's writes to that device, so read it on a quiet machine.
import fs from 'node:fs';

export interface DiskWrites {
  /** Write requests completed. */
  writes: number;
  /** 512-byte sectors written. */
  sectors: number;
}

export function diskWrites(path: string): DiskWrites | undefined {
  try {
    const dev = fs.statSync(path).dev;
    // Linux's dev_t: major in bits 8-19, minor in bits 0-7 and 20-31.
    const major = (dev >> 8) & 0xfff;
    const minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
    for (const line of fs.readFileSync('/proc/diskstats', 'utf8').split('\n')) {
      const f = line.trim().split(/\s+/);
      if (Number(f[0]) === major && Number(f[1]) === minor) return { writes: Number(f[7]), sectors: Number(f[9]) };
    }
  } catch {
    // not Linux
  }
  return undefined;
}
