// Refuses values that devices send when they have no real measurement (ZCL "invalid"
// sentinels such as 0x8000 for a signed temperature) and values no sensor can mean
// (NaN, humidity 140 %). Two data-driven layers:
//  - attribute sentinels and ranges, checked on the raw ZCL attributes before any converter
//    sees them (some converters silently drop such values, others would turn 0x8000 into
//    -327.68 °C): either way the device's bad input must be reported, not lost;
//  - state rules, checked on the converted state, whatever converter produced it.
// The plausible ranges live in STATE_RULES only; raw attributes are scaled and checked
// against the same rule, so both layers give the same reason for the same value. Where the
// device's definition gives a numeric expose a range (value_min / value_max), that range is
// the rule for the key on that device (e.g. a meter whose power may go negative when it
// exports); otherwise STATE_RULES' physical limits apply.
import type { DeviceState } from '../domain/events.js';

export interface AttributeSentinel {
  cluster: string;
  attribute: string;
  /** Values as herdsman decodes them (signed types arrive signed: 0x8000 int16 = -32768). */
  values: readonly number[];
  reason: string;
  /** Also check raw / scale against STATE_RULES[stateKey] (e.g. humidity 14000 / 100 > 100). */
  plausible?: { stateKey: string; scale: number };
}

/** ZCL "invalid value" sentinels of the measurement attributes we turn into state. */
export const ATTRIBUTE_SENTINELS: readonly AttributeSentinel[] = [
  { cluster: 'msTemperatureMeasurement', attribute: 'measuredValue', values: [-0x8000, 0x8000], reason: 'temperature 0x8000 (invalid measurement)', plausible: { stateKey: 'temperature', scale: 100 } },
  { cluster: 'msRelativeHumidity', attribute: 'measuredValue', values: [0xffff], reason: 'humidity 0xffff (invalid measurement)', plausible: { stateKey: 'humidity', scale: 100 } },
  { cluster: 'msPressureMeasurement', attribute: 'measuredValue', values: [-0x8000, 0x8000], reason: 'pressure 0x8000 (invalid measurement)' },
  { cluster: 'msIlluminanceMeasurement', attribute: 'measuredValue', values: [0xffff], reason: 'illuminance 0xffff (invalid measurement)' },
  { cluster: 'genDeviceTempCfg', attribute: 'currentTemperature', values: [-0x8000, 0x8000], reason: 'device temperature 0x8000 (invalid measurement)', plausible: { stateKey: 'device_temperature', scale: 1 } },
  { cluster: 'genPowerCfg', attribute: 'batteryPercentageRemaining', values: [0xff], reason: 'battery percentage 0xff (invalid)', plausible: { stateKey: 'battery', scale: 2 } },
  { cluster: 'genPowerCfg', attribute: 'batteryVoltage', values: [0xff], reason: 'battery voltage 0xff (invalid)' },
];

export interface StateRule {
  key: string;
  min?: number;
  max?: number;
  /** Exact values that mean "no measurement" once converted. */
  sentinels?: readonly number[];
}

/** Plausible ranges of converted state; a value outside is a broken sensor, not weather. */
export const STATE_RULES: readonly StateRule[] = [
  { key: 'temperature', min: -80, max: 150, sentinels: [-327.68] },
  { key: 'device_temperature', min: -80, max: 200, sentinels: [-327.68] },
  { key: 'humidity', min: 0, max: 100, sentinels: [655.35] },
  { key: 'soil_moisture', min: 0, max: 100 },
  { key: 'pressure', min: 0, max: 2000 },
  { key: 'battery', min: 0, max: 100 },
  { key: 'illuminance', min: 0, max: 200_000 },
  { key: 'linkquality', min: 0, max: 255 },
  { key: 'brightness', min: 0, max: 255 },
  // Electrical measurements of one household device or meter. A few watts below zero are a
  // meter's offset around idle; real export (thousands of watts negative) only where the
  // definition says so through its expose range. Xiaomi reports battery voltage in mV under
  // 'voltage', hence the high voltage limit.
  { key: 'power', min: -100, max: 100_000 },
  { key: 'energy', min: 0, max: 1_000_000_000 },
  { key: 'voltage', min: 0, max: 100_000 },
  { key: 'current', min: 0, max: 1_000 },
  { key: 'power_factor', min: -100, max: 100 },
  { key: 'frequency', min: 0, max: 1_000 },
  { key: 'co2', min: 0, max: 100_000 },
  { key: 'pm25', min: 0, max: 10_000 },
  { key: 'voc', min: 0, max: 100_000 },
];

