// Decides availability, both ways, and is the only code that does. Devices are marked
// unavailable when they fall silent: mains devices silent longer than their timeout are pinged
// and marked unavailable when they do not answer; battery devices are marked unavailable after
// their (much longer) timeout. Coming back: any sign of life (heard(), fed with the network's
// `seen` events) or an answered ping marks the device available again.
//
// One sweep over the device table every checkIntervalMs instead of a timer per device: the
// table (with last_seen persisted on every frame) already is the schedule, a few hundred rows
// are cheap to scan, nothing has to be kept in step with `seen` events, and after a restart the
// first sweep (run at once) finds whatever fell silent while the daemon was down.
import type { Ieee } from '../domain/events.js';
import type { DeviceOptionsStore, DeviceRecord, DeviceStore } from '../store/index.js';
import { availabilitySettingsOf } from './availability-options.js';
import { assess, lastActivityOf, type AvailabilityTimeouts, type PingHistory } from './availability-policy.js';

export interface AvailabilityClock {
  now(): number;
  setTimeout(fn: () => unknown, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AvailabilityLog {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

export interface AvailabilityMonitorOptions extends AvailabilityTimeouts {
  store: {
    devices: Pick<DeviceStore, 'list' | 'get' | 'markSeen' | 'setAvailability'>;
    /** Per-device `availability` / `availability_timeout_seconds` options (availability-options.ts). */
    deviceOptions?: Pick<DeviceOptionsStore, 'get'>;
  };
  /**
   * Resolves true when the device answered, false when it did not; throws when it could not be
   * asked. `recovery`: let the coordinator look for a new route if there is no answer.
   */
  network: { ping(ieee: Ieee, options?: { recovery?: boolean }): Promise<boolean> };
  clock: AvailabilityClock;
  log: AvailabilityLog;
  /** Time between sweeps (the config's availability.check_interval_seconds, which has the default). */
  checkIntervalMs: number;
  /** Pings per check before a device counts as not answering (one lost frame is no outage). Default 2. */
  pingAttempts?: number;
  /** A device that was unavailable is available again (e.g. to re-read its state). */
  onBack?: (ieee: Ieee) => void;
}

export interface CheckSummary {
  /** Mains devices that were pinged, and those of them that answered (or were heard meanwhile). */
  pinged: Ieee[];
  answered: Ieee[];
  /** Devices this sweep changed to unavailable. */
  markedUnavailable: Ieee[];
}

export class AvailabilityMonitor {
  private readonly intervalMs: number;
  private readonly attempts: number;
  /** Failed pings per device since it was last heard, for the retry backoff. */
  private readonly history = new Map<Ieee, PingHistory>();
  private timer: unknown;
  private running: Promise<CheckSummary> | undefined;
  private started = false;
  private stopped = false;

  constructor(private readonly o: AvailabilityMonitorOptions) {
    this.intervalMs = o.checkIntervalMs;
    this.attempts = Math.max(1, o.pingAttempts ?? 2);
  }

  /** Starts sweeping: the first sweep at once (a restart may have left devices silent), then every interval. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.o.log.debug('availability monitor started', {
      mainsTimeoutMs: this.o.mainsTimeoutMs,
      batteryTimeoutMs: this.o.batteryTimeoutMs,
      checkIntervalMs: this.intervalMs,
    });
    this.schedule(0);
  }

  /**
   * Stops sweeping. Does not wait for a ping in flight (up to herdsman's 10 s response timeout):
   * its result is dropped, so nothing is written after stop().
   */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * A sign of life from the device (any frame): it is available. Also while stopped (the
   * coordinator being reopened): a frame proves the device is there whatever the monitor does.
   */
  heard(ieee: Ieee): void {
    this.history.delete(ieee);
    this.markAvailable(ieee, 'device available again');
  }

  /** One sweep now; while a sweep is running, that sweep. */
  check(): Promise<CheckSummary> {
    this.running ??= this.sweep().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.o.clock.setTimeout(async () => {
      this.timer = undefined;
      try {
        await this.check();
      } catch (error) {
        this.o.log.warn('availability check failed', { error: String(error) });
      }
      this.schedule(this.intervalMs);
    }, ms);
  }

  private async sweep(): Promise<CheckSummary> {
    const summary: CheckSummary = { pinged: [], answered: [], markedUnavailable: [] };
    const now = this.o.clock.now();
    const devices = this.o.store.devices.list();
    this.forgetGone(devices);
    const due: DeviceRecord[] = [];
    for (const device of devices) {
      const settings = availabilitySettingsOf(this.o.store.deviceOptions?.get(device.ieee));
      if (!settings.enabled) continue; // its owner asked: never pinged, never marked for silence
      const timeouts = settings.timeoutMs === undefined ? this.o : { mainsTimeoutMs: settings.timeoutMs, batteryTimeoutMs: settings.timeoutMs };
      const verdict = assess(device, now, timeouts, this.history.get(device.ieee));
      if (verdict === 'ping') due.push(device);
      else if (verdict === 'unavailable' && this.markUnavailable(device.ieee, 'battery device silent', now - lastActivityOf(device))) {
        summary.markedUnavailable.push(device.ieee);
      }
    }
    // Longest silent first. One ping at a time: a ping that gets no answer holds a slot of the
    // coordinator's queue for herdsman's whole response timeout, and a sweep of pings must
    // not crowd out commands and interviews.
    due.sort((a, b) => lastActivityOf(a) - lastActivityOf(b));
    for (const device of due) {
      if (this.stopped) break;
      const outcome = await this.pingAndRecord(device);
      if (outcome === 'skipped') continue;
      summary.pinged.push(device.ieee);
      if (outcome === 'answered') summary.answered.push(device.ieee);
      if (outcome === 'marked_unavailable') summary.markedUnavailable.push(device.ieee);
    }
    return summary;
  }

  private async pingAndRecord(device: DeviceRecord): Promise<'answered' | 'no_answer' | 'marked_unavailable' | 'skipped'> {
    const { ieee } = device;
    const startedAt = this.o.clock.now();
    let answered = false;
    try {
      // As Zigbee2MQTT: a plain ping first. Only a device still counted available gets route
      // discovery on its retry (its route may have changed); for one already unavailable,
      // route requests flooding the network every check would find nothing.
      for (let attempt = 0; attempt < this.attempts && !answered && !this.stopped; attempt++) {
        answered = await this.o.network.ping(ieee, { recovery: attempt > 0 && device.available });
      }
    } catch (error) {
      // Could not even ask (network down, device unknown to the radio): no verdict on the device.
      this.o.log.debug('availability ping not sent', { ieee, error: String(error) });
      return 'skipped';
    }
    if (this.stopped) return 'skipped';

    const current = this.o.store.devices.get(ieee);
    if (!current || current.leftAt !== undefined) return 'skipped';
    // A frame that arrived while the ping was out is as good as an answer (heard() has
    // already marked the device available).
    const heardMeanwhile = (current.lastSeen ?? -Infinity) >= startedAt;
    if (answered || heardMeanwhile) {
      this.history.delete(ieee);
      if (answered) this.o.store.devices.markSeen(ieee, { at: this.o.clock.now() });
      this.markAvailable(ieee, 'device answered a ping and is available again', current.name);
      return 'answered';
    }
    const failures = (this.history.get(ieee)?.failures ?? 0) + 1;
    this.history.set(ieee, { failures, lastAttemptAt: startedAt });
    const silentMs = startedAt - lastActivityOf(current);
    if (this.markUnavailable(ieee, 'no answer to ping', silentMs, { failures })) return 'marked_unavailable';
    this.o.log.debug('unavailable device still not answering', { ieee, failures });
    return 'no_answer';
  }

  private markAvailable(ieee: Ieee, message: string, name?: string): void {
    let changed: boolean;
    try {
      changed = this.o.store.devices.setAvailability(ieee, true);
    } catch (error) {
      // Not (or no longer) in our table: nothing to mark.
      this.o.log.debug('availability not recorded', { ieee, error: String(error) });
      return;
    }
    if (!changed) return;
    this.o.log.info(message, { ieee, ...(name !== undefined ? { name } : {}) });
    try {
      this.o.onBack?.(ieee);
    } catch (error) {
      this.o.log.warn('handling a device coming back failed', { ieee, error: String(error) });
    }
  }

  private markUnavailable(ieee: Ieee, reason: string, silentMs: number, extra: Record<string, unknown> = {}): boolean {
    try {
      if (!this.o.store.devices.setAvailability(ieee, false)) return false;
    } catch (error) {
      // Removed between the listing and now: nothing to mark.
      this.o.log.debug('availability not recorded', { ieee, error: String(error) });
      return false;
    }
    this.o.log.info('device unavailable', { ieee, reason, silentSeconds: Math.round(silentMs / 1000), ...extra });
    return true;
  }

  private forgetGone(devices: DeviceRecord[]): void {
    const watched = new Set(devices.filter((d) => d.leftAt === undefined).map((d) => d.ieee));
    for (const ieee of this.history.keys()) if (!watched.has(ieee)) this.history.delete(ieee);
  }
}
