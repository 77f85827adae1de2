// Address allocation for joining devices and the coordinator's address-manager NV table
// (what a host's backup reads back as the list of network devices).
import { randomBytes } from 'node:crypto';
import { ieeeFromBytes, ieeeToBytes, type IeeeAddress } from '../firmware/bytes.js';
import { emptyAddressManagerEntry } from '../firmware/factory-nv.js';
import { NV_SYSID_ZSTACK, NvExId } from '../firmware/nv-ids.js';
import type { NvStore } from '../firmware/nv-store.js';

/** OUI prefixes by manufacturer code, so generated addresses look like the real vendor's. */
const OUI_BY_MANUFACTURER: Record<number, string> = {
  0x115f: '00158d00', // LUMI (Aqara / Xiaomi)
  0x1037: '00158d00', // LUMI node descriptor code of Aqara end devices
  0x117c: '000b57ff', // IKEA
  0x100b: '00178801', // Philips / Signify
};

export function generateIeee(manufacturerCode: number, taken: (ieee: IeeeAddress) => boolean): IeeeAddress {
  const prefix = OUI_BY_MANUFACTURER[manufacturerCode] ?? '00124b00';
  for (;;) {
    const ieee = `0x${prefix}${randomBytes(4).toString('hex')}`;
    if (!taken(ieee)) return ieee;
  }
}

/** Stochastic address assignment, as Zigbee PRO does (0x0001..0xFFF7). */
export function generateNwk(taken: (nwk: number) => boolean): number {
  for (;;) {
    const nwk = 1 + (randomBytes(2).readUInt16LE(0) % 0xfff7);
    if (!taken(nwk)) return nwk;
  }
}

const User = { ASSOC: 0x01, SECURITY: 0x02 } as const;

function entryIeee(entry: Buffer): IeeeAddress {
  return ieeeFromBytes(entry.subarray(4, 12));
}

function isFree(entry: Buffer): boolean {
  const ext = entry.subarray(4, 12);
  return entry[0] === 0x00 || entry[0] === 0xff || ext.equals(Buffer.alloc(8, 0)) || ext.equals(Buffer.alloc(8, 0xff));
}

/** Record a joined device; direct children of the coordinator are marked "associated". */
export function addAddressEntry(nv: NvStore, ieee: IeeeAddress, nwk: number, directChild: boolean): void {
  const entries = nv.entriesEx(NV_SYSID_ZSTACK, NvExId.ADDRMGR);
  const existing = entries.find(([, e]) => !isFree(e) && entryIeee(e) === ieee);
  const slot = existing ?? entries.find(([, e]) => isFree(e));
  if (!slot) return; // table full: the real stack also just stops remembering
  const entry = Buffer.alloc(12, 0xff);
  entry[0] = (directChild ? User.ASSOC : 0) | User.SECURITY;
  entry.writeUInt16LE(nwk, 2);
  ieeeToBytes(ieee).copy(entry, 4);
  nv.setEx(NV_SYSID_ZSTACK, NvExId.ADDRMGR, slot[0], entry);
}

export function removeAddressEntry(nv: NvStore, ieee: IeeeAddress): void {
  for (const [subId, entry] of nv.entriesEx(NV_SYSID_ZSTACK, NvExId.ADDRMGR)) {
    if (!isFree(entry) && entryIeee(entry) === ieee) {
      nv.setEx(NV_SYSID_ZSTACK, NvExId.ADDRMGR, subId, emptyAddressManagerEntry());
    }
  }
}
