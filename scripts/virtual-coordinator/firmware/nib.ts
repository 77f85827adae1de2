// The NWK Information Base (nwkIB_t of Z-Stack's nwk.h) as a CC26x2 stores it: 16-bit
// aligned ("aligned" layout, 116 bytes). Only the fields a host reads are named here.

export const NIB_LENGTH = 116;

const Offset = {
  SequenceNum: 0,
  PassiveAckTimeout: 1,
  MaxBroadcastRetries: 2,
  MaxChildren: 3,
  MaxDepth: 4,
  MaxRouters: 5,
  BroadcastDeliveryTime: 7,
  SecureAllFrames: 11,
  SecurityLevel: 12,
  SymLink: 13,
  CapabilityFlags: 14,
  TransactionPersistenceTime: 16,
  nwkProtocolVersion: 18,
  RouteDiscoveryTime: 19,
  RouteExpiryTime: 20,
  nwkDevAddress: 22,
  nwkLogicalChannel: 24,
  nwkCoordAddress: 26,
  nwkCoordExtAddress: 28,
  nwkPanId: 36,
  nwkState: 38,
  channelList: 40,
  beaconOrder: 44,
  superFrameOrder: 45,
  scanDuration: 46,
  nodeDepth: 56,
  extendedPANID: 57,
  nwkKeyLoaded: 65,
  nwkLinkStatusPeriod: 102,
  nwkRouterAgeLimit: 103,
  nwkIsConcentrator: 105,
  nwkConcentratorDiscoveryTime: 106,
  nwkConcentratorRadius: 107,
  nwkManagerAddr: 110,
  nwkUpdateId: 114,
} as const;

export interface NibFields {
  panId: number;
  channel: number;
  channelMask: number;
  /** Extended PAN ID exactly as NV stores it (least significant byte first). */
  extendedPanIdLe: Buffer;
  securityLevel?: number;
  nwkUpdateId?: number;
}

export function buildNib(fields: NibFields): Buffer {
  const nib = Buffer.alloc(NIB_LENGTH, 0x00);
  nib[Offset.SequenceNum] = 0x01;
  nib[Offset.PassiveAckTimeout] = 5;
  nib[Offset.MaxBroadcastRetries] = 2;
  nib[Offset.MaxChildren] = 51;
  nib[Offset.MaxDepth] = 20;
  nib[Offset.MaxRouters] = 51;
  nib[Offset.BroadcastDeliveryTime] = 30;
  nib[Offset.SecureAllFrames] = 1;
  nib[Offset.SecurityLevel] = fields.securityLevel ?? 5;
  nib[Offset.SymLink] = 1;
  nib[Offset.CapabilityFlags] = 0x8f;
  nib.writeUInt16LE(7, Offset.TransactionPersistenceTime);
  nib[Offset.nwkProtocolVersion] = 2;
  nib[Offset.RouteDiscoveryTime] = 5;
  nib[Offset.RouteExpiryTime] = 30;
  nib.writeUInt16LE(0x0000, Offset.nwkDevAddress); // the coordinator is always 0x0000
  nib[Offset.nwkLogicalChannel] = fields.channel;
  nib.writeUInt16LE(0x0000, Offset.nwkCoordAddress);
  nib.writeUInt16LE(fields.panId, Offset.nwkPanId);
  nib[Offset.nwkState] = 0x08;
  nib.writeUInt32LE(fields.channelMask >>> 0, Offset.channelList);
  nib[Offset.beaconOrder] = 15;
  nib[Offset.superFrameOrder] = 15;
  nib[Offset.scanDuration] = 4;
  fields.extendedPanIdLe.copy(nib, Offset.extendedPANID, 0, 8);
  nib[Offset.nwkKeyLoaded] = 1;
  nib[Offset.nwkLinkStatusPeriod] = 15;
  nib[Offset.nwkRouterAgeLimit] = 3;
  nib[Offset.nwkIsConcentrator] = 1;
  nib[Offset.nwkConcentratorDiscoveryTime] = 120;
  nib[Offset.nwkConcentratorRadius] = 10;
  nib[Offset.nwkUpdateId] = fields.nwkUpdateId ?? 0;
  return nib;
}

export interface NibView {
  panId: number;
  channel: number;
  channelMask: number;
  extendedPanIdLe: Buffer;
  nwkUpdateId: number;
}

/** Reads the fields the firmware needs back from a NIB (also one a host wrote in a restore). */
export function readNib(nib: Buffer): NibView | undefined {
  if (nib.length !== NIB_LENGTH) return undefined;
  return {
    panId: nib.readUInt16LE(Offset.nwkPanId),
    channel: nib[Offset.nwkLogicalChannel],
    channelMask: nib.readUInt32LE(Offset.channelList),
    extendedPanIdLe: Buffer.from(nib.subarray(Offset.extendedPANID, Offset.extendedPANID + 8)),
    nwkUpdateId: nib[Offset.nwkUpdateId],
  };
}

/** Lowest channel of a channel mask (bit n = channel n), or 0 when none of 11..26 is set. */
export function firstChannel(mask: number): number {
  for (let ch = 11; ch <= 26; ch++) if ((mask >>> ch) & 1) return ch;
  return 0;
}

/** The same NIB moved to another channel (a network channel change bumps nwkUpdateId). */
export function nibOnChannel(nib: Buffer, channel: number): Buffer | undefined {
  if (nib.length !== NIB_LENGTH) return undefined;
  const moved = Buffer.from(nib);
  moved[Offset.nwkLogicalChannel] = channel;
  moved.writeUInt32LE((1 << channel) >>> 0, Offset.channelList);
  moved[Offset.nwkUpdateId] = (moved[Offset.nwkUpdateId] + 1) & 0xff;
  return moved;
}
