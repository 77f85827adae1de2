// ZCL data type ids (ZCL spec rev 8, table 2-10) and the facts about them the codec needs.

export const DataType = {
  noData: 0x00,
  data8: 0x08, data16: 0x09, data24: 0x0a, data32: 0x0b, data40: 0x0c, data48: 0x0d, data56: 0x0e, data64: 0x0f,
  bool: 0x10,
  bitmap8: 0x18, bitmap16: 0x19, bitmap24: 0x1a, bitmap32: 0x1b,
  bitmap40: 0x1c, bitmap48: 0x1d, bitmap56: 0x1e, bitmap64: 0x1f,
  uint8: 0x20, uint16: 0x21, uint24: 0x22, uint32: 0x23, uint40: 0x24, uint48: 0x25, uint56: 0x26, uint64: 0x27,
  int8: 0x28, int16: 0x29, int24: 0x2a, int32: 0x2b, int40: 0x2c, int48: 0x2d, int56: 0x2e, int64: 0x2f,
  enum8: 0x30, enum16: 0x31,
  semiFloat: 0x38, singleFloat: 0x39, doubleFloat: 0x3a,
  octetStr: 0x41, charStr: 0x42, longOctetStr: 0x43, longCharStr: 0x44,
  array: 0x48, struct: 0x4c, set: 0x50, bag: 0x51,
  timeOfDay: 0xe0, date: 0xe1, utc: 0xe2,
  clusterId: 0xe8, attrId: 0xe9, bacOid: 0xea,
  ieeeAddr: 0xf0, secKey: 0xf1,
  unknown: 0xff,
} as const;

export type DataTypeName = keyof typeof DataType;

const names = new Map<number, string>(Object.entries(DataType).map(([name, id]) => [id, name]));

export function dataTypeName(type: number): string {
  return names.get(type) ?? `0x${type.toString(16).padStart(2, '0')}`;
}

/** Integer-like types whose wire value is an unsigned little-endian number of `size` bytes. */
export function unsignedSize(type: number): number | undefined {
  if (type >= DataType.data8 && type <= DataType.data64) return type - DataType.data8 + 1;
  if (type >= DataType.bitmap8 && type <= DataType.bitmap64) return type - DataType.bitmap8 + 1;
  if (type >= DataType.uint8 && type <= DataType.uint64) return type - DataType.uint8 + 1;
  switch (type) {
    case DataType.enum8: return 1;
    case DataType.enum16: case DataType.clusterId: case DataType.attrId: return 2;
    case DataType.utc: case DataType.bacOid: return 4;
    default: return undefined;
  }
}

export function signedSize(type: number): number | undefined {
  return type >= DataType.int8 && type <= DataType.int64 ? type - DataType.int8 + 1 : undefined;
}

/**
 * Analog types carry a reportable change in configReport / readReportConfigRsp; discrete ones
 * do not (ZCL 2.6.1.3 "Analog and discrete data types").
 */
export function isAnalogDataType(type: number): boolean {
  return (type >= DataType.uint8 && type <= DataType.int64) ||
    (type >= DataType.semiFloat && type <= DataType.doubleFloat) ||
    (type >= DataType.timeOfDay && type <= DataType.utc);
}
