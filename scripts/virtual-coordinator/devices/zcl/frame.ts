// ZCL frame header (ZCL spec 2.4.1): frame control, optional manufacturer code, TSN, command id.

import { ByteReader, ByteWriter } from './byte-reader.js';
import { ZclDecodeError, ZclEncodeError } from './errors.js';

const FRAME_TYPE_MASK = 0x03;
const MANUFACTURER_SPECIFIC = 0x04;
const SERVER_TO_CLIENT = 0x08;
const DISABLE_DEFAULT_RESPONSE = 0x10;

export type FrameType = 'global' | 'specific';
export type Direction = 'clientToServer' | 'serverToClient';

export interface ZclHeader {
  /** 'global' = foundation command (read, report, ...), 'specific' = cluster command (on, off, ...). */
  frameType: FrameType;
  /** Present when the frame is manufacturer specific. */
  manufacturerCode?: number;
  direction: Direction;
  disableDefaultResponse: boolean;
  tsn: number;
  commandId: number;
}

export interface ZclMessage {
  header: ZclHeader;
  /** The command payload after the header. */
  payload: Buffer;
}

export function decodeFrame(data: Buffer): ZclMessage {
  const reader = new ByteReader(data);
  const control = reader.u8('frame control');
  const type = control & FRAME_TYPE_MASK;
  if (type > 1) throw new ZclDecodeError(`reserved frame type ${type}`, 0);
  const header: ZclHeader = {
    frameType: type === 0 ? 'global' : 'specific',
    direction: control & SERVER_TO_CLIENT ? 'serverToClient' : 'clientToServer',
    disableDefaultResponse: (control & DISABLE_DEFAULT_RESPONSE) !== 0,
    tsn: 0,
    commandId: 0,
  };
  if (control & MANUFACTURER_SPECIFIC) header.manufacturerCode = reader.u16('manufacturer code');
  header.tsn = reader.u8('transaction sequence number');
  header.commandId = reader.u8('command id');
  return { header, payload: reader.rest() };
}

export function encodeFrame(header: ZclHeader, payload: Buffer = Buffer.alloc(0)): Buffer {
  checkByte(header.tsn, 'TSN');
  checkByte(header.commandId, 'command id');
  let control = header.frameType === 'global' ? 0 : 1;
  if (header.manufacturerCode !== undefined) control |= MANUFACTURER_SPECIFIC;
  if (header.direction === 'serverToClient') control |= SERVER_TO_CLIENT;
  if (header.disableDefaultResponse) control |= DISABLE_DEFAULT_RESPONSE;
  const writer = new ByteWriter().u8(control);
  if (header.manufacturerCode !== undefined) {
    if (!Number.isInteger(header.manufacturerCode) || header.manufacturerCode < 0 || header.manufacturerCode > 0xffff) {
      throw new ZclEncodeError(`manufacturer code ${header.manufacturerCode} is not a uint16`);
    }
    writer.u16(header.manufacturerCode);
  }
  return writer.u8(header.tsn).u8(header.commandId).push(payload).toBuffer();
}

function checkByte(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new ZclEncodeError(`${what} ${value} is not a uint8`);
}
