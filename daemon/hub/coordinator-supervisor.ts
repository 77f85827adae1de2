// Keeps the coordinator connected for months unattended: when zigbee-herdsman reports the adapter
// gone (a USB stick unplugged, a TCP-attached coordinator rebooted, a serial error), or the stick
// announces that it rebooted by itself (its reset indication: the link is up but the chip forgot
// what herdsman set up), the network is stopped and started again in-process, with exponential
// backoff until the stick answers. The device table, state and outbox are untouched meanwhile;
// commands fail with a clear error; the 'coordinator' health is degraded until it is back.
import type { HealthStatus } from '../domain/health.js';
import type { Logger } from '../ops/logger.js';

/** The part of the zigbee network the supervisor drives. */
export interface RestartableNetwork {
  start(): Promise<string>;
  stop(): Promise<void>;
  on(kind: 'adapter_disconnected' | 'coordinator_reset', listener: (event: { reason?: string }) => void): () => void;
}

/** Where the supervisor reports the coordinator's health (domain/health.ts' HealthBoard). */
export interface HealthReporter {
  report(component: string, status: HealthStatus, reason?: string): void;
}

/** Why the coordinator is being restarted. */
type Cause = { kind: 'lost' } | { kind: 'reset'; reason: string };

export interface SupervisorTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface CoordinatorSupervisorOptions {
  network: RestartableNetwork;
  log: Logger;
  /** Gets 'coordinator' degraded while it is lost or recovering, ok once back. */
  health?: HealthReporter;
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
  private unsubscribe: Array<() => void> = [];
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
    const { network } = this.options;
    this.unsubscribe.push(
      network.on('adapter_disconnected', () => this.begin({ kind: 'lost' })),
      network.on('coordinator_reset', (event) => this.begin({ kind: 'reset', reason: event.reason ?? 'unknown reason' })),
    );
  }

  /** Stops watching; waits for a reopen attempt in progress so the caller can stop the network after it. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    this.timers.clearTimeout(this.timer);
    this.wake?.();
    await this.recovering;
  }

  /** How many times the coordinator came back after being lost or reset. */
  get reconnectCount(): number {
    return this.reconnects;
  }

  /** One recovery at a time: a reset reported while reopening is part of the same outage. */
  private begin(cause: Cause): void {
    if (this.stopped || this.recovering) return;
    this.recovering = this.recover(cause).finally(() => (this.recovering = undefined));
  }

  private wake: (() => void) | undefined;

  private async recover(cause: Cause): Promise<void> {
    const { network, log, health } = this.options;
    const since = Date.now();
    if (cause.kind === 'lost') {
      log.error('coordinator lost: the device table and state are kept; reopening it', {});
      health?.report('coordinator', 'degraded', 'coordinator lost; reopening it');
    } else {
      log.info('restarting zigbee-herdsman on the coordinator that reset itself; the device table and state are kept', { reason: cause.reason });
      health?.report('coordinator', 'degraded', `coordinator reset by itself (${cause.reason}); restarting it`);
    }
    this.options.onDown?.();
    // herdsman's controller is half-dead after losing its adapter (or talking to a chip that
    // forgot its endpoints): stop it before a fresh start.
    await network.stop().catch((error: unknown) => log.warn('stopping the coordinator failed', { error: describe(error) }));
    // A reset stick is back already: the first start is at once. A lost one needs time.
    let delay = cause.kind === 'reset' ? 0 : this.initialDelayMs;
    for (let attempt = 1; !this.stopped; attempt++) {
      if (delay > 0) await this.sleep(delay);
      if (this.stopped) return;
      try {
        const result = await network.start();
        this.reconnects++;
        const fields = { attempt, result, downMs: Date.now() - since };
        log.info(cause.kind === 'reset' ? 'coordinator recovered after a reset' : 'coordinator reconnected', fields);
        health?.report('coordinator', 'ok');
        this.options.onUp?.();
        return;
      } catch (error) {
        delay = Math.min(Math.max(delay * 2, this.initialDelayMs), this.maxDelayMs);
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
