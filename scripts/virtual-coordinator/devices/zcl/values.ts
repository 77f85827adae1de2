// Encoding and decoding of one ZCL value of a given data type.
//
// Value shapes: integers of up to 6 bytes are numbers, 7-8 byte integers are bigints (numbers are
// accepted when encoding); bool is a boolean; floats are numbers; char strings are strings;
// octet strings and security keys are Buffers; IEEE addresses are "0x" + 16 hex digits;
// time of day / date are 4-number arrays as on the wire; arrays/sets/bags and structs use the
// explicit shapes below (a plain number[] encodes as an array of uint8).

import type { ZclValue } from '../definition.js';
import { ByteReader, ByteWriter } from './byte-reader.js';
import { DataType, dataTypeName, signedSize, unsignedSize } from './data-types.js';
import { ZclDecodeError, ZclEncodeError } from './errors.js';

export interface ZclArrayValue {
  elementType: number;
  elements: ZclData[];
}

export interface ZclStructValue {
  members: { type: number; value: ZclData }[];
}

export type ZclData = ZclValue | ZclArrayValue | ZclStructValue;

export function isArrayValue(value: unknown): value is ZclArrayValue {
  return typeof value === 'object' && value !== null && 'elementType' in value && 'elements' in value;
}

export function isStructValue(value: unknown): value is ZclStructValue {
  return typeof value === 'object' && value !== null && 'members' in value;
}

export function readValue(reader: ByteReader, type: number): ZclData {
  const what = dataTypeName(type);
  const unsigned = unsignedSize(type);
  if (unsigned !== undefined) return unsigned <= 6 ? reader.uint(unsigned, what) : reader.bigUint(unsigned, what);
  const signed = signedSize(type);
  if (signed !== undefined) return signed <= 6 ? reader.int(signed, what) : reader.bigInt(signed, what);

  switch (type) {
    case DataType.noData:
    case DataType.unknown:
      return 0;
    case DataType.bool: {
      const at = reader.offset;
      const raw = reader.u8(what);
      if (raw === 0xff) return 0xff; // "invalid" marker, kept as a number
      if (raw > 1) throw new ZclDecodeError(`bool value 0x${raw.toString(16)} is neither 0 nor 1`, at);
      return raw === 1;
    }
    case DataType.semiFloat:
      return halfToNumber(reader.u16(what));
    case DataType.singleFloat:
      return reader.floatLE(what);
    case DataType.doubleFloat:
      return reader.doubleLE(what);
    case DataType.octetStr:
    case DataType.charStr: {
      const length = reader.u8(`${what} length`);
      if (length === 0xff) return type === DataType.charStr ? '' : Buffer.alloc(0); // invalid string
      const bytes = reader.bytes(length, what);
      return type === DataType.charStr ? textOrBytes(bytes) : bytes;
    }
    case DataType.longOctetStr:
    case DataType.longCharStr: {
      const length = reader.u16(`${what} length`);
      if (length === 0xffff) return type === DataType.longCharStr ? '' : Buffer.alloc(0);
      const bytes = reader.bytes(length, what);
      return type === DataType.longCharStr ? textOrBytes(bytes) : bytes;
    }
    case DataType.array:
    case DataType.set:
    case DataType.bag: {
      const elementType = reader.u8(`${what} element type`);
      const count = reader.u16(`${what} element count`);
      const elements: ZclData[] = [];
      if (count !== 0xffff) for (let i = 0; i < count; i++) elements.push(readValue(reader, elementType));
      return { elementType, elements };
    }
    case DataType.struct: {
      const count = reader.u16('struct member count');
      const members: ZclStructValue['members'] = [];
      if (count !== 0xffff) {
        for (let i = 0; i < count; i++) {
          const memberType = reader.u8('struct member type');
          members.push({ type: memberType, value: readValue(reader, memberType) });
        }
      }
      return { members };
    }
    case DataType.timeOfDay:
    case DataType.date:
      return [...reader.bytes(4, what)];
    case DataType.ieeeAddr: {
      const bytes = reader.bytes(8, what);
      return `0x${Buffer.from(bytes).reverse().toString('hex')}`;
    }
    case DataType.secKey:
      return reader.bytes(16, what);
    default:
      throw new ZclDecodeError(`unsupported data type 0x${type.toString(16).padStart(2, '0')}`, reader.offset);
  }
}

