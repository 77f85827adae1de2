// Payloads of the ZCL foundation ("global") commands, ZCL spec 2.5.

import { ByteReader, ByteWriter } from './byte-reader.js';
import { isAnalogDataType } from './data-types.js';
import { ZclDecodeError, ZclEncodeError } from './errors.js';
import { Status } from './status.js';
import { readValue, writeValue, type ZclData } from './values.js';

export const FoundationId = {
  read: 0x00,
  readRsp: 0x01,
  write: 0x02,
  writeUndiv: 0x03,
  writeRsp: 0x04,
  writeNoRsp: 0x05,
  configReport: 0x06,
  configReportRsp: 0x07,
  readReportConfig: 0x08,
  readReportConfigRsp: 0x09,
  report: 0x0a,
  defaultRsp: 0x0b,
  discover: 0x0c,
  discoverRsp: 0x0d,
} as const;

export type FoundationName = keyof typeof FoundationId;

/** Reporting direction field: 0 = the receiver reports (the usual case), 1 = it expects reports. */
export const ReportDirection = { send: 0, receive: 1 } as const;

export interface ReadRspRecord { attrId: number; status: number; dataType?: number; value?: ZclData }
export interface AttributeRecord { attrId: number; dataType: number; value: ZclData }
export interface WriteRspRecord { status: number; attrId?: number }
export interface ReportingConfig {
  direction: number;
  attrId: number;
  /** direction 0 */
  dataType?: number;
  minInterval?: number;
  maxInterval?: number;
  /** direction 0, analog types only */
  reportableChange?: ZclData;
  /** direction 1 */
  timeout?: number;
}
export interface ConfigReportRspRecord { status: number; direction?: number; attrId?: number }
export interface ReadReportConfigRspRecord extends ReportingConfig { status: number }

export type FoundationPayload =
  | { command: 'read'; attrIds: number[] }
  | { command: 'readRsp'; records: ReadRspRecord[] }
  | { command: 'write' | 'writeUndiv' | 'writeNoRsp' | 'report'; records: AttributeRecord[] }
  | { command: 'writeRsp'; records: WriteRspRecord[] }
  | { command: 'configReport'; records: ReportingConfig[] }
  | { command: 'configReportRsp'; records: ConfigReportRspRecord[] }
  | { command: 'readReportConfig'; records: { direction: number; attrId: number }[] }
  | { command: 'readReportConfigRsp'; records: ReadReportConfigRspRecord[] }
  | { command: 'defaultRsp'; commandId: number; status: number }
  | { command: 'discover'; startAttrId: number; maxCount: number }
  | { command: 'discoverRsp'; complete: boolean; attributes: { attrId: number; dataType: number }[] };

const nameById = new Map<number, FoundationName>(
  Object.entries(FoundationId).map(([name, id]) => [id, name as FoundationName]),
);

export function foundationName(commandId: number): FoundationName | undefined {
  return nameById.get(commandId);
}

/** Decodes a foundation payload; unknown command ids and malformed payloads throw ZclDecodeError. */
export function decodeFoundation(commandId: number, payload: Buffer): FoundationPayload {
  const command = nameById.get(commandId);
  if (!command) throw new ZclDecodeError(`unknown foundation command 0x${commandId.toString(16)}`, 0);
  const r = new ByteReader(payload);
  const result = decodeBody(command, r);
  if (r.hasMore()) throw new ZclDecodeError(`${r.remaining} trailing byte(s) after ${command}`, r.offset);
  return result;
}

function decodeBody(command: FoundationName, r: ByteReader): FoundationPayload {
  switch (command) {
    case 'read':
      return { command, attrIds: records(r, command, () => r.u16('attribute id')) };
    case 'readRsp':
      return {
        command,
        records: records(r, command, () => {
          const attrId = r.u16('attribute id');
          const status = r.u8('status');
          if (status !== Status.SUCCESS) return { attrId, status };
          const dataType = r.u8('data type');
          return { attrId, status, dataType, value: readValue(r, dataType) };
        }),
      };
    case 'write':
    case 'writeUndiv':
    case 'writeNoRsp':
    case 'report':
      return {
        command,
        records: records(r, command, () => {
          const attrId = r.u16('attribute id');
          const dataType = r.u8('data type');
          return { attrId, dataType, value: readValue(r, dataType) };
        }),
      };
    case 'writeRsp':
      // A single SUCCESS byte means "all written"; otherwise one status + attrId per failure.
      return {
        command,
        records: records(r, command, () => {
          const status = r.u8('status');
          return status === Status.SUCCESS && !r.hasMore() ? { status } : { status, attrId: r.u16('attribute id') };
        }),
      };
    case 'configReport':
      return { command, records: records(r, command, () => readReportingConfig(r, { direction: r.u8('direction'), attrId: r.u16('attribute id') })) };
    case 'configReportRsp':
      return {
        command,
        records: records(r, command, () => {
          const status = r.u8('status');
          if (status === Status.SUCCESS && !r.hasMore()) return { status };
          return { status, direction: r.u8('direction'), attrId: r.u16('attribute id') };
        }),
      };
    case 'readReportConfig':
      return { command, records: records(r, command, () => ({ direction: r.u8('direction'), attrId: r.u16('attribute id') })) };
    case 'readReportConfigRsp':
      return {
        command,
        records: records(r, command, () => {
          const status = r.u8('status');
          const head = { status, direction: r.u8('direction'), attrId: r.u16('attribute id') };
          return status === Status.SUCCESS ? { ...readReportingConfig(r, head), status } : head;
        }),
      };
    case 'defaultRsp':
      return { command, commandId: r.u8('command id'), status: r.u8('status') };
    case 'discover':
      return { command, startAttrId: r.u16('start attribute id'), maxCount: r.u8('maximum attribute ids') };
    case 'discoverRsp': {
      const complete = r.u8('discovery complete') === 1;
      const attributes: { attrId: number; dataType: number }[] = [];
      while (r.hasMore()) attributes.push({ attrId: r.u16('attribute id'), dataType: r.u8('data type') });
      return { command, complete, attributes };
    }
  }
}

