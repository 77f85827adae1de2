// Damaging files the way a failing SD card or a power cut mid-write does, reproducibly (no
// Math.random: a failing run must be repeatable), and fingerprints to prove a file was kept.
import { createHash } from 'node:crypto';
import fs from 'node:fs';

export const SQLITE_PAGE = 4096;

/** Deterministic garbage of `length` bytes. */
export function garbage(length: number, seed: string): Buffer {
  const out = Buffer.alloc(length);
  let block = Buffer.from(seed);
  for (let offset = 0; offset < length; offset += 32) {
    block = createHash('sha256').update(block).digest();
    block.copy(out, offset);
  }
  return out;
}

/** Overwrites `length` bytes at `offset` in place (the file keeps its size unless written past the end). */
export function overwrite(file: string, offset: number, length: number, seed: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    const bytes = garbage(length, seed);
    fs.writeSync(fd, bytes, 0, bytes.length, offset);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
