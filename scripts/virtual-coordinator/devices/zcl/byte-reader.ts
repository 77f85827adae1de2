// Little-endian reader that checks every read against the end of the buffer, so a truncated
// frame becomes a ZclDecodeError that says what was being read, never a RangeError.

import { ZclDecodeError } from './errors.js';

export class ByteReader {
  private position = 0;

  constructor(private readonly buffer: Buffer) {}

  get offset(): number {
    return this.position;
  }

  get remaining(): number {
    return this.buffer.length - this.position;
  }

  hasMore(): boolean {
    return this.position < this.buffer.length;
  }

  private need(count: number, what: string): number {
    if (this.remaining < count) {
      throw new ZclDecodeError(`truncated ${what}: need ${count} byte(s), have ${this.remaining}`, this.position);
    }
    const at = this.position;
    this.position += count;
    return at;
  }

  u8(what = 'uint8'): number {
    return this.buffer.readUInt8(this.need(1, what));
  }

  u16(what = 'uint16'): number {
    return this.buffer.readUInt16LE(this.need(2, what));
  }

  /** Unsigned integer of 1..6 bytes as a number. */
  uint(bytes: number, what: string): number {
    return this.buffer.readUIntLE(this.need(bytes, what), bytes);
  }

  /** Signed integer of 1..6 bytes as a number. */
  int(bytes: number, what: string): number {
    return this.buffer.readIntLE(this.need(bytes, what), bytes);
  }

  /** Unsigned integer of 7..8 bytes as a bigint. */
  bigUint(bytes: number, what: string): bigint {
    const at = this.need(bytes, what);
    let value = 0n;
    for (let i = bytes - 1; i >= 0; i--) value = (value << 8n) | BigInt(this.buffer[at + i]!);
    return value;
  }

  /** Signed integer of 7..8 bytes as a bigint. */
  bigInt(bytes: number, what: string): bigint {
    return BigInt.asIntN(bytes * 8, this.bigUint(bytes, what));
  }

  floatLE(what: string): number {
    return this.buffer.readFloatLE(this.need(4, what));
  }

  doubleLE(what: string): number {
    return this.buffer.readDoubleLE(this.need(8, what));
  }

  bytes(count: number, what: string): Buffer {
    const at = this.need(count, what);
    return Buffer.from(this.buffer.subarray(at, at + count));
  }

  rest(): Buffer {
    return this.bytes(this.remaining, 'rest');
  }
}

/** Growable little-endian writer. */
export class ByteWriter {
  private readonly chunks: Buffer[] = [];

  u8(value: number): this {
    const b = Buffer.alloc(1);
    b.writeUInt8(value);
    return this.push(b);
  }

  u16(value: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(value);
    return this.push(b);
  }

  uint(value: number, bytes: number): this {
    const b = Buffer.alloc(bytes);
    b.writeUIntLE(value, 0, bytes);
    return this.push(b);
  }

  int(value: number, bytes: number): this {
    const b = Buffer.alloc(bytes);
    b.writeIntLE(value, 0, bytes);
    return this.push(b);
  }

  bigUint(value: bigint, bytes: number): this {
    const b = Buffer.alloc(bytes);
    let v = BigInt.asUintN(bytes * 8, value);
    for (let i = 0; i < bytes; i++) {
      b[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    return this.push(b);
  }

  floatLE(value: number): this {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    return this.push(b);
  }

  doubleLE(value: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(value);
    return this.push(b);
  }

  push(bytes: Buffer): this {
    this.chunks.push(bytes);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
