// The reports the benchmark makes simulated devices send: one attribute each, whose every new
// value is a real state change (so each report must end as one committed state_changed event),
// and how to recognise that value again in the state the cloud receives.
import type { ZclValue } from '../../virtual-coordinator/devices/definition.js';

export interface ReportKind {
  /** Catalogue id of the device that sends it. */
  catalogueId: string;
  endpoint: number;
  cluster: number;
  attribute: number;
  /** The state key the converters turn it into. */
  stateKey: string;
  /** The n-th value the device sends: consecutive values always differ. */
  value(n: number): ZclValue;
  /** The number that identifies the n-th value (n mod the cycle) in the converted state. */
  idOfState(state: unknown): number | undefined;
  idOfValue(n: number): number;
}

/** Values cycle with this period: unique per device among everything in flight at once. */
const CYCLE = 5000;

/** WSDCGQ11LM: msTemperatureMeasurement measuredValue (0.01 °C) -> temperature. */
export const TEMPERATURE: ReportKind = {
  catalogueId: 'aqara-weather',
  endpoint: 1,
  cluster: 0x0402,
  attribute: 0x0000,
  stateKey: 'temperature',
  value: (n) => 1000 + (n % CYCLE), // 10.00 .. 59.99 °C
  idOfValue: (n) => n % CYCLE,
  idOfState: (t) => (typeof t === 'number' ? Math.round(t * 100) - 1000 : undefined),
};

/** ZNCZ02LM: genAnalogInput presentValue on endpoint 2 (single float, W) -> power. */
export const POWER: ReportKind = {
  catalogueId: 'aqara-plug',
  endpoint: 2,
  cluster: 0x000c,
  attribute: 0x0055,
  stateKey: 'power',
  value: (n) => (n % CYCLE) + 0.5, // exact in a single float
  idOfValue: (n) => n % CYCLE,
  idOfState: (w) => (typeof w === 'number' ? Math.round(w - 0.5) : undefined),
};

export function reportKind(catalogueId: string): ReportKind {
  const kind = [TEMPERATURE, POWER].find((k) => k.catalogueId === catalogueId);
  if (!kind) throw new Error(`no bench report kind for ${catalogueId} (have aqara-weather, aqara-plug)`);
  return kind;
}
