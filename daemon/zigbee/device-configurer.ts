// Runs a definition's `configure` (bindings, attribute reporting) once per device and
// definition version, and records success in herdsman's device meta so a restart does not
// redo it. Sleepy end devices only listen right after they spoke, so a failed attempt is
// retried when the device's next message arrives, up to a bounded number of attempts. A
// device that listens all the time is also retried after a delay: a router whose reporting
// is not configured may never send the message that would trigger the retry.
import { listensAllTheTime } from './device-description.js';
import { describeError, ZigbeeError } from './errors.js';
import type { ConverterDefinition, HerdsmanDevice, HerdsmanEndpoint } from './herdsman-types.js';
import type { Timers, ZigbeeLogger } from './types.js';

export interface ConfigureReport {
  ieee: string;
  ok: boolean;
  attempt: number;
  error?: string;
}

export interface DeviceConfigurerOptions {
  coordinatorEndpoint: () => HerdsmanEndpoint;
  maxAttempts: number;
  /** Wait before the timed retry after failed attempt n (the last entry repeats). */
  retryDelaysMs: readonly number[];
  timers: Timers;
  log: ZigbeeLogger;
  onReport: (report: ConfigureReport) => void;
  /** Per-device containment (device-faults.ts): which device is being configured, and failures. */
  faults?: {
    enter(ieee: string, stage: 'configure'): void;
    leave(ieee: string): void;
    noted(ieee: string, stage: 'configure', reason: string): void;
  };
}

export class DeviceConfigurer {
  private readonly attempts = new Map<string, number>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly retryTimers = new Map<string, unknown>();
  /** Between stop() and start(): herdsman's device objects of the last session are stale. */
  private stopped = false;

  constructor(private readonly options: DeviceConfigurerOptions) {}

  needsConfigure(device: HerdsmanDevice, definition: ConverterDefinition): boolean {
    return definition.configure !== undefined && device.meta.configured !== definition.version;
  }

  /** Called on every message: retries a failed configure while the device is awake. */
  onDeviceAwake(device: HerdsmanDevice, definition: ConverterDefinition): void {
    if (this.stopped || !this.needsConfigure(device, definition)) return;
    if (this.running.has(device.ieeeAddr)) return;
    if ((this.attempts.get(device.ieeeAddr) ?? 0) >= this.options.maxAttempts) return;
    this.configure(device, definition).catch(() => {
      // Already reported and logged; the next message retries.
    });
  }

  /**
   * Configures now. With `force`, runs even when already configured and resets the attempt
   * budget (an explicit request from a person). Rejects with a ZigbeeError on failure.
   */
  configure(device: HerdsmanDevice, definition: ConverterDefinition, force = false): Promise<void> {
    const ieee = device.ieeeAddr;
    const inFlight = this.running.get(ieee);
    if (inFlight) return inFlight;
    if (force) {
      this.attempts.delete(ieee);
    } else if (!this.needsConfigure(device, definition)) {
      return Promise.resolve();
    }
    this.cancelRetry(ieee);
    const run = this.attempt(device, definition).finally(() => this.running.delete(ieee));
    this.running.set(ieee, run);
    return run;
  }

  forget(ieee: string): void {
    this.attempts.delete(ieee);
    this.cancelRetry(ieee);
  }

  /** A new session: attempt budgets start afresh. */
  start(): void {
    this.stopped = false;
    this.attempts.clear();
  }

  /**
   * The network stops: cancels the timed retries, and an attempt still in flight (it fails
   * against the stopped controller) neither schedules a retry nor reports a failure.
   */
  stop(): void {
    this.stopped = true;
    for (const ieee of [...this.retryTimers.keys()]) this.cancelRetry(ieee);
  }

  private cancelRetry(ieee: string): void {
    const timer = this.retryTimers.get(ieee);
    if (timer !== undefined) this.options.timers.clearTimeout(timer);
    this.retryTimers.delete(ieee);
  }

  private retryLater(device: HerdsmanDevice, definition: ConverterDefinition, attempt: number): number {
    const delays = this.options.retryDelaysMs;
    const delay = delays[Math.min(attempt - 1, delays.length - 1)] ?? 0;
    const timer = this.options.timers.setTimeout(() => {
      this.retryTimers.delete(device.ieeeAddr);
      this.onDeviceAwake(device, definition);
    }, delay);
    this.retryTimers.set(device.ieeeAddr, timer);
    return delay;
  }

  private async attempt(device: HerdsmanDevice, definition: ConverterDefinition): Promise<void> {
    const ieee = device.ieeeAddr;
    const attempt = (this.attempts.get(ieee) ?? 0) + 1;
    this.attempts.set(ieee, attempt);
    const log = this.options.log;
    if (!definition.configure) return;
    const faults = this.options.faults;
    faults?.enter(ieee, 'configure');
    try {
      await definition.configure(device, this.options.coordinatorEndpoint(), definition);
    } catch (error) {
      faults?.leave(ieee);
      const reason = describeError(error);
      if (!this.stopped) faults?.noted(ieee, 'configure', reason);
      if (this.stopped) {
        log.debug('configure cut short by stop', { ieee, error: reason });
        throw new ZigbeeError('not_started', `configure of ${ieee} cut short: the network stopped`, { cause: error });
      }
      const last = attempt >= this.options.maxAttempts;
      const inMs = !last && listensAllTheTime(device) ? this.retryLater(device, definition, attempt) : undefined;
      log.warn(last ? 'configure failed, giving up for this session' : 'configure failed, will retry', {
        ieee,
        model: definition.model,
        attempt,
        error: reason,
        ...(inMs !== undefined ? { inMs } : { when: 'on its next message' }),
      });
      this.options.onReport({ ieee, ok: false, attempt, error: reason });
      throw new ZigbeeError('device_error', `configure of ${ieee} failed: ${reason}`, { cause: error });
    }
    faults?.leave(ieee);
    device.meta.configured = definition.version;
    device.save();
    this.attempts.delete(ieee);
    log.info('device configured', { ieee, model: definition.model, attempt });
    this.options.onReport({ ieee, ok: true, attempt });
  }
}
