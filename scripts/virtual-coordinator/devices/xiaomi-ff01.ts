// Quirk "xiaomi-ff01": Aqara/Xiaomi devices report a genBasic attribute 0xFF01 (char string)
// holding a TLV struct of battery voltage, temperature, counters and sensor values, in a
// manufacturer-specific frame with LUMI's code 0x115F. zigbee-herdsman parses it specially
// (attribute 0xFF01 + type char string) and the converters turn tag 0x01 into voltage/battery.

import type { XiaomiStructField, ZclValue } from './definition.js';
import { DataType, dataTypeName, signedSize, unsignedSize } from './zcl/data-types.js';
import { encodeValue } from './zcl/values.js';
import { encodeXiaomiStruct } from './zcl/xiaomi-struct.js';

export const XIAOMI_FF01_QUIRK = 'xiaomi-ff01';
export const XIAOMI_STRUCT_ATTRIBUTE = 0xff01;
export const XIAOMI_STRUCT_TYPE = DataType.charStr;
/** Manufacturer code LUMI puts in its manufacturer-specific ZCL frames. */
export const LUMI_MANUFACTURER_CODE = 0x115f;

export type AttributeReader = (endpoint: number, cluster: number, attribute: number) => ZclValue | undefined;

/**
 * The struct bytes for the current state; fields whose source attribute is missing are left out.
 * Never throws for a mirrored value: the struct is sent from a heartbeat timer, where a throw
 * would end the emulator. A mirrored number that does not fit an integer field is clamped to the
 * field's range (a device's firmware casting a reading does no better); NaN in an integer field,
 * or any other value the field's type cannot hold, leaves that field out.
 */
export function buildXiaomiStruct(
  fields: XiaomiStructField[],
  read: AttributeReader,
  overrides: ReadonlyMap<number, ZclValue>,
): Buffer {
  const entries = [];
  for (const field of fields) {
    const override = overrides.get(field.tag);
    const value = override ?? (field.from ? clampToType(field.type, mirrored(field, read)) : field.value);
    if (value === undefined || !encodes(field.type, value)) continue;
    entries.push({ tag: field.tag, type: field.type, value });
  }
  return encodeXiaomiStruct(entries);
}

/** Throws, naming the tag and type, unless `value` can be sent in this field as it is. */
export function checkStructValue(field: XiaomiStructField, value: ZclValue): void {
  try {
    encodeValue(field.type, value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Xiaomi struct tag 0x${field.tag.toString(16)} (${dataTypeName(field.type)}): ${reason}`, { cause: error });
  }
}

function mirrored(field: XiaomiStructField, read: AttributeReader): ZclValue | undefined {
  const value = read(field.from!.endpoint, field.from!.cluster, field.from!.attribute);
  if (value === undefined || field.scale === undefined) return value;
  return Number(value) * field.scale;
}

/** Saturates a number to an integer type's range; NaN becomes undefined; other types pass. */
function clampToType(type: number, value: ZclValue | undefined): ZclValue | undefined {
  const signed = signedSize(type);
  const bytes = unsignedSize(type) ?? signed;
  if (bytes === undefined || (typeof value !== 'number' && typeof value !== 'bigint')) return value;
  if (typeof value === 'number' && Number.isNaN(value)) return undefined;
  const bits = BigInt(bytes * 8);
  const min = signed !== undefined ? -(1n << (bits - 1n)) : 0n;
  const max = signed !== undefined ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  const big = typeof value === 'bigint' ? value : value === Infinity ? max : value === -Infinity ? min : BigInt(Math.round(value));
  const clamped = big < min ? min : big > max ? max : big;
  return typeof value === 'bigint' ? clamped : Number(clamped);
}

function encodes(type: number, value: ZclValue): boolean {
  try {
    encodeValue(type, value);
    return true;
  } catch {
    return false;
  }
}