export function writeValue(writer: ByteWriter, type: number, value: ZclData): void {
  const what = dataTypeName(type);
  const unsigned = unsignedSize(type);
  if (unsigned !== undefined) {
    writeInteger(writer, unsigned, value, what, false);
    return;
  }
  const signed = signedSize(type);
  if (signed !== undefined) {
    writeInteger(writer, signed, value, what, true);
    return;
  }
  switch (type) {
    case DataType.noData:
    case DataType.unknown:
      return;
    case DataType.bool:
      if (typeof value === 'boolean') writer.u8(value ? 1 : 0);
      else writer.u8(toNumber(value, what));
      return;
    case DataType.semiFloat:
      writer.u16(numberToHalf(toNumber(value, what)));
      return;
    case DataType.singleFloat:
      writer.floatLE(toNumber(value, what));
      return;
    case DataType.doubleFloat:
      writer.doubleLE(toNumber(value, what));
      return;
    case DataType.octetStr:
    case DataType.charStr:
    case DataType.longOctetStr:
    case DataType.longCharStr: {
      const bytes = toBytes(value, what);
      const long = type === DataType.longOctetStr || type === DataType.longCharStr;
      const max = long ? 0xfffe : 0xfe;
      if (bytes.length > max) throw new ZclEncodeError(`${what} of ${bytes.length} bytes exceeds ${max}`);
      if (long) writer.u16(bytes.length);
      else writer.u8(bytes.length);
      writer.push(bytes);
      return;
    }
    case DataType.array:
    case DataType.set:
    case DataType.bag: {
      const array = isArrayValue(value)
        ? value
        : Array.isArray(value) ? { elementType: DataType.uint8, elements: value } : undefined;
      if (!array) throw new ZclEncodeError(`${what} needs {elementType, elements} or number[]`);
      writer.u8(array.elementType).u16(array.elements.length);
      for (const element of array.elements) writeValue(writer, array.elementType, element);
      return;
    }
    case DataType.struct: {
      if (!isStructValue(value)) throw new ZclEncodeError('struct needs {members}');
      writer.u16(value.members.length);
      for (const member of value.members) {
        writer.u8(member.type);
        writeValue(writer, member.type, member.value);
      }
      return;
    }
    case DataType.timeOfDay:
    case DataType.date: {
      const bytes = toBytes(value, what);
      if (bytes.length !== 4) throw new ZclEncodeError(`${what} needs 4 bytes`);
      writer.push(bytes);
      return;
    }
    case DataType.ieeeAddr: {
      if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{16}$/.test(value)) {
        throw new ZclEncodeError(`IEEE address must be "0x" + 16 hex digits, got ${String(value)}`);
      }
      writer.push(Buffer.from(value.slice(2), 'hex').reverse());
      return;
    }
    case DataType.secKey: {
      const bytes = toBytes(value, what);
      if (bytes.length !== 16) throw new ZclEncodeError('security key needs 16 bytes');
      writer.push(bytes);
      return;
    }
    default:
      throw new ZclEncodeError(`unsupported data type 0x${type.toString(16).padStart(2, '0')}`);
  }
}

/** Convenience: the bytes of one value. */
export function encodeValue(type: number, value: ZclData): Buffer {
  const writer = new ByteWriter();
  writeValue(writer, type, value);
  return writer.toBuffer();
}

/** Convenience: one value from bytes that must contain exactly that value. */
export function decodeValue(type: number, bytes: Buffer): ZclData {
  const reader = new ByteReader(bytes);
  const value = readValue(reader, type);
  if (reader.hasMore()) throw new ZclDecodeError(`${reader.remaining} trailing byte(s) after ${dataTypeName(type)}`, reader.offset);
  return value;
}

function writeInteger(writer: ByteWriter, bytes: number, value: ZclData, what: string, signed: boolean): void {
  let big: bigint;
  if (typeof value === 'bigint') big = value;
  else if (typeof value === 'boolean') big = value ? 1n : 0n;
  else big = BigInt(Math.round(toNumber(value, what)));
  const bits = BigInt(bytes * 8);
  const min = signed ? -(1n << (bits - 1n)) : 0n;
  const max = signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  if (big < min || big > max) throw new ZclEncodeError(`${String(value)} does not fit ${what}`);
  writer.bigUint(big, bytes);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Character strings are UTF-8 text, except where a device abuses them for binary (Xiaomi's
 * 0xFF01 struct): those come back as the raw Buffer so nothing is lost.
 */
function textOrBytes(bytes: Buffer): string | Buffer {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return bytes;
  }
}

function toNumber(value: ZclData, what: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new ZclEncodeError(`${what} needs a number, got ${typeof value}`);
}

function toBytes(value: ZclData, what: string): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (Array.isArray(value)) return Buffer.from(value);
  throw new ZclEncodeError(`${what} needs a string, Buffer or byte array`);
}

// IEEE 754 binary16, used by ZCL "semi-precision".
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function numberToHalf(value: number): number {
  const f32 = new DataView(new ArrayBuffer(4));
  f32.setFloat32(0, value);
  const x = f32.getUint32(0);
  const sign = (x >>> 16) & 0x8000;
  const exponent = ((x >>> 23) & 0xff) - 127 + 15;
  const mantissa = x & 0x7fffff;
  if (Number.isNaN(value)) return 0x7e00;
  if (exponent >= 0x1f) return sign | 0x7c00; // overflow -> infinity
  if (exponent <= 0) {
    if (exponent < -10) return sign; // underflow -> zero
    const m = (mantissa | 0x800000) >> (1 - exponent);
    return sign | ((m + 0x1000) >> 13); // rounding may carry into the exponent: still correct
  }
  // + (not |) so a rounding carry out of the mantissa bumps the exponent
  return sign | Math.min((exponent << 10) + ((mantissa + 0x1000) >> 13), 0x7c00);
}
