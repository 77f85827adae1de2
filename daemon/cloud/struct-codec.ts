// Device state <-> google.protobuf.Struct. Numbers stay numbers, booleans stay booleans,
// nested objects (color: {x, y}) and arrays keep their shape. Field names are camelCase here
// because protobufjs bundles Struct/Value that way (see proto.ts).
import type { DeviceState } from '../domain/events.js';
import type { WireStruct, WireValue } from './wire.js';

export function toStruct(state: Record<string, unknown>): WireStruct {
  const fields: Record<string, WireValue> = {};
  for (const [key, value] of Object.entries(state)) {
    const encoded = toValue(value);
    if (encoded) fields[key] = encoded;
  }
  return { fields };
}

/** undefined (and functions/symbols) have no Struct form and are left out, like JSON does. */
export function toValue(value: unknown): WireValue | undefined {
  switch (typeof value) {
    case 'number':
      return { numberValue: value };
    case 'bigint':
      return { numberValue: Number(value) };
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
    case 'object':
      if (value === null) return { nullValue: 'NULL_VALUE' };
      if (Array.isArray(value)) return { listValue: { values: value.map((item) => toValue(item) ?? { nullValue: 'NULL_VALUE' }) } };
      if (value instanceof Date) return { stringValue: value.toISOString() };
      return { structValue: toStruct(value as Record<string, unknown>) };
    default:
      return undefined;
  }
}

const VALUE_KINDS = ['numberValue', 'stringValue', 'boolValue', 'structValue', 'listValue'] as const;

export function fromStruct(struct: WireStruct | null | undefined): DeviceState {
  const state: DeviceState = {};
  for (const [key, value] of Object.entries(struct?.fields ?? {})) state[key] = fromValue(value);
  return state;
}

export function fromValue(value: WireValue): unknown {
  // Decoded values always name their kind (oneofs: true); hand-built ones may not.
  const kind = value.kind ?? VALUE_KINDS.find((name) => value[name] !== undefined);
  switch (kind) {
    case 'numberValue':
      return value.numberValue;
    case 'stringValue':
      return value.stringValue;
    case 'boolValue':
      return value.boolValue;
    case 'structValue':
      return fromStruct(value.structValue);
    case 'listValue':
      return (value.listValue?.values ?? []).map(fromValue);
    default:
      return null;
  }
}
