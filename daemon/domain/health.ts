// The hub's health, one entry per component ("store", "coordinator", "cloud", "herdsman_files",
// ...). Each component's owner reports its own status here; readers (the cloud status event,
// the LAN health call, logs) watch one board instead of asking every part. A change of status
// (not a repeat of the same one) is emitted once, so a failing commit loop logs and reports
// per state change, never per attempt.
import { TypedEmitter } from './typed-emitter.js';

export type HealthStatus = 'ok' | 'degraded' | 'bad';

export interface ComponentHealth {
  component: string;
  status: HealthStatus;
  /** Why it is not ok (absent when ok). Never holds secrets. */
  reason?: string;
  /** Milliseconds since the epoch when this status began. */
  since: number;
}

export interface HealthEvents {
  changed: ComponentHealth;
}

export class HealthBoard extends TypedEmitter<HealthEvents> {
  private readonly entries = new Map<string, ComponentHealth>();

  constructor(
    private readonly now: () => number = Date.now,
    onListenerError: (error: unknown) => void = () => undefined,
  ) {
    super((_kind, error) => onListenerError(error));
  }

  /** Records a component's status; emits 'changed' only when status or reason differ. */
  report(component: string, status: HealthStatus, reason?: string): void {
    const previous = this.entries.get(component);
    const nextReason = status === 'ok' ? undefined : reason;
    if (previous && previous.status === status && previous.reason === nextReason) return;
    const entry: ComponentHealth = { component, status, since: this.now(), ...(nextReason !== undefined ? { reason: nextReason } : {}) };
    this.entries.set(component, entry);
    this.emit('changed', entry);
  }

  get(component: string): ComponentHealth | undefined {
    return this.entries.get(component);
  }

  list(): ComponentHealth[] {
    return [...this.entries.values()];
  }

  /** The worst status over all components ('ok' when none reported). */
  overall(): HealthStatus {
    let worst: HealthStatus = 'ok';
    for (const { status } of this.entries.values()) {
      if (status === 'bad') return 'bad';
      if (status === 'degraded') worst = 'degraded';
    }
    return worst;
  }
}
