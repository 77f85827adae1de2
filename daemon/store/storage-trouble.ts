// What the store does while its disk refuses writes (full, read-only, I/O errors): one log line
// and one health report when commits start failing and one when they work again, never one
// per commit. Events that must not be lost (everything but telemetry: command results, health
// changes, joins...) are held in memory, bounded, and stored again once a commit succeeds;
// telemetry and other writes that could not be kept are counted and announced by a gap event.
// While in trouble a retry (a small settings write plus what is held) runs every retryMs, so
// recovery is noticed even when nothing else writes.
import { accessSync, closeSync, constants, openSync, rmSync, statfsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { HubEvent } from '../domain/events.js';
import type { StoreClock, StoreHealth, StoreLog } from './types.js';

/** Held events beyond this are counted as lost: memory stays bounded on a long outage. */
export const MAX_HELD_EVENTS = 1000;

export interface TroubleWriter {
  /**
   * Writes the events and a marker row and commits now, durably; false (or a throw) when the
   * commit failed and they are lost; 'not-durable' when they were committed but the fsync failed.
   */
  writeRecovery(events: HubEvent[], marker: string): boolean | 'not-durable';
}

export class StorageTrouble {
  private reason: string | undefined;
  private since = 0;
  private held: HubEvent[] = [];
  private lostTelemetry = 0;
  private lostEvents = 0;
  private lostWrites = 0;
  private retryTimer: unknown;
  private recovering = false;
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly writer: TroubleWriter,
    private readonly clock: StoreClock,
    private readonly log: StoreLog,
    private readonly health: StoreHealth | undefined,
    private readonly retryMs: number,
  ) {}

  /** The current problem in words, or undefined when commits work. */
  problem(): string | undefined {
    return this.reason;
  }

  /** A group transaction was lost: `events` are the events it held, `writes` its write count. */
  failed(error: unknown, events: HubEvent[], writes: number): void {
    for (const event of events) {
      // A gap from the outbox bounds went with the rollback of the rows it announced.
      if (event.kind === 'gap') continue;
      if (event.kind === 'state_changed') this.lostTelemetry++;
      else if (this.held.length < MAX_HELD_EVENTS) this.held.push(event);
      else this.lostEvents++;
    }
    this.lostWrites += writes;
    if (this.reason === undefined) {
      this.reason = describeStorageError(error, this.path);
      this.since = this.clock.now();
      this.log.error(`store: cannot commit: ${this.reason}; holding results, counting lost writes until it works again`, {
        path: this.path,
        err: String(error),
      });
      this.health?.report('store', 'bad', this.reason);
    }
    this.scheduleRetry();
  }

  /** A commit succeeded: if we were in trouble, store what was held and announce the loss. */
  committed(): void {
    if (this.reason === undefined || this.recovering) return;
    this.cancelRetry();
    // Not inside the commit that called us (it may run inside a caller's write).
    this.retryTimer = this.clock.setTimeout(() => this.recover(), 0);
  }

  /** At close: what is still held cannot be stored any more. Returns a summary, if anything was lost. */
  close(): string | undefined {
    this.closed = true;
    this.cancelRetry();
    if (this.reason === undefined) return undefined;
    const lost = this.held.length + this.lostEvents + this.lostTelemetry;
    return `${lost} events and ${this.lostWrites} writes could not be stored (${this.reason})`;
  }

  private recover(): void {
    this.retryTimer = undefined;
    if (this.closed || this.reason === undefined) return;
    const events = this.held;
    const dropped = this.lostTelemetry + this.lostEvents;
    const reason = this.reason;
    const gap: HubEvent[] =
      dropped > 0 ? [{ kind: 'gap', fromSeq: 0, toSeq: 0, dropped, reason: `storage: ${dropped} events could not be stored (${reason})` }] : [];
    // If this commit fails too, failed() holds these events again (and skips the gap).
    this.held = [];
    this.recovering = true;
    let stored: boolean | 'not-durable' = false;
    try {
      stored = this.writer.writeRecovery([...events, ...gap], JSON.stringify({ reason, since: this.since, until: this.clock.now() }));
    } catch (error) {
      this.log.debug('store: storage still failing', { path: this.path, err: String(error) });
    } finally {
      this.recovering = false;
    }
    if (stored === 'not-durable') {
      // The held events and the gap are committed: written again they would be duplicates.
      // The disk still fails: stay in trouble, and try (a marker alone) again.
      this.lostTelemetry = 0;
      this.lostEvents = 0;
    }
    if (stored !== true) {
      this.scheduleRetry();
      return;
    }
    const lostWrites = this.lostWrites;
    this.reason = undefined;
    this.lostTelemetry = 0;
    this.lostEvents = 0;
    this.lostWrites = 0;
    this.log.warn('store: commits work again', {
      path: this.path,
      storedAgain: events.length,
      lostEvents: dropped,
      lostWrites,
      troubleMs: this.clock.now() - this.since,
    });
    this.health?.report('store', 'ok');
  }

  private scheduleRetry(): void {
    if (this.closed || this.recovering || this.retryTimer !== undefined) return;
    this.retryTimer = this.clock.setTimeout(() => this.recover(), this.retryMs);
  }

  private cancelRetry(): void {
    if (this.retryTimer !== undefined) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}

/** SQLite's and the OS's words for a refused write, as a person would say it, naming the file. */
export function describeStorageError(error: unknown, path: string): string {
  const codes = errorCodes(error);
  if (codes.some((c) => c === 'SQLITE_FULL' || c === 'ENOSPC')) return `the disk holding ${path} is full`;
  if (codes.some((c) => c.startsWith('SQLITE_READONLY') || c === 'EROFS')) return `${path} is on a read-only filesystem or not writable`;
  if (codes.some((c) => c === 'EACCES' || c === 'EPERM')) return `no permission to write ${path}`;
  if (codes.some((c) => c.startsWith('SQLITE_IOERR') || c === 'EIO')) {
    // A full disk often surfaces as an I/O error (growing the -shm, say): ask the filesystem.
    const disk = diskCondition(path);
    if (disk === 'full') return `the disk holding ${path} is full`;
    if (disk === 'read-only') return `${path} is on a read-only filesystem or not writable`;
    return `I/O error writing ${path} (failing disk or SD card?)`;
  }
  return `writing ${path} failed: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * What the filesystem holding `path` says about itself; undefined when nothing is wrong or it
 * cannot tell. Only on error paths: it creates and removes a probe file, because a filesystem
 * that went read-only after an error (ext4 errors=remount-ro) still passes access(W_OK).
 */
export function diskCondition(path: string): 'full' | 'read-only' | undefined {
  const dir = dirname(path);
  try {
    if (statfsSync(dir).bavail === 0) return 'full';
  } catch {
    // No answer: try the probe.
  }
  const probe = join(dir, `.write-probe-${process.pid}`);
  try {
    accessSync(dir, constants.W_OK);
    closeSync(openSync(probe, 'w', 0o600));
    rmSync(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EROFS') return 'read-only';
    if (code === 'ENOSPC') return 'full';
  }
  return undefined;
}

function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}
