// Matches what the cloud received to what the radio sent, across processes: a report is
// (device, value id) stamped when its frame left the emulator and when its state_changed event
// reached the cloud. Either stamp may reach the bench first (two IPC channels), so both sides
// wait for the other.
import { reportKind, type ReportKind } from '../e2e/report-kinds.js';
import { ProgressSignal } from '../e2e/send-loops.js';
import type { BenchDevice } from './messages.js';

export class ArrivalMatcher {
  readonly progress = new ProgressSignal();
  /** Reports asked of the emulator (the parent's count, ahead of the stamps). */
  requested = 0;
  arrived = 0;
  latencies: number[] = [];
  private readonly kinds: ReportKind[];
  private readonly indexOf = new Map<string, number>();
  private readonly sentAt = new Map<string, number>();
  private readonly arrivedAt = new Map<string, number>();

  constructor(devices: BenchDevice[]) {
    this.kinds = devices.map((d) => reportKind(d.catalogueId));
    devices.forEach((d, i) => this.indexOf.set(d.ieee, i));
  }

  inFlight(): number {
    return this.requested - this.arrived;
  }

  onSent(records: Array<[number, number, number]>): void {
    for (const [index, n, at] of records) {
      const key = `${index}:${this.kinds[index]!.idOfValue(n)}`;
      const arrived = this.arrivedAt.get(key);
      if (arrived === undefined) this.sentAt.set(key, at);
      else {
        this.arrivedAt.delete(key);
        this.count(arrived - at);
      }
    }
  }

  onArrived(events: Array<[string, Record<string, unknown>, number]>): void {
    for (const [ieee, state, at] of events) {
      const index = this.indexOf.get(ieee);
      if (index === undefined) continue;
      const kind = this.kinds[index]!;
      if (!(kind.stateKey in state)) continue;
      const id = kind.idOfState(state[kind.stateKey]);
      if (id === undefined) continue;
      const key = `${index}:${id}`;
      const sent = this.sentAt.get(key);
      if (sent === undefined) this.arrivedAt.set(key, at);
      else {
        this.sentAt.delete(key);
        this.count(at - sent);
      }
    }
    this.progress.notify();
  }

  resetLatencies(): void {
    this.latencies = [];
  }

  private count(latencyMs: number): void {
    this.arrived++;
    this.latencies.push(latencyMs);
  }
}
