// Which command ids the gateway has started, and whether each was answered, so a command re-sent
// by the platform (after a reconnect, a restart, or by mistake) runs at most once and a command
// that was running when the gateway died still gets an answer.

/** 'started': it began running (or was answered at once), no result recorded yet. */
export type CommandIdState = 'started' | 'answered';

/** The de-duplication memory; the in-memory RecentIds is the default, a store may persist it. */
export interface CommandIdLog {
  /** undefined: never seen (or forgotten). */
  state(id: string): CommandIdState | undefined;
  /**
   * The command starts now: it must never run again. A persistent log makes the record durable
   * before it returns (the command goes to the radio next) and throws when it cannot.
   */
  add(id: string): void;
  /** Its result is in the outbox. */
  markAnswered(id: string): void;
}

/** Remembers the most recent `capacity` ids; the oldest are forgotten first. */
export class RecentIds implements CommandIdLog {
  // A Map iterates in insertion order, which makes it a cheap FIFO; the value is "answered".
  private readonly ids = new Map<string, boolean>();

  constructor(private readonly capacity = 10_000) {
    if (!(capacity > 0)) throw new RangeError('RecentIds capacity must be positive');
  }

  state(id: string): CommandIdState | undefined {
    const answered = this.ids.get(id);
    return answered === undefined ? undefined : answered ? 'answered' : 'started';
  }

  add(id: string): void {
    if (this.ids.has(id)) return;
    this.ids.set(id, false);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.keys().next().value as string;
      this.ids.delete(oldest);
    }
  }

  markAnswered(id: string): void {
    if (this.ids.has(id)) this.ids.set(id, true);
  }

  get size(): number {
    return this.ids.size;
  }
}
