// What every frame touches, kept in memory so a report costs no device-row query or write:
// whether the device is in the table, whether it is available, and its last-seen time and link
// quality. Existence and availability mirror the table (and the open transaction): they change
// only with the row, and are reloaded when a transaction is lost. Last-seen and link quality
// are written in batches (flushDirty, every seenFlushMs and at close): a power cut loses at
// most that much of them, which costs an early availability ping, never an event.
import type Database from 'better-sqlite3';
import type { Ieee } from '../domain/events.js';

interface Seen {
  at: number;
  linkquality: number | undefined;
}

export class DevicePresence {
  /** ieee -> available, for every row of the devices table. */
  private available = new Map<Ieee, boolean>();
  /** Latest last-seen and link quality heard since open, stored or not. */
  private readonly seen = new Map<Ieee, Seen>();
  private readonly dirty = new Set<Ieee>();
  private readonly loadAll: Database.Statement<[], { ieee: string; available: number }>;
  private readonly writeSeen: Database.Statement<[number, number | null, string]>;

  constructor(db: Database.Database) {
    this.loadAll = db.prepare('SELECT ieee, available FROM devices');
    this.writeSeen = db.prepare(
      'UPDATE devices SET last_seen = max(coalesce(last_seen, 0), ?), linkquality = coalesce(?, linkquality) WHERE ieee = ?',
    );
    this.reload();
  }

  has(ieee: Ieee): boolean {
    return this.available.has(ieee);
  }

  isAvailable(ieee: Ieee): boolean | undefined {
    return this.available.get(ieee);
  }

  /** The row was inserted or changed within the open transaction. */
  setRow(ieee: Ieee, available: boolean): void {
    this.available.set(ieee, available);
  }

  removed(ieee: Ieee): void {
    this.available.delete(ieee);
    this.seen.delete(ieee);
    this.dirty.delete(ieee);
  }

  /** A frame from the device; an older frame processed late does not move last-seen back. */
  markSeen(ieee: Ieee, at: number, linkquality: number | undefined): void {
    if (!this.available.has(ieee)) return;
    const previous = this.seen.get(ieee);
    this.seen.set(ieee, { at: Math.max(at, previous?.at ?? 0), linkquality: linkquality ?? previous?.linkquality });
    this.dirty.add(ieee);
  }

  /** What was heard since open, to lay over the stored row (which may be older). */
  overlay<T extends { lastSeen?: number; linkquality?: number }>(ieee: Ieee, record: T): T {
    const seen = this.seen.get(ieee);
    if (!seen) return record;
    const lastSeen = Math.max(seen.at, record.lastSeen ?? 0);
    return { ...record, lastSeen, ...(seen.linkquality !== undefined ? { linkquality: seen.linkquality } : {}) };
  }

  hasDirty(): boolean {
    return this.dirty.size > 0;
  }

  /** Writes the last-seen of every device heard since the last flush. Only inside batch.run(). */
  writeDirty(): void {
    for (const ieee of this.dirty) {
      const seen = this.seen.get(ieee)!;
      this.writeSeen.run(seen.at, seen.linkquality ?? null, ieee);
    }
    this.dirty.clear();
  }

  /** The open transaction was lost: rows back to what is stored; last-seen written again later. */
  reload(): void {
    this.available = new Map(this.loadAll.all().map((row) => [row.ieee, row.available === 1]));
    for (const ieee of this.seen.keys()) {
      if (this.available.has(ieee)) this.dirty.add(ieee);
      else this.seen.delete(ieee);
    }
  }
}
