// What the host (zigbee-herdsman in the daemon) asks of devices, read off the MT frames the
// virtual coordinator receives: ZDO requests (descriptors, bind, leave) and ZCL frames sent
// through AF, each with the network address it goes to. Proofs that something reached the
// radio, such as "re-configure sent the bindings and reporting again".
import type { VirtualCoordinator } from '../../scripts/virtual-coordinator/coordinator.js';
import { MtType, Subsystem, type MtFrame } from '../../scripts/virtual-coordinator/transport/unpi.js';

export type HostRequestKind = 'nodeDesc' | 'simpleDesc' | 'activeEp' | 'bind' | 'unbind' | 'leave' | 'zcl';

export interface HostRequest {
  kind: HostRequestKind;
  /** Network address of the addressed device. */
  nwk: number;
  /** ZCL only: the cluster and the command (foundation commands have frameType 0). */
  cluster?: number;
  frameType?: number;
  command?: number;
}

const ZDO_REQUESTS: Record<number, HostRequestKind> = { 0x02: 'nodeDesc', 0x04: 'simpleDesc', 0x05: 'activeEp', 0x21: 'bind', 0x22: 'unbind', 0x34: 'leave' };
const ZCL_CONFIGURE_REPORTING = 0x06;
const AF_DATA_REQUEST = 0x01;
const AF_DATA_REQUEST_EXT = 0x02;
const ADDRESS_MODE_NWK = 0x02;

export function parseHostRequest(frame: MtFrame): HostRequest | undefined {
  if (frame.type !== MtType.SREQ) return undefined;
  const data = frame.data;
  if (frame.subsystem === Subsystem.ZDO) {
    const kind = ZDO_REQUESTS[frame.command];
    return kind && data.length >= 2 ? { kind, nwk: data.readUInt16LE(0) } : undefined;
  }
  if (frame.subsystem !== Subsystem.AF) return undefined;
  if (frame.command === AF_DATA_REQUEST && data.length >= 10) {
    return zcl(data.readUInt16LE(0), data.readUInt16LE(4), data.subarray(10, 10 + data[9]!));
  }
  if (frame.command === AF_DATA_REQUEST_EXT && data.length >= 20 && data[0] === ADDRESS_MODE_NWK) {
    return zcl(data.readUInt16LE(1), data.readUInt16LE(13), data.subarray(20, 20 + data.readUInt16LE(18)));
  }
  return undefined;
}

function zcl(nwk: number, cluster: number, payload: Buffer): HostRequest | undefined {
  if (payload.length < 3) return undefined;
  const frameControl = payload[0]!;
  const commandAt = (frameControl & 0x04) !== 0 ? 4 : 2; // manufacturer-specific frames carry 2 more bytes
  if (payload.length <= commandAt) return undefined;
  return { kind: 'zcl', nwk, cluster, frameType: frameControl & 0x03, command: payload[commandAt]! };
}

export function isConfigureReporting(request: HostRequest): boolean {
  return request.kind === 'zcl' && request.frameType === 0 && request.command === ZCL_CONFIGURE_REPORTING;
}

/** Records every host request from now on; `since(mark)` gives those after a mark. */
export function recordHostRequests(coordinator: VirtualCoordinator): { all: HostRequest[]; mark(): number; since(mark: number, nwk?: number): HostRequest[] } {
  const all: HostRequest[] = [];
  coordinator.on('frame', (direction, frame) => {
    if (direction !== 'rx') return;
    const request = parseHostRequest(frame);
    if (request) all.push(request);
  });
  return {
    all,
    mark: () => all.length,
    since: (mark, nwk) => all.slice(mark).filter((r) => nwk === undefined || r.nwk === nwk),
  };
}
