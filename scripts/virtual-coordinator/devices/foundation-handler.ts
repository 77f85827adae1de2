// How a simulated device answers foundation commands from the coordinator: read, write,
// configure/read reporting, discover. Pure decisions over the attribute store; sending is the
// caller's job.

import type { AttributeStore } from './attribute-store.js';
import type { ReportingEngine } from './reporting.js';
import { REPORTING_OFF } from './reporting.js';
import { isAnalogDataType } from './zcl/data-types.js';
import {
  ReportDirection,
  type AttributeRecord,
  type ConfigReportRspRecord,
  type FoundationPayload,
  type ReadReportConfigRspRecord,
  type ReadRspRecord,
  type ReportingConfig,
  type WriteRspRecord,
} from './zcl/foundation.js';
import { Status } from './zcl/status.js';
import type { ZclValue } from './definition.js';

export interface FoundationContext {
  endpoint: number;
  cluster: number;
  store: AttributeStore;
  reporting: ReportingEngine;
  /** Attributes the coordinator changed by writing. */
  written(attrIds: number[]): void;
}

export type FoundationOutcome =
  | { kind: 'response'; body: FoundationPayload }
  /** No specific response: a default response with this status (if one is due). */
  | { kind: 'status'; status: number };

export function handleFoundation(body: FoundationPayload, ctx: FoundationContext): FoundationOutcome {
  switch (body.command) {
    case 'read':
      return { kind: 'response', body: { command: 'readRsp', records: body.attrIds.map((id) => readOne(ctx, id)) } };
    case 'write':
    case 'writeUndiv':
    case 'writeNoRsp': {
      const records = write(ctx, body.records, body.command === 'writeUndiv');
      if (body.command === 'writeNoRsp') return { kind: 'status', status: Status.SUCCESS };
      return { kind: 'response', body: { command: 'writeRsp', records } };
    }
    case 'configReport':
      return { kind: 'response', body: { command: 'configReportRsp', records: body.records.map((r) => configure(ctx, r)) } };
    case 'readReportConfig':
      return {
        kind: 'response',
        body: { command: 'readReportConfigRsp', records: body.records.map((r) => readConfig(ctx, r.direction, r.attrId)) },
      };
    case 'discover': {
      const ids = ctx.store.ids(ctx.endpoint, ctx.cluster).filter((id) => id >= body.startAttrId);
      const page = ids.slice(0, body.maxCount);
      return {
        kind: 'response',
        body: {
          command: 'discoverRsp',
          complete: page.length === ids.length,
          attributes: page.map((attrId) => ({ attrId, dataType: ctx.store.get(ctx.endpoint, ctx.cluster, attrId)!.type })),
        },
      };
    }
    default:
      // Responses and reports arriving at a server: nothing to act on. (The device layer
      // never answers these with a default response.)
      return { kind: 'status', status: Status.SUCCESS };
  }
}

function readOne(ctx: FoundationContext, attrId: number): ReadRspRecord {
  const attribute = ctx.store.get(ctx.endpoint, ctx.cluster, attrId);
  if (!attribute) return { attrId, status: Status.UNSUPPORTED_ATTRIBUTE };
  return { attrId, status: Status.SUCCESS, dataType: attribute.type, value: attribute.value };
}

function writeStatus(ctx: FoundationContext, record: AttributeRecord): number {
  const attribute = ctx.store.get(ctx.endpoint, ctx.cluster, record.attrId);
  if (!attribute) return Status.UNSUPPORTED_ATTRIBUTE;
  if (!attribute.writable) return Status.READ_ONLY;
  if (attribute.type !== record.dataType) return Status.INVALID_DATA_TYPE;
  if (!isStorable(record.value)) return Status.INVALID_VALUE;
  return Status.SUCCESS;
}

function write(ctx: FoundationContext, records: AttributeRecord[], undivided: boolean): WriteRspRecord[] {
  const statuses = records.map((record) => ({ status: writeStatus(ctx, record), attrId: record.attrId }));
  // Undivided: all or nothing (ZCL 2.5.4); the failures are still reported individually.
  if (undivided && statuses.some((s) => s.status !== Status.SUCCESS)) return statuses;
  const changed: number[] = [];
  records.forEach((record, i) => {
    if (statuses[i]!.status !== Status.SUCCESS) return;
    if (ctx.store.set(ctx.endpoint, ctx.cluster, record.attrId, record.value as ZclValue)) changed.push(record.attrId);
  });
  if (changed.length > 0) ctx.written(changed);
  return statuses;
}

function configure(ctx: FoundationContext, record: ReportingConfig): ConfigReportRspRecord {
  const reply = (status: number): ConfigReportRspRecord => ({ status, direction: record.direction, attrId: record.attrId });
  // Direction 1 (we would receive reports about a client attribute): accepted, nothing to do.
  if (record.direction === ReportDirection.receive) return reply(Status.SUCCESS);
  const attribute = ctx.store.get(ctx.endpoint, ctx.cluster, record.attrId);
  if (!attribute) return reply(Status.UNSUPPORTED_ATTRIBUTE);
  if (record.dataType !== attribute.type) return reply(Status.INVALID_DATA_TYPE);
  const minInterval = record.minInterval ?? 0;
  const maxInterval = record.maxInterval ?? REPORTING_OFF;
  if (maxInterval !== REPORTING_OFF && maxInterval !== 0 && maxInterval < minInterval) return reply(Status.INVALID_VALUE);
  const settings = isAnalogDataType(attribute.type) && record.reportableChange !== undefined
    ? { minInterval, maxInterval, reportableChange: record.reportableChange }
    : { minInterval, maxInterval };
  ctx.reporting.configure(ctx.endpoint, ctx.cluster, record.attrId, settings);
  return reply(Status.SUCCESS);
}

function readConfig(ctx: FoundationContext, direction: number, attrId: number): ReadReportConfigRspRecord {
  const attribute = ctx.store.get(ctx.endpoint, ctx.cluster, attrId);
  if (!attribute) return { status: Status.UNSUPPORTED_ATTRIBUTE, direction, attrId };
  if (direction === ReportDirection.receive) return { status: Status.SUCCESS, direction, attrId, timeout: 0 };
  const settings = ctx.reporting.settings(ctx.endpoint, ctx.cluster, attrId);
  if (!settings) return { status: Status.NOT_FOUND, direction, attrId };
  return {
    status: Status.SUCCESS,
    direction,
    attrId,
    dataType: attribute.type,
    minInterval: settings.minInterval,
    maxInterval: settings.maxInterval,
    reportableChange: settings.reportableChange ?? 0,
  };
}

function isStorable(value: unknown): boolean {
  return ['number', 'bigint', 'string', 'boolean'].includes(typeof value) || Buffer.isBuffer(value) ||
    (Array.isArray(value) && value.every((v) => typeof v === 'number'));
}
