// ZDO response payloads as Z-Stack's MT ZDO callbacks carry them: srcaddr u16 first, then
// the standard ZDO response without its transaction sequence number.
import { ByteWriter, type IeeeAddress } from '../firmware/bytes.js';
import type { EndpointDescriptor } from '../firmware/znp-firmware.js';

export const ZdoStatus = {
  SUCCESS: 0x00,
  INV_REQUESTTYPE: 0x80,
  DEVICE_NOT_FOUND: 0x81,
  INVALID_EP: 0x82,
  NOT_ACTIVE: 0x83,
  NOT_SUPPORTED: 0x84,
  NO_ENTRY: 0x88,
} as const;

/** MT ZDO AREQ command ids (0x45 xx). */
export const ZdoCallback = {
  nwkAddrRsp: 0x80,
  ieeeAddrRsp: 0x81,
  nodeDescRsp: 0x82,
  powerDescRsp: 0x83,
  simpleDescRsp: 0x84,
  activeEpRsp: 0x85,
  bindRsp: 0xa1,
  unbindRsp: 0xa2,
  mgmtLqiRsp: 0xb1,
  mgmtRtgRsp: 0xb2,
  mgmtBindRsp: 0xb3,
  mgmtLeaveRsp: 0xb4,
  mgmtPermitJoinRsp: 0xb6,
  stateChangeInd: 0xc0,
  endDeviceAnnceInd: 0xc1,
  leaveInd: 0xc9,
  tcDeviceInd: 0xca,
  permitJoinInd: 0xcb,
} as const;

export interface NodeDescriptor {
  logicalType: number; // 0 coordinator, 1 router, 2 end device
  macCapabilities: number;
  manufacturerCode: number;
  serverMask: number;
}

export function nodeDescRsp(src: number, nwk: number, d: NodeDescriptor): Buffer {
  return new ByteWriter()
    .u16(src)
    .u8(ZdoStatus.SUCCESS)
    .u16(nwk)
    .u8(d.logicalType & 0x07)
    .u8(0x40) // APS flags 0, frequency band 2.4 GHz
    .u8(d.macCapabilities)
    .u16(d.manufacturerCode)
    .u8(82) // max buffer size
    .u16(82) // max incoming transfer size
    .u16(d.serverMask)
    .u16(82) // max outgoing transfer size
    .u8(0x00) // descriptor capabilities
    .done();
}

export function activeEpRsp(src: number, nwk: number, endpoints: number[]): Buffer {
  return new ByteWriter().u16(src).u8(ZdoStatus.SUCCESS).u16(nwk).u8(endpoints.length).bytes(endpoints).done();
}

export function simpleDescRsp(src: number, nwk: number, ep: EndpointDescriptor | undefined): Buffer {
  if (!ep) return new ByteWriter().u16(src).u8(ZdoStatus.INVALID_EP).u16(nwk).u8(0).done();
  const body = new ByteWriter()
    .u8(ep.endpoint)
    .u16(ep.profileId)
    .u16(ep.deviceId)
    .u8(ep.deviceVersion)
    .u8(ep.inClusters.length);
  for (const c of ep.inClusters) body.u16(c);
  body.u8(ep.outClusters.length);
  for (const c of ep.outClusters) body.u16(c);
  const desc = body.done();
  return new ByteWriter().u16(src).u8(ZdoStatus.SUCCESS).u16(nwk).u8(desc.length).bytes(desc).done();
}

export function powerDescRsp(src: number, nwk: number, mains: boolean): Buffer {
  // byte 1: current mode (0 = receiver on when idle / synced) | available sources << 4
  // byte 2: current source | level << 4 (0xC = 100 %)
  const source = mains ? 0x1 : 0x4;
  return new ByteWriter().u16(src).u8(ZdoStatus.SUCCESS).u16(nwk).u8(source << 4).u8(source | (0xc << 4)).done();
}

/** nwkAddrRsp / ieeeAddrRsp: Z-Stack puts startIndex before the associated-device count. */
export function addrRsp(ieee: IeeeAddress, nwk: number, children: number[], startIndex: number, includeChildren: boolean): Buffer {
  const w = new ByteWriter().u8(ZdoStatus.SUCCESS).ieee(ieee).u16(nwk);
  if (!includeChildren) return w.u8(0).u8(0).done();
  const list = children.slice(startIndex, startIndex + 20);
  w.u8(startIndex).u8(list.length);
  for (const c of list) w.u16(c);
  return w.done();
}

export function statusRsp(src: number, status: number): Buffer {
  return new ByteWriter().u16(src).u8(status).done();
}

export interface NeighborEntry {
  extendedPanIdLe: Buffer;
  ieee: IeeeAddress;
  nwk: number;
  deviceType: number; // 0 coordinator, 1 router, 2 end device
  rxOnWhenIdle: boolean;
  relationship: number; // 0 parent, 1 child, 2 sibling
  depth: number;
  lqi: number;
}

/** Z-Stack answers at most three neighbours per mgmtLqiRsp. */
export const LQI_ENTRIES_PER_RSP = 3;

export function mgmtLqiRsp(src: number, all: NeighborEntry[], startIndex: number): Buffer {
  const entries = all.slice(startIndex, startIndex + LQI_ENTRIES_PER_RSP);
  const w = new ByteWriter().u16(src).u8(ZdoStatus.SUCCESS).u8(all.length).u8(startIndex).u8(entries.length);
  for (const e of entries) {
    w.bytes(e.extendedPanIdLe)
      .ieee(e.ieee)
      .u16(e.nwk)
      .u8((e.deviceType & 0x03) | ((e.rxOnWhenIdle ? 1 : 0) << 2) | ((e.relationship & 0x07) << 4))
      .u8(0x02) // permit joining: unknown
      .u8(e.depth)
      .u8(e.lqi);
  }
  return w.done();
}

export interface RouteEntry {
  destination: number;
  status: number; // 0 active
  nextHop: number;
}

export const ROUTES_PER_RSP = 10;

export function mgmtRtgRsp(src: number, all: RouteEntry[], startIndex: number): Buffer {
  const entries = all.slice(startIndex, startIndex + ROUTES_PER_RSP);
  const w = new ByteWriter().u16(src).u8(ZdoStatus.SUCCESS).u8(all.length).u8(startIndex).u8(entries.length);
  for (const e of entries) w.u16(e.destination).u8(e.status & 0x07).u16(e.nextHop);
  return w.done();
}

export interface BindingEntry {
  sourceIeee: IeeeAddress;
  sourceEndpoint: number;
  clusterId: number;
  /** 1 = group, 3 = IEEE + endpoint */
  destinationMode: number;
  destinationIeee?: IeeeAddress;
  destinationEndpoint?: number;
  groupId?: number;
}

export function mgmtBindRsp(src: number, all: BindingEntry[], startIndex: number): Buffer {
  const entries = all.slice(startIndex, startIndex + 3);
  const w = new ByteWriter().u16(src).u8(ZdoStatus.SUCCESS).u8(all.length).u8(startIndex).u8(entries.length);
  for (const e of entries) {
    w.ieee(e.sourceIeee).u8(e.sourceEndpoint).u16(e.clusterId).u8(e.destinationMode);
    if (e.destinationMode === 1) w.u16(e.groupId ?? 0);
    else w.ieee(e.destinationIeee ?? '0x0000000000000000').u8(e.destinationEndpoint ?? 0);
  }
  return w.done();
}
