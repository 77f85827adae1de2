// The gateway_status event (cloud.proto GatewayStatus), gathered from the parts main.ts owns.
// Appended to the outbox after every cloud Welcome, and whenever a slow-moving field changes
// (versions, coordinator, network, device counts, last error, health): checked every
// checkIntervalMs and at once on a health change. The sampled fields (uptime, outbox) are as
// of that moment and never count as a change on their own, so an idle hub sends nothing.
import type { GatewayStatus, HubEvent } from '../domain/events.js';
import type { HealthBoard } from '../domain/health.js';

export interface GatewayStatusSources {
  firmwareVersion: string;
  startedAt: number;
  now: () => number;
  /** Rejects while the coordinator is not available. */
  coordinator: () => Promise<GatewayStatus['coordinator']>;
  /** Rejects while the network is not up. */
  network: () => Promise<NonNullable<GatewayStatus['network']>>;
  devices: () => Array<{ available: boolean; leftAt?: number; quarantine?: unknown }>;
  outbox: () => { events: number; bytes: number; oldestAt?: number };
  health: HealthBoard;
  /** Appends to the outbox (the store's events.append). */
  append: (event: HubEvent) => void;
  log: { warn(message: string, fields?: Record<string, unknown>): void };
  /** Default 30 s. */
  checkIntervalMs?: number;
}

export class GatewayStatusReporter {
  private lastSent: string | undefined;
  private lastError: string | undefined;
  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly sources: GatewayStatusSources) {}

  start(): void {
    this.unsubscribe = this.sources.health.on('changed', ({ component, status, reason }) => {
      if (status !== 'ok') this.lastError = reason !== undefined ? `${component}: ${reason}` : `${component} is ${status}`;
      void this.send('changed', false);
    });
    this.timer = setInterval(() => void this.check(), this.sources.checkIntervalMs ?? 30_000);
    this.timer.unref();
  }

  /** The cloud welcomed the hub: the platform gets the status whether or not it changed. */
  connected(): Promise<void> {
    return this.send('connected', true);
  }

  /** Sends a status when a slow-moving field changed since the last one sent. */
  check(): Promise<void> {
    return this.send('changed', false);
  }

  stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.unsubscribe?.();
    return this.queue;
  }

  /** One at a time, so two checks never race to send the same change twice. */
  private send(reason: string, always: boolean): Promise<void> {
    this.queue = this.queue.then(async () => {
      if (this.stopped) return;
      try {
        const status = await this.collect(reason);
        const { reason: _reason, uptimeSeconds: _uptime, outbox: _outbox, ...slow } = status;
        const fingerprint = JSON.stringify(slow);
        if (!always && fingerprint === this.lastSent) return;
        this.sources.append({ kind: 'gateway_status', ...status });
        this.lastSent = fingerprint;
      } catch (error) {
        this.sources.log.warn('gateway status not sent', { error: error instanceof Error ? error.message : String(error) });
      }
    });
    return this.queue;
  }

  private async collect(reason: string): Promise<GatewayStatus> {
    const { sources } = this;
    const now = sources.now();
    const [coordinator, network] = await Promise.all([
      sources.coordinator().catch(() => ({ type: '', firmware: '', ieee: '' })),
      sources.network().catch(() => undefined),
    ]);
    const devices = sources.devices();
    const present = devices.filter((device) => device.leftAt === undefined);
    const outbox = sources.outbox();
    return {
      reason,
      firmwareVersion: sources.firmwareVersion,
      nodeVersion: process.version,
      coordinator,
      ...(network ? { network } : {}),
      devices: {
        total: devices.length,
        available: present.filter((device) => device.available).length,
        unavailable: present.filter((device) => !device.available).length,
        left: devices.length - present.length,
        quarantined: devices.filter((device) => device.quarantine !== undefined).length,
      },
      uptimeSeconds: Math.max(0, Math.floor((now - sources.startedAt) / 1000)),
      outbox: { events: outbox.events, bytes: outbox.bytes, oldestAgeMs: outbox.oldestAt !== undefined ? Math.max(0, now - outbox.oldestAt) : 0 },
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      health: sources.health.list().map(({ component, status, reason: why }) => ({ component, status, ...(why !== undefined ? { reason: why } : {}) })),
    };
  }
}
