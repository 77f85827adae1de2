// Quirk "xiaomi-ff01": Aqara/Xiaomi devices report a genBasic attribute 0xFF01 (char string)
// holding a TLV struct of battery voltage, temperature, counters and sensor values, in a
// manufacturer-specific frame with LUMI's code 0x115F. zigbee-herdsman parses it specially
// (attribute 0xFF01 + type char string) and the converters turn tag 0x01 into voltage/battery.

import type { XiaomiStructField, ZclValue } from './definition.js';
import { DataType } from './zcl/data-types.js';
import { encodeXiaomiStruct } from './zcl/xiaomi-struct.js';

export const XIAOMI_FF01_QUIRK = 'xiaomi-ff01';
export const XIAOMI_STRUCT_ATTRIBUTE = 0xff01;
export const XIAOMI_STRUCT_TYPE = DataType.charStr;
/** Manufacturer code LUMI puts in its manufacturer-specific ZCL frames. */
export const LUMI_MANUFACTURER_CODE = 0x115f;

export type AttributeReader = (endpoint: number, cluster: number, attribute: number) => ZclValue | undefined;

/** The struct bytes for the current state; fields whose source attribute is missing are left out. */
export function buildXiaomiStruct(
  fields: XiaomiStructField[],
  read: AttributeReader,
  overrides: ReadonlyMap<number, ZclValue>,
): Buffer {
  const entries = [];
  for (const field of fields) {
    const value = overrides.get(field.tag) ?? (field.from ? mirrored(field, read) : field.value);
    if (value !== undefined) entries.push({ tag: field.tag, type: field.type, value });
  }
  return encodeXiaomiStruct(entries);
}

function mirrored(field: XiaomiStructField, read: AttributeReader): ZclValue | undefined {
  const value = read(field.from!.endpoint, field.from!.cluster, field.from!.attribute);
  if (value === undefined || field.scale === undefined) return value;
  return Number(value) * field.scale;
}
