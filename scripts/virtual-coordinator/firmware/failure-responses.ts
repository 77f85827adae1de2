// Complete, failure-shaped SRSP payloads (from TI's MT API guide) for commands the emulator
// does not model or cannot honour. A host parses every field of an SRSP; a short one would
// turn into a 6 s timeout on its side instead of a clean error.
import { Subsystem } from '../transport/unpi.js';

const FAILURE = 0x01;

/** [subsystem, command, bytes]: responses that are not simply one status byte. */
const LAYOUTS: Array<[number, number, number[]]> = [
  [Subsystem.SYS, 0x01, [0x00, 0x00]], // ping: capabilities
  [Subsystem.SYS, 0x02, [2, 1, 2, 7, 1, 0, 0, 0, 0]], // version
  [Subsystem.SYS, 0x04, [0, 0, 0, 0, 0, 0, 0, 0]], // getExtAddr
  [Subsystem.SYS, 0x05, [FAILURE, 0]], // ramRead: status, len
  [Subsystem.SYS, 0x08, [FAILURE, 0]], // osalNvRead
  [Subsystem.SYS, 0x0c, [0, 0]], // random
  [Subsystem.SYS, 0x0d, [0, 0]], // adcRead
  [Subsystem.SYS, 0x0e, [0]], // gpio
  [Subsystem.SYS, 0x0f, [0]], // stackTune
  [Subsystem.SYS, 0x11, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]], // getTime
  [Subsystem.SYS, 0x13, [0, 0]], // osalNvLength
  [Subsystem.SYS, 0x14, [0]], // setTxPower
  [Subsystem.SYS, 0x18, [0, 0, 0, 0]], // zdiagsClearStats
  [Subsystem.SYS, 0x19, [0, 0, 0, 0]], // zdiagsGetStats
  [Subsystem.SYS, 0x1b, [0, 0, 0, 0]], // zdiagsSaveStatsToNv
  [Subsystem.SYS, 0x1c, [FAILURE, 0]], // osalNvReadExt
  [Subsystem.SYS, 0x32, [0, 0, 0, 0]], // nvLength (u32)
  [Subsystem.SYS, 0x33, [FAILURE, 0]], // nvRead
  [Subsystem.AF, 0x12, [FAILURE, 0]], // dataRetrieve
  [Subsystem.AF, 0x14, [0, 0, 0]], // apsfConfigGet
  [Subsystem.ZDO, 0x25, [FAILURE, ...new Array(24).fill(0)]], // getLinkKey
  [Subsystem.ZDO, 0x43, [FAILURE, 0, 0, 0, 0, 0]], // secEntryLookupExt
  [Subsystem.ZDO, 0x49, [0]], // extFindAllGroupsEndpoint
  [Subsystem.ZDO, 0x4a, [FAILURE, 0, 0, 0]], // extFindGroup
  [Subsystem.ZDO, 0x50, [0xfe, 0xff, 0, 0xff, 0xff, 0xfe, 0xff, ...new Array(16).fill(0), 0]], // extNwkInfo
  [Subsystem.ZDO, 0x52, []], // forceConcentratorChange
  [Subsystem.UTIL, 0x00, [FAILURE, ...new Array(8).fill(0), 0xfe, 0xff, 0, 0, 0]], // getDeviceInfo
  [Subsystem.UTIL, 0x01, [FAILURE, ...new Array(31).fill(0)]], // getNvInfo
  [Subsystem.UTIL, 0x09, [0, 0, 0, 0]], // timeAlive
  [Subsystem.UTIL, 0x10, []], // testLoopback
  [Subsystem.UTIL, 0x14, [0, 0, 0, 0, 0, 0]], // gpioSetDirection
  [Subsystem.UTIL, 0x15, [0, 0, 0, 0, 0, 0]], // gpioRead
  [Subsystem.UTIL, 0x16, [0, 0, 0, 0, 0, 0, 0, 0, 0]], // gpioWrite
  [Subsystem.UTIL, 0x25, [FAILURE, 0]], // srcMatchCheckAllPending
  [Subsystem.UTIL, 0x40, [0xfe, 0xff]], // addrmgrExtAddrLookup
  [Subsystem.UTIL, 0x41, [0, 0, 0, 0, 0, 0, 0, 0]], // addrmgrNwkAddrLookup
  [Subsystem.UTIL, 0x44, [FAILURE, ...new Array(24).fill(0)]], // apsmeLinkKeyDataGet
  [Subsystem.UTIL, 0x45, [FAILURE, 0, 0]], // apsmeLinkKeyNvIdGet
  [Subsystem.UTIL, 0x48, [0, 0]], // assocCount
  [Subsystem.UTIL, 0x49, new Array(18).fill(0)], // assocFindDevice
  [Subsystem.UTIL, 0x4a, [0xfe, 0xff, 0xff, 0xff, 0xff]], // assocGetWithAddress: unknown
  [Subsystem.UTIL, 0x4c, new Array(100).fill(0)], // srngGen
  [Subsystem.UTIL, 0x4d, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]], // bindAddEntry
  [Subsystem.UTIL, 0x81, [FAILURE, ...new Array(42).fill(0)]], // zclKeyEstSign
];

const table = new Map<number, Buffer>(LAYOUTS.map(([s, c, bytes]) => [(s << 8) | c, Buffer.from(bytes)]));

export function failureResponse(subsystem: number, command: number): Buffer {
  return Buffer.from(table.get((subsystem << 8) | command) ?? [FAILURE]);
}
