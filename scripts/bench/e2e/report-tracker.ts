// Sends reports from the simulated devices round robin and matches every state_changed event
// the cloud receives to the report that caused it: in-flight count for the send loops, and
// the latency from "the device sent it" to "the cloud has it" (one clock: same process).
import type { DeviceBehaviour } from '../../virtual-coordinator/network/device-behaviour.js';
import type { ReportKind } from './report-kinds.js';
import { ProgressSignal, type Pipeline } from './send-loops.js';

export interface ReportingDevice {
  ieee: string;
  kind: ReportKind;
  device: DeviceBehaviour;
}

interface Tracked extends ReportingDevice {
  /** How many reports this device has sent. */
  n: number;
  /** value id -> when it was sent (performance.now()). */
  pending: Map<number, number>;
}

export class ReportTracker implements Pipeline {
  readonly progress = new ProgressSignal();
  sent = 0;
  arrived = 0;
  /** state_changed events for a bench key whose value matched no report in flight. */
  unmatched = 0;
  /** Latency in ms of each report that arrived since the last reset. */
  latencies: number[] = [];
  private readonly devices: Tracked[];
  private readonly byIeee = new Map<string, Tracked>();
  private next = 0;
  private notifyScheduled = false;

  constructor(devices: ReportingDevice[]) {
    this.devices = devices.map((d) => ({ ...d, n: 0, pending: new Map() }));
    for (const d of this.devices) this.byIeee.set(d.ieee, d);
  }

  send(): void {
    const d = this.devices[this.next]!;
    this.next = (this.next + 1) % this.devices.length;
    const n = d.n++;
    d.pending.set(d.kind.idOfValue(n), performance.now());
    d.device.set(d.kind.endpoint, d.kind.cluster, { [d.kind.attribute]: d.kind.value(n) });
    this.sent++;
  }

  inFlight(): number {
    return this.sent - this.arrived;
  }

  /** A state_changed event reached the cloud at `at` (performance.now()). */
  onCloudState(ieee: string, state: Record<string, unknown>, at: number): void {
    const d = this.byIeee.get(ieee);
    if (!d || !(d.kind.stateKey in state)) return; // heartbeats, battery: not ours
    const id = d.kind.idOfState(state[d.kind.stateKey]);
    const sentAt = id === undefined ? undefined : d.pending.get(id);
    if (sentAt === undefined) {
      this.unmatched++;
      return;
    }
    d.pending.delete(id!);
    this.latencies.push(at - sentAt);
    this.arrived++;
    // Events arrive in batches: wake the sender once per batch, not once per event.
    if (!this.notifyScheduled) {
      this.notifyScheduled = true;
      setImmediate(() => {
        this.notifyScheduled = false;
        this.progress.notify();
      });
    }
  }

  /** Starts a new measurement phase (counters and latencies). */
  resetLatencies(): void {
    this.latencies = [];
  }
}
