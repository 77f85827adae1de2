// Keeps the coordinator connected for months unattended: when zigbee-herdsman reports the adapter
// gone (a USB stick unplugged, a TCP-attached coordinator rebooted, a serial error), the network
// is stopped and started again in-process with exponential backoff until the stick is back. The
// device table, state and outbox are untouched meanwhile; commands fail with a clear error.
import type { Logger } from '../ops/logger.js';

/** The part of the zigbee network the supervisor drives. */
export interface RestartableNetwork {
  start(): Promise<string>;
  stop(): Promise<void>;
  on(kind: 'adapter_disconnected', listener: () => void): () => void;
}

export interface SupervisorTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface CoordinatorSupervisorOptions {
  network: RestartableNetwork;
  log: Logger;
  timers?: SupervisorTimers;
  /** First wait before reopening; doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** The coordinator went away: pause work that needs the radio (e.g. availability pings). */
  onDown?: () => void;
  /** It is back: resume that work. */
  onUp?: () => void;
}

const defaultTimers: SupervisorTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class CoordinatorSupervisor {
  private readonly timers: SupervisorTimers;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private unsubscribe: (() => void) | undefined;
  private timer: unknown;
  private recovering: Promise<void> | undefined;
  private stopped = false;
  private reconnects = 0;

  constructor(private readonly options: CoordinatorSupervisorOptions) {
    this.timers = options.timers ?? defaultTimers;
    this.initialDelayMs = options.initialDelayMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
  }

  start(): void {
    this.unsubscribe = this.options.network.on('adapter_disconnected', () => {
      if (this.stopped || this.recovering) return;
      this.recovering = this.recover().finally(() => (this.recovering = undefined));
    });
  }

  /** Stops watching; waits for a reopen attempt in progress so the caller can stop the network after it. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.timers.clearTimeout(this.timer);
    this.wake?.();
    await this.recovering;
  }

  /** How many times the coordinator came back after being lost. */
  get reconnectCount(): number {
    return this.reconnects;
  }

  private wake: (() => void) | undefined;

  private async recover(): Promise<void> {
    const { network, log } = this.options;
    log.error('coordinator lost: the device table and state are kept; reopening it', {});
    this.options.onDown?.();
    // herdsman's controller is half-dead after losing its adapter: stop it before a fresh start.
    await network.stop().catch((error: unknown) => log.warn('stopping the lost coordinator failed', { error: describe(error) }));
    let delay = this.initialDelayMs;
    for (let attempt = 1; !this.stopped; attempt++) {
      await this.sleep(delay);
      if (this.stopped) return;
      try {
        const result = await network.start();
        this.reconnects++;
        log.info('coordinator reconnected', { attempt, result });
        this.options.onUp?.();
        return;
      } catch (error) {
        delay = Math.min(delay * 2, this.maxDelayMs);
        log.error('coordinator still unavailable', { attempt, error: describe(error), retryInMs: delay });
        await network.stop().catch(() => undefined);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.timers.clearTimeout(this.timer);
        this.wake = undefined;
        resolve();
      };
      this.timer = this.timers.setTimeout(() => this.wake?.(), ms);
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
