// UNPI framing as TI's ZNP firmware speaks it on the serial line:
//   SOF(0xFE) | LEN | CMD0 | CMD1 | DATA[LEN] | FCS
// CMD0 = (type << 5) | subsystem; FCS = XOR of LEN, CMD0, CMD1 and every data byte.

export const SOF = 0xfe;
/** Largest data field a Z-Stack MT frame carries. */
export const MAX_DATA_LENGTH = 250;

export enum MtType {
  POLL = 0,
  SREQ = 1,
  AREQ = 2,
  SRSP = 3,
}

export enum Subsystem {
  RPC_ERROR = 0,
  SYS = 1,
  MAC = 2,
  NWK = 3,
  AF = 4,
  ZDO = 5,
  SAPI = 6,
  UTIL = 7,
  DEBUG = 8,
  APP = 9,
  APP_CNF = 15,
  GREENPOWER = 21,
}

export interface MtFrame {
  type: MtType;
  subsystem: number;
  command: number;
  data: Buffer;
}

function checksum(buffer: Buffer, start: number, end: number): number {
  let fcs = 0;
  for (let i = start; i < end; i++) fcs ^= buffer[i];
  return fcs;
}

export function encodeFrame(frame: MtFrame): Buffer {
  if (frame.data.length > MAX_DATA_LENGTH) {
    throw new RangeError(`MT data too long: ${frame.data.length} > ${MAX_DATA_LENGTH}`);
  }
  const out = Buffer.alloc(frame.data.length + 5);
  out[0] = SOF;
  out[1] = frame.data.length;
  out[2] = ((frame.type & 0x07) << 5) | (frame.subsystem & 0x1f);
  out[3] = frame.command & 0xff;
  frame.data.copy(out, 4);
  out[out.length - 1] = checksum(out, 1, out.length - 1);
  return out;
}

export interface ParserStats {
  frames: number;
  badFcs: number;
  /** Bytes skipped while hunting for a start-of-frame (e.g. the 0xEF bootloader byte). */
  skippedBytes: number;
}

/**
 * Streaming UNPI parser: feed it TCP chunks in any split; it yields whole frames,
 * skips bytes outside frames, drops frames with a bad FCS (counting them) and
 * keeps an incomplete frame until the rest arrives.
 */
export class UnpiParser {
  private pending: Buffer = Buffer.alloc(0);
  readonly stats: ParserStats = { frames: 0, badFcs: 0, skippedBytes: 0 };

  push(chunk: Buffer): MtFrame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: MtFrame[] = [];
    let pos = 0;
    const buf = this.pending;
    while (pos < buf.length) {
      if (buf[pos] !== SOF) {
        pos++;
        this.stats.skippedBytes++;
        continue;
      }
      if (buf.length - pos < 2) break;
      const length = buf[pos + 1];
      if (length > MAX_DATA_LENGTH) {
        // Not a real header: a stray 0xFE. Resynchronise on the next byte.
        pos++;
        this.stats.skippedBytes++;
        continue;
      }
      const total = length + 5;
      if (buf.length - pos < total) break; // wait for the rest
      const fcs = checksum(buf, pos + 1, pos + total - 1);
      if (fcs !== buf[pos + total - 1]) {
        // Drop only the SOF so that a good frame hidden inside the bad one is still found.
        this.stats.badFcs++;
        pos++;
        continue;
      }
      const cmd0 = buf[pos + 2];
      frames.push({
        type: (cmd0 >> 5) as MtType,
        subsystem: cmd0 & 0x1f,
        command: buf[pos + 3],
        data: Buffer.from(buf.subarray(pos + 4, pos + 4 + length)),
      });
      this.stats.frames++;
      pos += total;
    }
    this.pending = pos >= buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(pos));
    return frames;
  }

  /** Forget a partial frame, e.g. when the link is replaced by a new connection. */
  reset(): void {
    this.pending = Buffer.alloc(0);
  }
}

export function describeFrame(frame: MtFrame): string {
  const type = MtType[frame.type] ?? String(frame.type);
  const subsystem = Subsystem[frame.subsystem] ?? String(frame.subsystem);
  return `${type} ${subsystem} 0x${frame.command.toString(16).padStart(2, '0')} [${frame.data.toString('hex')}]`;
}
