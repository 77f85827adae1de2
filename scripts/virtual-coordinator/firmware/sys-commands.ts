// SYS subsystem: identity, reset and the small housekeeping commands hosts send.
import { ByteReader, ByteWriter, ieeeToBytes } from './bytes.js';
import { FirmwareIdentity, ResetReason } from './identity.js';
import { NvId } from './nv-ids.js';
import type { ZnpFirmware } from './znp-firmware.js';
import { Subsystem } from '../transport/unpi.js';

export function registerSysCommands(fw: ZnpFirmware): void {
  const d = fw.dispatcher;
  const id = FirmwareIdentity;

  d.onAreq(Subsystem.SYS, 0x00, (data) => {
    // resetReq: type 0 = hard (watchdog), 1 = soft. Either way the host waits for resetInd.
    const type = new ByteReader(data).u8();
    fw.reboot(type === 0 ? ResetReason.WATCHDOG : ResetReason.EXTERNAL);
  });

  d.onSreq(Subsystem.SYS, 0x01, () => new ByteWriter().u16(id.capabilities).done()); // ping

  d.onSreq(Subsystem.SYS, 0x02, () =>
    new ByteWriter().u8(id.transportRev).u8(id.product).u8(id.major).u8(id.minor).u8(id.maint).u32(id.revision).done(),
  );

  d.onSreq(Subsystem.SYS, 0x03, (data) => {
    // setExtAddr
    const ieee = new ByteReader(data).ieee();
    fw.nv.set(NvId.EXTADDR, ieeeToBytes(ieee));
    return Buffer.from([0x00]);
  });

  d.onSreq(Subsystem.SYS, 0x04, () => new ByteWriter().ieee(fw.ieee).done()); // getExtAddr

  d.onSreq(Subsystem.SYS, 0x0c, () => new ByteWriter().u16(Math.floor(Math.random() * 0x10000)).done()); // random

  d.onSreq(Subsystem.SYS, 0x0f, (data) => {
    // stackTune: operation 0 = set TX power; answers the value in effect
    const r = new ByteReader(data);
    r.u8();
    return Buffer.from([r.u8()]);
  });

  d.onSreq(Subsystem.SYS, 0x14, (data) => Buffer.from([new ByteReader(data).u8()])); // setTxPower

  d.onSreq(Subsystem.SYS, 0x10, () => Buffer.from([0x00])); // setTime

  d.onSreq(Subsystem.SYS, 0x11, () => {
    // getTime: seconds since 2000-01-01 plus the broken-down UTC time
    const now = new Date();
    const utc = Math.floor((now.getTime() - Date.UTC(2000, 0, 1)) / 1000);
    return new ByteWriter()
      .u32(utc)
      .u8(now.getUTCHours())
      .u8(now.getUTCMinutes())
      .u8(now.getUTCSeconds())
      .u8(now.getUTCMonth() + 1)
      .u8(now.getUTCDate())
      .u16(now.getUTCFullYear())
      .done();
  });
}
