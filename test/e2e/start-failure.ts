// Starting the daemon where it cannot work (no writable data dir, a full disk) and capturing
// how it ends: it must exit on its own with an error, never hang and never report ready.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DaemonProcess, type LogLine } from '../../scripts/lib/daemon-process.js';

export interface StartOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The message of the 'start failed' log line, '' when there was none. */
  error: string;
  lines: LogLine[];
  stderr: string[];
}

/** Starts a daemon expected to fail; throws if it became ready or did not exit in time. */
export async function startExpectingFailure(dir: string, config: Record<string, unknown>, timeoutMs = 60_000): Promise<StartOutcome> {
  const daemon = DaemonProcess.start({ dir, config });
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    daemon.waitForExit().then((exit) => ({ kind: 'exited' as const, exit })),
    daemon.ready(timeoutMs).then(
      () => ({ kind: 'ready' as const }),
      () => ({ kind: 'no-ready' as const }),
    ),
    new Promise<{ kind: 'hung' }>((resolve) => (timer = setTimeout(() => resolve({ kind: 'hung' }), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome.kind === 'ready' || outcome.kind === 'hung') {
    await daemon.stop(10_000);
    throw new Error(`the daemon ${outcome.kind === 'ready' ? 'started' : 'neither started nor exited'}; last lines:\n${daemon.tail()}`);
  }
  const exit = await daemon.waitForExit();
  const failed = daemon.lines.find((l) => l.msg === 'start failed');
  const err = failed?.err as { message?: unknown } | undefined;
  return { ...exit, error: typeof err?.message === 'string' ? err.message : '', lines: daemon.lines, stderr: daemon.stderr };
}

/**
 * A small tmpfs to fill up: a real "no space left on device". Needs CAP_SYS_ADMIN (tests run as
 * root); returns undefined where mounting is not allowed, so the caller can skip with a reason.
 */
export function mountSmallDisk(mountPoint: string, sizeKb: number): { unmount(): void; fill(): void; free(): void } | undefined {
  fs.mkdirSync(mountPoint, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', mountPoint], { encoding: 'utf8' });
  if (mounted.status !== 0) return undefined;
  const filler = path.join(mountPoint, 'filler');
  return {
    unmount() {
      if (spawnSync('umount', [mountPoint]).status !== 0) spawnSync('umount', ['-l', mountPoint]);
    },
    /** Writes until the disk says ENOSPC (bounded by the disk's size). */
    fill() {
      const chunk = Buffer.alloc(16 * 1024);
      const fd = fs.openSync(filler, 'a');
      try {
        for (let written = 0; written <= sizeKb * 1024; written += chunk.length) fs.writeSync(fd, chunk);
        throw new Error(`${mountPoint} did not fill up`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        fs.closeSync(fd);
      }
    },
    free() {
      fs.rmSync(filler, { force: true });
    },
  };
}
