// What a freshly flashed CC2652 holds in NV: enough for a host to read every item it
// asks for, and extended tables with realistic (non-zero) capacity so that a backup
// restore has room to write into.
import { randomBytes } from 'node:crypto';
import { ieeeToBytes, type IeeeAddress } from './bytes.js';
import { NV_SYSID_ZSTACK, NvExId, NvId } from './nv-ids.js';
import type { NvStore } from './nv-store.js';

export const TableCapacity = {
  addressManager: 64,
  apsKeyData: 24,
  tclk: 24,
  nwkSecMaterial: 12,
  securityManager: 24,
} as const;

export const EntrySize = {
  /** user u8, pad, nwkAddr u16, extAddr 8 (aligned) */
  addressManager: 12,
  /** key 16, txFrmCntr u32, rxFrmCntr u32 */
  apsKeyData: 24,
  /** txFrmCntr, rxFrmCntr, extAddr 8, keyAttributes, keyType, SeedShift_IcIndex, pad */
  tclk: 20,
  /** FrameCounter u32, extendedPanID 8 */
  nwkSecMaterial: 12,
  /** ami u16, keyNvId u16, authenticationOption u8, pad */
  securityManager: 6,
} as const;

/** TI's DEFAULT_KEY from f8wConfig.cfg. */
const TI_DEFAULT_KEY = Buffer.from('01030507090b0d0f00020406080a0c0d', 'hex');
const ALL_CHANNELS = 0x07fff800;

export function emptyAddressManagerEntry(): Buffer {
  return Buffer.alloc(EntrySize.addressManager, 0xff);
}

export function emptySecurityManagerTable(): Buffer {
  const table = Buffer.alloc(2 + TableCapacity.securityManager * EntrySize.securityManager, 0x00);
  for (let i = 0; i < TableCapacity.securityManager; i++) {
    table.writeUInt16LE(0xfffe, 2 + i * EntrySize.securityManager); // ami = invalid
  }
  return table;
}

/** Writes the configuration items of a blank stick (everything but the IEEE address). */
export function writeFactoryConfig(nv: NvStore): void {
  nv.set(NvId.STARTUP_OPTION, Buffer.from([0x00]));
  nv.set(NvId.PANID, Buffer.from([0xff, 0xff]));
  const chanlist = Buffer.alloc(4);
  chanlist.writeUInt32LE(ALL_CHANNELS);
  nv.set(NvId.CHANLIST, chanlist);
  nv.set(NvId.EXTENDED_PAN_ID, Buffer.alloc(8, 0x00));
  nv.set(NvId.APS_USE_EXT_PANID, Buffer.alloc(8, 0x00));
  nv.set(NvId.PRECFGKEY, TI_DEFAULT_KEY);
  nv.set(NvId.PRECFGKEYS_ENABLE, Buffer.from([0x00]));
  nv.set(NvId.LOGICAL_TYPE, Buffer.from([0x00]));
  nv.set(NvId.ZDO_DIRECT_CB, Buffer.from([0x00]));
  nv.delete(NvId.ZNP_HAS_CONFIGURED);
}

/** Network state of a stick that is on no network: no NIB, zeroed keys, empty tables. */
export function writeFactoryNetworkState(nv: NvStore): void {
  nv.delete(NvId.NIB);
  // NWKKEY (nwkActiveKeyItems_t: keySeqNum, key[16], frameCounter u32) always exists;
  // 24 bytes is the aligned size a CC26x2 reports.
  nv.set(NvId.NWKKEY, Buffer.alloc(24, 0x00));
  nv.set(NvId.NWK_ACTIVE_KEY_INFO, Buffer.alloc(17, 0x00));
  nv.set(NvId.NWK_ALTERN_KEY_INFO, Buffer.alloc(17, 0x00));
  nv.set(NvId.APS_LINK_KEY_TABLE, emptySecurityManagerTable());
  for (let i = 0; i < TableCapacity.addressManager; i++) {
    nv.setEx(NV_SYSID_ZSTACK, NvExId.ADDRMGR, i, emptyAddressManagerEntry());
  }
  for (let i = 0; i < TableCapacity.apsKeyData; i++) {
    nv.setEx(NV_SYSID_ZSTACK, NvExId.APS_KEY_DATA_TABLE, i, Buffer.alloc(EntrySize.apsKeyData, 0x00));
  }
  for (let i = 0; i < TableCapacity.tclk; i++) {
    const entry = Buffer.alloc(EntrySize.tclk, 0x00);
    entry[16] = 0xff; // keyAttributes: ZG_DEFAULT_KEY (entry unused)
    nv.setEx(NV_SYSID_ZSTACK, NvExId.TCLK_TABLE, i, entry);
  }
  for (let i = 0; i < TableCapacity.nwkSecMaterial; i++) {
    nv.setEx(NV_SYSID_ZSTACK, NvExId.NWK_SEC_MATERIAL_TABLE, i, Buffer.alloc(EntrySize.nwkSecMaterial, 0x00));
  }
}

/** A blank stick with the given IEEE address. */
export function writeFactoryNv(nv: NvStore, ieee: IeeeAddress): void {
  nv.set(NvId.EXTADDR, ieeeToBytes(ieee));
  nv.set(NvId.TCLK_SEED, randomBytes(16));
  writeFactoryConfig(nv);
  writeFactoryNetworkState(nv);
}
