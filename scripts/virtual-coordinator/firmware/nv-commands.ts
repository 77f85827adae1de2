// SYS NV commands: legacy OSAL items (osalNv*) and the extended NVOCMP API (nv*), with the
// status codes Z-Stack answers (an osalNvItemInit that creates an item answers 0x09).
import { ByteReader, ByteWriter } from './bytes.js';
import type { MtDispatcher } from './mt-dispatcher.js';
import { NvStatus } from './nv-ids.js';
import type { NvStore } from './nv-store.js';
import { Subsystem } from '../transport/unpi.js';

/** Bytes returned per read: keeps status + length + value inside one 250-byte frame. */
const READ_CHUNK = 240;
const MAX_ITEM_LENGTH = 2048;

/** NVINTF status codes of the extended API. */
const NvIntf = { SUCCESS: 0, FAILURE: 1, BADLENGTH: 5, BADOFFSET: 6, NOTFOUND: 10 } as const;

const SysCmd = {
  osalNvItemInit: 0x07,
  osalNvRead: 0x08,
  osalNvWrite: 0x09,
  osalNvDelete: 0x12,
  osalNvLength: 0x13,
  osalNvReadExt: 0x1c,
  osalNvWriteExt: 0x1d,
  nvCreate: 0x30,
  nvDelete: 0x31,
  nvLength: 0x32,
  nvRead: 0x33,
  nvWrite: 0x34,
  nvUpdate: 0x35,
  nvCompact: 0x36,
} as const;

function readResponse(item: Buffer | undefined, offset: number, maxLength = READ_CHUNK): Buffer {
  if (!item) return Buffer.from([NvStatus.OPER_FAILED, 0]);
  if (offset >= item.length) return Buffer.from([NvStatus.BAD_ITEM_LEN, 0]);
  const value = item.subarray(offset, offset + Math.min(maxLength, READ_CHUNK));
  return new ByteWriter().u8(NvStatus.SUCCESS).u8(value.length).bytes(value).done();
}

export function registerNvCommands(dispatcher: MtDispatcher, nv: NvStore): void {
  const on = (cmd: number, handler: (r: ByteReader) => Buffer) =>
    dispatcher.onSreq(Subsystem.SYS, cmd, (data) => handler(new ByteReader(data)));

  on(SysCmd.osalNvLength, (r) => new ByteWriter().u16(nv.length(r.u16())).done());

  on(SysCmd.osalNvReadExt, (r) => {
    const id = r.u16();
    return readResponse(nv.get(id), r.u16());
  });

  on(SysCmd.osalNvRead, (r) => {
    const id = r.u16();
    return readResponse(nv.get(id), r.u8());
  });

  on(SysCmd.osalNvItemInit, (r) => {
    const id = r.u16();
    const length = r.u16();
    const initLength = r.u8();
    const initValue = r.bytes(initLength);
    if (nv.has(id)) return Buffer.from([NvStatus.SUCCESS]); // already there: untouched
    if (length === 0 || length > MAX_ITEM_LENGTH) return Buffer.from([NvStatus.OPER_FAILED]);
    const item = Buffer.alloc(length, 0x00);
    initValue.copy(item, 0, 0, Math.min(initValue.length, length));
    nv.set(id, item);
    return Buffer.from([NvStatus.ITEM_UNINIT]);
  });

  const write = (id: number, offset: number, value: Buffer) => {
    if (!nv.has(id)) return Buffer.from([NvStatus.ITEM_UNINIT]);
    return Buffer.from([nv.write(id, offset, value) ? NvStatus.SUCCESS : NvStatus.OPER_FAILED]);
  };

  on(SysCmd.osalNvWriteExt, (r) => {
    const id = r.u16();
    const offset = r.u16();
    const length = r.u16();
    return write(id, offset, r.bytes(length));
  });

  on(SysCmd.osalNvWrite, (r) => {
    const id = r.u16();
    const offset = r.u8();
    const length = r.u8();
    return write(id, offset, r.bytes(length));
  });

  on(SysCmd.osalNvDelete, (r) => {
    const id = r.u16();
    const length = r.u16();
    if (!nv.has(id)) return Buffer.from([NvStatus.ITEM_UNINIT]);
    if (nv.length(id) !== length) return Buffer.from([NvStatus.BAD_ITEM_LEN]);
    nv.delete(id);
    return Buffer.from([NvStatus.SUCCESS]);
  });

  // --- extended items: (sysId u8, itemId u16, subId u16) ---
  const address = (r: ByteReader) => [r.u8(), r.u16(), r.u16()] as const;

  on(SysCmd.nvLength, (r) => {
    const [sysId, itemId, subId] = address(r);
    // Real firmware answers a u32 (herdsman reads its low byte).
    return new ByteWriter().u32(nv.getEx(sysId, itemId, subId)?.length ?? 0).done();
  });

  on(SysCmd.nvRead, (r) => {
    const [sysId, itemId, subId] = address(r);
    const offset = r.u16();
    const length = r.u8();
    const entry = nv.getEx(sysId, itemId, subId);
    if (!entry) return Buffer.from([NvIntf.NOTFOUND, 0]);
    if (offset + length > entry.length) return Buffer.from([NvIntf.BADLENGTH, 0]);
    const value = entry.subarray(offset, offset + Math.min(length, READ_CHUNK));
    return new ByteWriter().u8(NvIntf.SUCCESS).u8(value.length).bytes(value).done();
  });

  on(SysCmd.nvWrite, (r) => {
    const [sysId, itemId, subId] = address(r);
    const offset = r.u16();
    const length = r.u8();
    const value = r.bytes(length);
    if (!nv.getEx(sysId, itemId, subId)) return Buffer.from([NvIntf.NOTFOUND]);
    return Buffer.from([nv.writeEx(sysId, itemId, subId, offset, value) ? NvIntf.SUCCESS : NvIntf.BADOFFSET]);
  });

  on(SysCmd.nvCreate, (r) => {
    const [sysId, itemId, subId] = address(r);
    const length = r.u32();
    if (nv.getEx(sysId, itemId, subId)) return Buffer.from([NvIntf.FAILURE]);
    if (length === 0 || length > MAX_ITEM_LENGTH) return Buffer.from([NvIntf.BADLENGTH]);
    nv.setEx(sysId, itemId, subId, Buffer.alloc(length, 0x00));
    return Buffer.from([NvIntf.SUCCESS]);
  });

  on(SysCmd.nvUpdate, (r) => {
    const [sysId, itemId, subId] = address(r);
    const length = r.u8();
    nv.setEx(sysId, itemId, subId, r.bytes(length));
    return Buffer.from([NvIntf.SUCCESS]);
  });

  on(SysCmd.nvDelete, (r) => {
    const [sysId, itemId, subId] = address(r);
    return Buffer.from([nv.deleteEx(sysId, itemId, subId) ? NvIntf.SUCCESS : NvIntf.NOTFOUND]);
  });

  on(SysCmd.nvCompact, () => Buffer.from([NvIntf.SUCCESS]));
}
