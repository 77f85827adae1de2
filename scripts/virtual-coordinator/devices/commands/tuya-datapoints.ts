// Tuya's datapoint frames on cluster 0xEF00 (Tuya Zigbee "MCU serial protocol" as carried over
// ZCL): after a 2-byte sequence number, datapoints of (dp id u8, type u8, length u16 big-endian,
// value big-endian). The MCU keeps its datapoints as attributes of 0xEF00 (attribute id = dp
// id); the ZCL type of each says which Tuya type it is on the air.

import { ByteWriter, type ByteReader } from '../zcl/byte-reader.js';
import { DataType as T } from '../zcl/data-types.js';
import type { ZclValue } from '../definition.js';

export const TUYA = 0xef00;
export const TuyaCommand = { dataRequest: 0x00, dataResponse: 0x01, dataReport: 0x02, dataQuery: 0x03, sendData: 0x04 } as const;

const TuyaType = { raw: 0x00, bool: 0x01, value: 0x02, string: 0x03, enum: 0x04, bitmap: 0x05 } as const;

export interface Datapoint {
  dp: number;
  /** Tuya data type (0 raw, 1 bool, 2 value, 3 string, 4 enum, 5 bitmap). */
  type: number;
  data: Buffer;
}

/** The Tuya type a datapoint stored with this ZCL type has on the air. */
export function tuyaTypeOf(zclType: number): number {
  switch (zclType) {
    case T.bool: return TuyaType.bool;
    case T.uint32: case T.int32: return TuyaType.value;
    case T.enum8: return TuyaType.enum;
    case T.charStr: return TuyaType.string;
    case T.bitmap8: case T.bitmap16: case T.bitmap32: return TuyaType.bitmap;
    default: return TuyaType.raw;
  }
}

export function encodeDatapointValue(zclType: number, value: ZclValue): Buffer {
  switch (tuyaTypeOf(zclType)) {
    case TuyaType.bool: return Buffer.from([value ? 1 : 0]);
    case TuyaType.enum: return Buffer.from([Number(value) & 0xff]);
    case TuyaType.value: {
      const data = Buffer.alloc(4);
      data.writeInt32BE(Number(value));
      return data;
    }
    case TuyaType.bitmap: {
      const size = zclType === T.bitmap8 ? 1 : zclType === T.bitmap16 ? 2 : 4;
      const data = Buffer.alloc(size);
      data.writeUIntBE(Number(value), 0, size);
      return data;
    }
    case TuyaType.string: return Buffer.from(String(value), 'utf8');
    default: return Buffer.isBuffer(value) ? value : Buffer.alloc(0);
  }
}

export function decodeDatapointValue(zclType: number, data: Buffer): ZclValue | undefined {
  switch (tuyaTypeOf(zclType)) {
    case TuyaType.bool: return data.length === 1 ? data[0] !== 0 : undefined;
    case TuyaType.enum: return data.length === 1 ? data[0]! : undefined;
    case TuyaType.value: return data.length === 4 ? (zclType === T.uint32 ? data.readUInt32BE() : data.readInt32BE()) : undefined;
    case TuyaType.bitmap: return data.length >= 1 && data.length <= 4 ? data.readUIntBE(0, data.length) : undefined;
    case TuyaType.string: return data.toString('utf8');
    default: return Buffer.from(data);
  }
}

/** Reads (seq, datapoints) from a dataRequest/sendData payload. */
export function readDatapoints(payload: ByteReader): { seq: number; datapoints: Datapoint[] } {
  const seq = payload.u16('tuya sequence number');
  const datapoints: Datapoint[] = [];
  while (payload.hasMore()) {
    const dp = payload.u8('datapoint id');
    const type = payload.u8('datapoint type');
    const length = (payload.u8('datapoint length (high)') << 8) | payload.u8('datapoint length (low)');
    datapoints.push({ dp, type, data: payload.bytes(length, 'datapoint value') });
  }
  return { seq, datapoints };
}

export function writeDatapoints(seq: number, datapoints: Datapoint[]): Buffer {
  const writer = new ByteWriter().u16(seq);
  for (const { dp, type, data } of datapoints) {
    writer.u8(dp).u8(type).u8(data.length >> 8).u8(data.length & 0xff).push(data);
  }
  return writer.toBuffer();
}