function readReportingConfig(r: ByteReader, head: { direction: number; attrId: number }): ReportingConfig {
  if (head.direction === ReportDirection.send) {
    const dataType = r.u8('data type');
    const config: ReportingConfig = { ...head, dataType, minInterval: r.u16('minimum interval'), maxInterval: r.u16('maximum interval') };
    if (isAnalogDataType(dataType)) config.reportableChange = readValue(r, dataType);
    return config;
  }
  if (head.direction === ReportDirection.receive) return { ...head, timeout: r.u16('timeout') };
  throw new ZclDecodeError(`reporting direction ${head.direction} is neither 0 nor 1`, r.offset - 3);
}

/** Reads records until the payload ends; a payload without any record is malformed. */
function records<T>(r: ByteReader, command: string, readOne: () => T): T[] {
  if (!r.hasMore()) throw new ZclDecodeError(`${command} without any record`, r.offset);
  const out: T[] = [];
  while (r.hasMore()) out.push(readOne());
  return out;
}

export function encodeFoundation(body: FoundationPayload): { commandId: number; payload: Buffer } {
  const w = new ByteWriter();
  switch (body.command) {
    case 'read':
      for (const id of body.attrIds) w.u16(id);
      break;
    case 'readRsp':
      for (const rec of body.records) {
        w.u16(rec.attrId).u8(rec.status);
        if (rec.status === Status.SUCCESS) {
          if (rec.dataType === undefined || rec.value === undefined) throw new ZclEncodeError(`readRsp record 0x${rec.attrId.toString(16)} needs dataType and value`);
          w.u8(rec.dataType);
          writeValue(w, rec.dataType, rec.value);
        }
      }
      break;
    case 'write':
    case 'writeUndiv':
    case 'writeNoRsp':
    case 'report':
      for (const rec of body.records) {
        w.u16(rec.attrId).u8(rec.dataType);
        writeValue(w, rec.dataType, rec.value);
      }
      break;
    case 'writeRsp': {
      const failures = body.records.filter((rec) => rec.status !== Status.SUCCESS);
      if (failures.length === 0) w.u8(Status.SUCCESS);
      for (const rec of failures) w.u8(rec.status).u16(rec.attrId ?? 0);
      break;
    }
    case 'configReport':
      for (const rec of body.records) writeReportingConfig(w, rec);
      break;
    case 'configReportRsp': {
      const failures = body.records.filter((rec) => rec.status !== Status.SUCCESS);
      if (failures.length === 0) w.u8(Status.SUCCESS);
      for (const rec of failures) w.u8(rec.status).u8(rec.direction ?? 0).u16(rec.attrId ?? 0);
      break;
    }
    case 'readReportConfig':
      for (const rec of body.records) w.u8(rec.direction).u16(rec.attrId);
      break;
    case 'readReportConfigRsp':
      for (const rec of body.records) {
        w.u8(rec.status);
        if (rec.status === Status.SUCCESS) writeReportingConfig(w, rec);
        else w.u8(rec.direction).u16(rec.attrId);
      }
      break;
    case 'defaultRsp':
      w.u8(body.commandId).u8(body.status);
      break;
    case 'discover':
      w.u16(body.startAttrId).u8(body.maxCount);
      break;
    case 'discoverRsp':
      w.u8(body.complete ? 1 : 0);
      for (const a of body.attributes) w.u16(a.attrId).u8(a.dataType);
      break;
  }
  return { commandId: FoundationId[body.command], payload: w.toBuffer() };
}

function writeReportingConfig(w: ByteWriter, rec: ReportingConfig): void {
  w.u8(rec.direction).u16(rec.attrId);
  if (rec.direction === ReportDirection.send) {
    if (rec.dataType === undefined) throw new ZclEncodeError('reporting config needs dataType');
    w.u8(rec.dataType).u16(rec.minInterval ?? 0).u16(rec.maxInterval ?? 0xffff);
    if (isAnalogDataType(rec.dataType)) writeValue(w, rec.dataType, rec.reportableChange ?? 0);
  } else {
    w.u16(rec.timeout ?? 0);
  }
}
