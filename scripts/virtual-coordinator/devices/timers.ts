// The clock a simulated device runs on. Passed in so tests can drive reporting with a manual
// clock instead of sleeping.

export type TimerHandle = { readonly id: number };

export interface DeviceTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Real timers; unref'd so a forgotten device never keeps a process alive. */
export function systemTimers(): DeviceTimers {
  let next = 0;
  const live = new Map<number, NodeJS.Timeout>();
  return {
    now: () => Date.now(),
    setTimeout(callback, ms) {
      const handle = { id: ++next };
      const timer = setTimeout(() => {
        live.delete(handle.id);
        callback();
      }, ms);
      timer.unref();
      live.set(handle.id, timer);
      return handle;
    },
    clearTimeout(handle) {
      const timer = live.get(handle.id);
      if (timer) clearTimeout(timer);
      live.delete(handle.id);
    },
  };
}

/** Cancels a group of timers at once (a device's stop()). */
export class TimerGroup {
  private readonly handles = new Set<TimerHandle>();
  /** Repeating ticket -> the one-shot timer currently armed for it. */
  private readonly repeating = new Map<TimerHandle, TimerHandle | undefined>();
  /** Repeating ticket -> the one-shot timer currently armed for it. */
  constructor(private readonly timers: DeviceTimers) {}

  now(): number {
    return this.timers.now();
  }

  after(ms: number, callback: () => void): TimerHandle {
    const handle = this.timers.setTimeout(() => {
      this.handles.delete(handle);
      callback();
    }, ms);
    this.handles.add(handle);
    return handle;
  }

  /** Repeats every `ms` until cleared; returns a handle usable with cancel(). */
  every(ms: number, callback: () => void): TimerHandle {
    const ticket = { id: -1 } as TimerHandle;
    let current: TimerHandle | undefined;
    const arm = (): void => {
      current = this.after(ms, () => {
        if (!this.repeating.has(ticket)) return;
        arm();
        callback();
      });
      this.repeating.set(ticket, current);
    };
    this.repeating.set(ticket, undefined);
    arm();
    return ticket;
  }

  cancel(handle: TimerHandle | undefined): void {
    if (!handle) return;
    if (this.repeating.has(handle)) {
      const current = this.repeating.get(handle);
      this.repeating.delete(handle);
      this.cancel(current);
      return;
    }
    if (this.handles.delete(handle)) this.timers.clearTimeout(handle);
  }

  cancelAll(): void {
    this.repeating.clear();
    for (const handle of this.handles) this.timers.clearTimeout(handle);
    this.handles.clear();
  }
}
