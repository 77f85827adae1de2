// Little-endian readers/writers for MT payloads. IEEE addresses travel LSB first on
// the wire; in code they are "0x" + 16 lower-case hex digits, most significant first.

export type IeeeAddress = string;

export function ieeeToBytes(ieee: IeeeAddress): Buffer {
  const hex = ieee.toLowerCase().replace(/^0x/, '');
  if (!/^[0-9a-f]{16}$/.test(hex)) throw new Error(`invalid IEEE address '${ieee}'`);
  return Buffer.from(hex, 'hex').reverse();
}

export function ieeeFromBytes(bytes: Buffer): IeeeAddress {
  return `0x${Buffer.from(bytes).reverse().toString('hex')}`;
}

export function normalizeIeee(ieee: string): IeeeAddress {
  return ieeeFromBytes(ieeeToBytes(ieee));
}

/** Thrown when a request is shorter than its fields; the firmware answers it with a failure. */
export class ShortPayloadError extends Error {}

export class ByteReader {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}

  private need(n: number): void {
    if (this.offset + n > this.buffer.length) {
      throw new ShortPayloadError(`payload too short: need ${this.offset + n} bytes, have ${this.buffer.length}`);
    }
  }

  u8(): number {
    this.need(1);
    return this.buffer.readUInt8(this.offset++);
  }

  u16(): number {
    this.need(2);
    const v = this.buffer.readUInt16LE(this.offset);
    this.offset += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.buffer.readUInt32LE(this.offset);
    this.offset += 4;
    return v;
  }

  ieee(): IeeeAddress {
    return ieeeFromBytes(this.bytes(8));
  }

  bytes(n: number): Buffer {
    this.need(n);
    const v = Buffer.from(this.buffer.subarray(this.offset, this.offset + n));
    this.offset += n;
    return v;
  }

  rest(): Buffer {
    return this.bytes(this.buffer.length - this.offset);
  }

  get remaining(): number {
    return this.buffer.length - this.offset;
  }
}

export class ByteWriter {
  private readonly parts: number[] = [];

  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }

  u16(v: number): this {
    this.parts.push(v & 0xff, (v >> 8) & 0xff);
    return this;
  }

  u32(v: number): this {
    this.parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
    return this;
  }

  ieee(v: IeeeAddress): this {
    return this.bytes(ieeeToBytes(v));
  }

  bytes(v: Buffer | number[]): this {
    for (const b of v) this.parts.push(b & 0xff);
    return this;
  }

  done(): Buffer {
    return Buffer.from(this.parts);
  }
}
