// ZCL bytes a simulated device sends: responses to the coordinator and its own reports.
// Like real devices, everything the device sends sets "disable default response", so
// zigbee-herdsman does not answer each frame with a default response.

import type { FoundationPayload } from './zcl/foundation.js';
import { encodeFoundation, FoundationId } from './zcl/foundation.js';
import { encodeFrame, type ZclHeader } from './zcl/frame.js';
import type { AttributeRecord } from './zcl/foundation.js';

/** Answer to a request: same TSN and manufacturer code, direction server -> client. */
export function foundationResponse(request: ZclHeader, body: FoundationPayload): Buffer {
  const { commandId, payload } = encodeFoundation(body);
  return encodeFrame(responseHeader(request, 'global', commandId), payload);
}

export function defaultResponse(request: ZclHeader, status: number): Buffer {
  return foundationResponse(request, { command: 'defaultRsp', commandId: request.commandId, status });
}

export function clusterResponse(request: ZclHeader, commandId: number, payload: Buffer): Buffer {
  return encodeFrame(responseHeader(request, 'specific', commandId), payload);
}

function responseHeader(request: ZclHeader, frameType: ZclHeader['frameType'], commandId: number): ZclHeader {
  const header: ZclHeader = { frameType, direction: 'serverToClient', disableDefaultResponse: true, tsn: request.tsn, commandId };
  if (request.manufacturerCode !== undefined) header.manufacturerCode = request.manufacturerCode;
  return header;
}

export function attributeReport(tsn: number, records: AttributeRecord[], manufacturerCode?: number): Buffer {
  const { payload } = encodeFoundation({ command: 'report', records });
  const header: ZclHeader = {
    frameType: 'global',
    direction: 'serverToClient',
    disableDefaultResponse: true,
    tsn,
    commandId: FoundationId.report,
  };
  if (manufacturerCode !== undefined) header.manufacturerCode = manufacturerCode;
  return encodeFrame(header, payload);
}

/** A command the device sends as a client (a remote's toggle, a scene recall, ...). */
export function clientCommand(tsn: number, commandId: number, payload: Buffer): Buffer {
  return encodeFrame({ frameType: 'specific', direction: 'clientToServer', disableDefaultResponse: true, tsn, commandId }, payload);
}

/** A command the device sends as a server (an IAS zone's status change, a lock's operation event). */
export function serverCommand(tsn: number, commandId: number, payload: Buffer): Buffer {
  return encodeFrame({ frameType: 'specific', direction: 'serverToClient', disableDefaultResponse: true, tsn, commandId }, payload);
}
