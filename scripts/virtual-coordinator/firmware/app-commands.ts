// Commissioning and local (coordinator-side) commands: APP_CNF BDB, ZDO startup/network
// info/groups, UTIL device info and LED, AF endpoint registration.
import { ByteReader, ByteWriter } from './bytes.js';
import type { ZnpFirmware } from './znp-firmware.js';
import { Subsystem } from '../transport/unpi.js';

const SUCCESS = 0x00;
const FAILURE = 0x01;
/** afStatus_INVALID_PARAMETER */
const INVALID_PARAMETER = 0x02;

export interface LocalNetworkView {
  /** Network addresses of the coordinator's direct children (UTIL getDeviceInfo). */
  childAddresses(): number[];
}

export function registerAppCommands(fw: ZnpFirmware, network: LocalNetworkView): void {
  const d = fw.dispatcher;
  const status = (s: number) => Buffer.from([s]);

  // --- APP_CNF (BDB) ---
  d.onSreq(Subsystem.APP_CNF, 0x08, (data) => {
    const r = new ByteReader(data);
    const primary = r.u8();
    const mask = r.u32();
    if (primary) fw.bdbChannels.primary = mask;
    else fw.bdbChannels.secondary = mask;
    return status(SUCCESS);
  });

  d.onSreq(Subsystem.APP_CNF, 0x05, (data, reply) => {
    const mode = new ByteReader(data).u8();
    if (mode & 0x04) reply.after(() => fw.formNetwork());
    else reply.areq(Subsystem.APP_CNF, 0x80, Buffer.from([SUCCESS, mode, 0x00]));
    return status(SUCCESS);
  });

  d.onSreq(Subsystem.APP_CNF, 0x09, () => status(SUCCESS)); // bdbSetTcRequireKeyExchange
  d.onSreq(Subsystem.APP_CNF, 0x04, () => status(SUCCESS)); // bdbAddInstallCode
  d.onSreq(Subsystem.APP_CNF, 0xff, () => status(SUCCESS)); // setNwkFrameCounter

  // --- ZDO, local ---
  d.onSreq(Subsystem.ZDO, 0x40, () => status(fw.startup())); // startupFromApp

  d.onSreq(Subsystem.ZDO, 0x50, () => {
    // extNwkInfo
    const nwk = fw.network();
    return new ByteWriter()
      .u16(fw.isCoordinator ? 0x0000 : 0xfffe)
      .u8(fw.state)
      .u16(nwk?.panId ?? 0xffff)
      .u16(0x0000)
      .bytes(nwk?.extendedPanIdLe ?? Buffer.alloc(8))
      .bytes(Buffer.alloc(8))
      .u8(fw.isCoordinator && nwk ? nwk.channel : 0)
      .done();
  });

  const groupsOf = (endpoint: number) => {
    let groups = fw.groups.get(endpoint);
    if (!groups) fw.groups.set(endpoint, (groups = new Map()));
    return groups;
  };

  d.onSreq(Subsystem.ZDO, 0x4a, (data) => {
    // extFindGroup: status, groupid, namelen, name
    const r = new ByteReader(data);
    const endpoint = r.u8();
    const group = r.u16();
    const name = fw.groups.get(endpoint)?.get(group);
    if (!name) return new ByteWriter().u8(FAILURE).u16(group).u8(0).done();
    return new ByteWriter().u8(SUCCESS).u16(group).u8(name.length).bytes(name).done();
  });

  d.onSreq(Subsystem.ZDO, 0x4b, (data) => {
    // extAddGroup
    const r = new ByteReader(data);
    const endpoint = r.u8();
    const group = r.u16();
    const name = r.bytes(r.u8());
    if (!fw.endpoints.has(endpoint)) return status(FAILURE);
    groupsOf(endpoint).set(group, name);
    return status(SUCCESS);
  });

  d.onSreq(Subsystem.ZDO, 0x47, (data) => {
    // extRemoveGroup
    const r = new ByteReader(data);
    const endpoint = r.u8();
    return status(fw.groups.get(endpoint)?.delete(r.u16()) ? SUCCESS : FAILURE);
  });

  d.onSreq(Subsystem.ZDO, 0x48, (data) => {
    fw.groups.delete(new ByteReader(data).u8()); // extRemoveAllGroup
    return status(SUCCESS);
  });

  d.onSreq(Subsystem.ZDO, 0x49, (data) => {
    // extFindAllGroupsEndpoint
    const groups = [...(fw.groups.get(new ByteReader(data).u8())?.keys() ?? [])];
    const w = new ByteWriter().u8(groups.length);
    for (const g of groups) w.u16(g);
    return w.done();
  });

  // --- UTIL ---
  d.onSreq(Subsystem.UTIL, 0x00, () => {
    // getDeviceInfo: status, ieee, short, device types supported, state, assoc list
    const children = fw.isCoordinator ? network.childAddresses() : [];
    const w = new ByteWriter()
      .u8(SUCCESS)
      .ieee(fw.ieee)
      .u16(fw.isCoordinator ? 0x0000 : 0xfffe)
      .u8(0x07)
      .u8(fw.state)
      .u8(Math.min(children.length, 100));
    for (const nwk of children.slice(0, 100)) w.u16(nwk);
    return w.done();
  });

  d.onSreq(Subsystem.UTIL, 0x0a, () => status(SUCCESS)); // ledControl
  d.onSreq(Subsystem.UTIL, 0x09, () => new ByteWriter().u32(Math.floor(process.uptime())).done()); // timeAlive

  // --- AF endpoints ---
  d.onSreq(Subsystem.AF, 0x00, (data) => {
    // register
    const r = new ByteReader(data);
    const endpoint = r.u8();
    const profileId = r.u16();
    const deviceId = r.u16();
    const deviceVersion = r.u8();
    r.u8(); // latency
    const inClusters = Array.from({ length: r.u8() }, () => r.u16());
    const outClusters = Array.from({ length: r.u8() }, () => r.u16());
    if (endpoint === 0 || endpoint === 0xff || fw.endpoints.has(endpoint)) {
      // ZApsDuplicateEntry for a second registration, invalid parameter for a reserved id
      return status(fw.endpoints.has(endpoint) ? 0xb8 : INVALID_PARAMETER);
    }
    fw.endpoints.set(endpoint, { endpoint, profileId, deviceId, deviceVersion, inClusters, outClusters });
    return status(SUCCESS);
  });

  d.onSreq(Subsystem.AF, 0x04, (data) => {
    // delete
    return status(fw.endpoints.delete(new ByteReader(data).u8()) ? SUCCESS : INVALID_PARAMETER);
  });

}
