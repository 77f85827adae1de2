// What a device's definition exposes (the converters' "exposes": state keys with their access
// flags, units, ranges and values), as plain data for the LAN API and whoever else shows a
// device to a person. Copied field by field: no converters object leaves this module.
import type { ConverterDefinition, HerdsmanDevice } from './herdsman-types.js';

export interface ExposeDescription {
  type: string;
  name?: string;
  property?: string;
  /** Bits: 1 published in state, 2 settable, 4 readable (gettable). */
  access?: number;
  unit?: string;
  label?: string;
  description?: string;
  valueMin?: number;
  valueMax?: number;
  valueStep?: number;
  valueOn?: unknown;
  valueOff?: unknown;
  valueToggle?: unknown;
  values?: unknown[];
  presets?: Array<{ name: string; value: unknown; description?: string }>;
  endpoint?: string;
  features?: ExposeDescription[];
}

interface RawExpose {
  type?: unknown;
  name?: unknown;
  property?: unknown;
  access?: unknown;
  unit?: unknown;
  label?: unknown;
  description?: unknown;
  value_min?: unknown;
  value_max?: unknown;
  value_step?: unknown;
  value_on?: unknown;
  value_off?: unknown;
  value_toggle?: unknown;
  values?: unknown;
  presets?: unknown;
  endpoint?: unknown;
  features?: unknown;
}

export function describeExposes(definition: ConverterDefinition, device: HerdsmanDevice): ExposeDescription[] {
  const list = typeof definition.exposes === 'function' ? definition.exposes(device, {}) : definition.exposes;
  return (list as unknown as RawExpose[]).map(describeOne);
}

function describeOne(raw: RawExpose): ExposeDescription {
  const out: ExposeDescription = { type: String(raw.type ?? 'unknown') };
  if (typeof raw.name === 'string') out.name = raw.name;
  if (typeof raw.property === 'string') out.property = raw.property;
  if (typeof raw.access === 'number') out.access = raw.access;
  if (typeof raw.unit === 'string') out.unit = raw.unit;
  if (typeof raw.label === 'string') out.label = raw.label;
  if (typeof raw.description === 'string') out.description = raw.description;
  if (typeof raw.value_min === 'number') out.valueMin = raw.value_min;
  if (typeof raw.value_max === 'number') out.valueMax = raw.value_max;
  if (typeof raw.value_step === 'number') out.valueStep = raw.value_step;
  if (raw.value_on !== undefined) out.valueOn = raw.value_on;
  if (raw.value_off !== undefined) out.valueOff = raw.value_off;
  if (raw.value_toggle !== undefined) out.valueToggle = raw.value_toggle;
  if (Array.isArray(raw.values)) out.values = [...raw.values];
  if (Array.isArray(raw.presets)) {
    out.presets = (raw.presets as Array<{ name?: unknown; value?: unknown; description?: unknown }>).map((p) => ({
      name: String(p.name),
      value: p.value,
      ...(typeof p.description === 'string' ? { description: p.description } : {}),
    }));
  }
  if (typeof raw.endpoint === 'string') out.endpoint = raw.endpoint;
  if (Array.isArray(raw.features)) out.features = (raw.features as RawExpose[]).map(describeOne);
  return out;
}