/** A numeric expose's range for one key on one device (from its definition). */
export interface ExposeRange {
  min?: number;
  max?: number;
}

export interface Rejection {
  key: string;
  reason: string;
}

/** Splits raw ZCL attributes into those converters may see and sentinel rejections. */
export function screenAttributes(
  cluster: string,
  attributes: Record<string, unknown>,
  sentinels: readonly AttributeSentinel[] = ATTRIBUTE_SENTINELS,
  rules: readonly StateRule[] = STATE_RULES,
): { accepted: Record<string, unknown>; rejected: Rejection[] } {
  const accepted: Record<string, unknown> = {};
  const rejected: Rejection[] = [];
  for (const [attribute, value] of Object.entries(attributes)) {
    const reason = attributeProblem(cluster, attribute, value, sentinels, rules);
    if (reason) rejected.push({ key: attribute, reason });
    else accepted[attribute] = value;
  }
  return { accepted, rejected };
}

function attributeProblem(
  cluster: string,
  attribute: string,
  value: unknown,
  sentinels: readonly AttributeSentinel[],
  rules: readonly StateRule[],
): string | undefined {
  if (typeof value !== 'number') return undefined;
  const sentinel = sentinels.find((s) => s.cluster === cluster && s.attribute === attribute);
  // herdsman decodes the ZCL "non-value" of unsigned types (0xffff for uint16) as NaN.
  if (sentinel && (sentinel.values.includes(value) || Number.isNaN(value))) return sentinel.reason;
  if (!Number.isFinite(value)) return `${cluster}.${attribute} is ${value}`;
  if (sentinel?.plausible) return stateProblem(sentinel.plausible.stateKey, value / sentinel.plausible.scale, rules);
  return undefined;
}

/** State is stored and sent as JSON: text and structures of sane size, nothing JSON cannot hold. */
function shapeProblem(key: string, value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value.length > MAX_STATE_TEXT ? `${key} is text of ${value.length} characters (at most ${MAX_STATE_TEXT})` : undefined;
  }
  if (typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol') return `${key} is a ${typeof value}, not a JSON value`;
  if (typeof value !== 'object' || value === null) return undefined;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    return `${key} cannot be stored as JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (json !== undefined && json.length > MAX_STATE_JSON) return `${key} is ${json.length} bytes of JSON (at most ${MAX_STATE_JSON})`;
  return undefined;
}

/** Splits converted state into plausible keys and rejections with a reason each. */
export function screenState(
  state: DeviceState,
  rules: readonly StateRule[] = STATE_RULES,
  ranges?: ReadonlyMap<string, ExposeRange>,
): { accepted: DeviceState; rejected: Rejection[] } {
  const accepted: DeviceState = {};
  const rejected: Rejection[] = [];
  for (const [key, value] of Object.entries(state)) {
    const reason = stateProblem(key, value, rules, ranges?.get(key));
    if (reason) rejected.push({ key, reason });
    else accepted[key] = value;
  }
  return { accepted, rejected };
}

/** Longest text state kept (action names, modes, versions are far shorter). */
export const MAX_STATE_TEXT = 256;
/** Largest object or list state kept, as JSON (a colour, a schedule). */
export const MAX_STATE_JSON = 4096;

function stateProblem(key: string, value: unknown, rules: readonly StateRule[], range?: ExposeRange): string | undefined {
  if (value === undefined) return `${key} is undefined`;
  if (typeof value !== 'number') return shapeProblem(key, value);
  if (!Number.isFinite(value)) return `${key} is ${value}`;
  const rule = rules.find((r) => r.key === key);
  if (rule?.sentinels?.includes(value)) return `${key} ${value} is an invalid-measurement sentinel`;
  // Each side: the device's expose range where it gives one, the physical rule otherwise.
  if (range?.min !== undefined) {
    if (value < range.min) return `${key} ${value} is below the device's range ${range.min}`;
  } else if (rule?.min !== undefined && value < rule.min) {
    return `${key} ${value} is below ${rule.min}`;
  }
  if (range?.max !== undefined) {
    if (value > range.max) return `${key} ${value} is above the device's range ${range.max}`;
  } else if (rule?.max !== undefined && value > rule.max) {
    return `${key} ${value} is above ${rule.max}`;
  }
  return undefined;
}
