// Timers owned by the simulated network, all cancelled together when it stops, so that a
// stopped emulator leaves no handle behind.

export class Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Run fn after ms; 0 still defers to a later turn of the event loop. */
  after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, Math.max(0, ms));
    this.timers.add(timer);
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  get pending(): number {
    return this.timers.size;
  }
}
