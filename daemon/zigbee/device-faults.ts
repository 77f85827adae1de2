// Per-device containment: a failure while handling what one device sent (ours, herdsman's, a
// converter's) is counted against that device, logged once per device and reason, and after
// QUARANTINE_AFTER failures in a row the device is quarantined: its messages are ignored until
// it is re-interviewed or removed. Also remembers which device is being handled right now, so
// that a failure escaping all of this can still be pinned on a device (see main.ts and
// ops/process-lifecycle.ts: the crash marker, and rejections contained per origin).
import type { Ieee } from '../domain/events.js';
import { describeError } from './errors.js';
import type { ZigbeeLogger, ZigbeeNetworkEvents } from './types.js';

/** Where a device's data was being handled. */
export type DeviceStage = 'interview' | 'message' | 'configure' | 'start';

export interface DeviceActivity {
  ieee: Ieee;
  stage: DeviceStage;
}

export interface Quarantine {
  reason: string;
  stage: string;
}

/** Failures in a row (no success in between) that quarantine a device. */
export const QUARANTINE_AFTER = 3;
/** Distinct failure reasons logged at warn per device; later new ones go to debug. */
const MAX_LOGGED_REASONS = 10;

export interface DeviceFaultsOptions {
  log: ZigbeeLogger;
  emit: (kind: 'device_quarantined', payload: ZigbeeNetworkEvents['device_quarantined']) => void;
  quarantineAfter?: number;
}

export class DeviceFaults {
  private readonly inARow = new Map<Ieee, number>();
  private readonly loggedReasons = new Map<Ieee, Set<string>>();
  private readonly quarantined = new Map<Ieee, Quarantine>();
  private readonly byStage: Record<string, number> = {};
  private total = 0;
  private ignored = 0;
  private current: DeviceActivity | undefined;

  constructor(private readonly options: DeviceFaultsOptions) {}

  /** Marks the device whose data is handled from now on (cheap: one field, for every frame). */
  enter(ieee: Ieee, stage: DeviceStage): void {
    this.current = { ieee, stage };
  }

  leave(ieee: Ieee): void {
    if (this.current?.ieee === ieee) this.current = undefined;
  }

  /** The device being handled when the last enter() had no leave() yet. */
  activity(): DeviceActivity | undefined {
    return this.current;
  }

  /** Runs one step of a device's handling; a failure is recorded, never thrown. */
  async contain(ieee: Ieee, stage: DeviceStage, task: () => Promise<void>): Promise<void> {
    this.enter(ieee, stage);
    try {
      await task();
    } catch (error) {
      this.failed(ieee, stage, describeError(error));
    } finally {
      this.leave(ieee);
    }
  }

  /** A failure of the device's data: counted, logged once per reason; repeats quarantine it. */
  failed(ieee: Ieee, stage: DeviceStage, reason: string): void {
    const inARow = (this.inARow.get(ieee) ?? 0) + 1;
    this.inARow.set(ieee, inARow);
    this.noted(ieee, stage, reason, { inARow });
    if (inARow >= (this.options.quarantineAfter ?? QUARANTINE_AFTER)) {
      this.quarantine(ieee, `${inARow} failures in a row, last: ${reason}`, stage);
    }
  }

  /**
   * A failure that is counted and logged like any, but never quarantines by itself: e.g. a
   * configure attempt, which a sleepy or distant device fails for reasons that are not its data.
   */
  noted(ieee: Ieee, stage: DeviceStage, reason: string, fields: Record<string, unknown> = {}): void {
    this.total++;
    this.byStage[stage] = (this.byStage[stage] ?? 0) + 1;
    let logged = this.loggedReasons.get(ieee);
    if (!logged) this.loggedReasons.set(ieee, (logged = new Set()));
    const firstTime = !logged.has(reason) && logged.size < MAX_LOGGED_REASONS;
    if (firstTime) logged.add(reason);
    // Once per device and reason: a device failing on every frame must not flood the log.
    (firstTime ? this.options.log.warn : this.options.log.debug).call(this.options.log, 'device data handling failed', {
      ieee,
      stage,
      reason,
      ...fields,
    });
  }

  succeeded(ieee: Ieee): void {
    if (this.inARow.size > 0) this.inARow.delete(ieee);
  }

  /** Sets the device aside (emits device_quarantined unless it already was, for the same reason). */
  quarantine(ieee: Ieee, reason: string, stage: string): void {
    const existing = this.quarantined.get(ieee);
    if (existing && existing.reason === reason && existing.stage === stage) return;
    this.quarantined.set(ieee, { reason, stage });
    this.options.log.warn('device quarantined: its messages are ignored until it is re-interviewed or removed', { ieee, stage, reason });
    this.options.emit('device_quarantined', { ieee, reason, stage });
  }

  /** Known at start (from the store): quarantined without a new event. */
  seed(ieee: Ieee, quarantine: Quarantine): void {
    this.quarantined.set(ieee, quarantine);
  }

  isQuarantined(ieee: Ieee): boolean {
    return this.quarantined.size > 0 && this.quarantined.has(ieee);
  }

  /** A quarantined device's message, dropped unread. */
  countIgnored(): void {
    this.ignored++;
  }

  /** Re-interviewed or removed: a fresh start for the device. Returns whether it was quarantined. */
  release(ieee: Ieee): boolean {
    this.inARow.delete(ieee);
    this.loggedReasons.delete(ieee);
    const was = this.quarantined.delete(ieee);
    if (was) this.options.log.info('device out of quarantine', { ieee });
    return was;
  }

  stats(): { failures: number; failuresByStage: Record<string, number>; quarantined: number; ignoredMessages: number } {
    return { failures: this.total, failuresByStage: { ...this.byStage }, quarantined: this.quarantined.size, ignoredMessages: this.ignored };
  }
}
