// Which command ids the gateway has already accepted, so a command re-sent by the platform
// (after a reconnect, or by mistake) runs at most once.

/** The de-duplication memory; the in-memory RecentIds is the default, a store may persist it. */
export interface CommandIdLog {
  has(id: string): boolean;
  add(id: string): void;
}

/** Remembers the most recent `capacity` ids; the oldest are forgotten first. */
export class RecentIds implements CommandIdLog {
  // A Set iterates in insertion order, which makes it a cheap FIFO.
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 10_000) {
    if (!(capacity > 0)) throw new RangeError('RecentIds capacity must be positive');
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value as string;
      this.ids.delete(oldest);
    }
  }

  get size(): number {
    return this.ids.size;
  }
}
