// Attribute reporting as configured by the coordinator (ZCL 2.5.7 configure reporting):
// report when the value moved by at least the reportable change (no sooner than the minimum
// interval after the previous report), and at least every maximum interval.

import type { ZclValue } from './definition.js';
import { sameValue, type StoredAttribute } from './attribute-store.js';
import type { TimerGroup, TimerHandle } from './timers.js';
import { isAnalogDataType } from './zcl/data-types.js';
import type { ZclData } from './zcl/values.js';

/** maxInterval 0xFFFF switches reporting of the attribute off (ZCL 2.5.7.1.7). */
export const REPORTING_OFF = 0xffff;

export interface ReportingSettings {
  minInterval: number;
  maxInterval: number;
  reportableChange?: ZclData;
}

interface ReportingState extends ReportingSettings {
  endpoint: number;
  cluster: number;
  attrId: number;
  lastValue?: ZclValue;
  lastAt?: number;
  maxTimer?: TimerHandle;
  minTimer?: TimerHandle;
}

export interface ReportingDeps {
  timers: TimerGroup;
  read(endpoint: number, cluster: number, attrId: number): StoredAttribute | undefined;
  /** Sends a report of the current values of these attributes. */
  send(endpoint: number, cluster: number, attrIds: number[]): void;
}

export class ReportingEngine {
  private readonly configs = new Map<string, ReportingState>();
  private running = false;

  constructor(private readonly deps: ReportingDeps) {}

  configure(endpoint: number, cluster: number, attrId: number, settings: ReportingSettings): void {
    const key = `${endpoint}/${cluster}/${attrId}`;
    const old = this.configs.get(key);
    if (old) this.disarm(old);
    if (settings.maxInterval === REPORTING_OFF) {
      this.configs.delete(key);
      return;
    }
    const state: ReportingState = { ...settings, endpoint, cluster, attrId };
    if (old) {
      state.lastValue = old.lastValue;
      state.lastAt = old.lastAt;
    }
    this.configs.set(key, state);
    if (this.running) this.armMax(state);
  }

  settings(endpoint: number, cluster: number, attrId: number): ReportingSettings | undefined {
    const state = this.configs.get(`${endpoint}/${cluster}/${attrId}`);
    if (!state) return undefined;
    const { minInterval, maxInterval, reportableChange } = state;
    return reportableChange === undefined ? { minInterval, maxInterval } : { minInterval, maxInterval, reportableChange };
  }

  /** An attribute changed without being reported: report it if its configuration says so. */
  changed(endpoint: number, cluster: number, attrId: number): void {
    const state = this.configs.get(`${endpoint}/${cluster}/${attrId}`);
    if (!state || !this.running || state.minTimer) return;
    if (!this.movedEnough(state)) return;
    const now = this.deps.timers.now();
    const due = (state.lastAt ?? -Infinity) + state.minInterval * 1000;
    if (now >= due) {
      this.deps.send(endpoint, cluster, [attrId]);
      return;
    }
    state.minTimer = this.deps.timers.after(due - now, () => {
      state.minTimer = undefined;
      if (this.movedEnough(state)) this.deps.send(endpoint, cluster, [attrId]);
    });
  }

  /** A report of these attributes went out (from any cause): restart their intervals. */
  reported(endpoint: number, cluster: number, attrIds: number[]): void {
    for (const attrId of attrIds) {
      const state = this.configs.get(`${endpoint}/${cluster}/${attrId}`);
      if (!state) continue;
      state.lastValue = this.deps.read(endpoint, cluster, attrId)?.value;
      state.lastAt = this.deps.timers.now();
      if (this.running) this.armMax(state);
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const state of this.configs.values()) this.armMax(state);
  }

  /** Stops all timers; configurations are kept for the next start(). */
  stop(): void {
    this.running = false;
    for (const state of this.configs.values()) this.disarm(state);
  }

  private armMax(state: ReportingState): void {
    this.deps.timers.cancel(state.maxTimer);
    state.maxTimer = undefined;
    if (state.maxInterval === 0) return; // 0 = report on change only
    state.maxTimer = this.deps.timers.after(state.maxInterval * 1000, () => {
      state.maxTimer = undefined;
      this.deps.send(state.endpoint, state.cluster, [state.attrId]);
    });
  }

  private disarm(state: ReportingState): void {
    this.deps.timers.cancel(state.maxTimer);
    this.deps.timers.cancel(state.minTimer);
    state.maxTimer = undefined;
    state.minTimer = undefined;
  }

  private movedEnough(state: ReportingState): boolean {
    const current = this.deps.read(state.endpoint, state.cluster, state.attrId);
    if (!current) return false;
    if (state.lastValue === undefined) return true;
    if (sameValue(current.value, state.lastValue)) return false;
    if (!isAnalogDataType(current.type) || state.reportableChange === undefined) return true;
    const change = Math.abs(Number(current.value) - Number(state.lastValue));
    return change >= Number(state.reportableChange);
  }
}
