// The firmware byte by byte, without herdsman: identity, NV status codes, reset, complete
// SRSPs for malformed and unmodelled requests, and the one-client-at-a-time link.
import t from 'tap';
import { startVirtualCoordinator } from '../../scripts/virtual-coordinator/coordinator.js';
import { MtType } from '../../scripts/virtual-coordinator/transport/unpi.js';
import { MtClient } from './mt-client.js';

const SYS = 1;
const ZDO = 5;
const UTIL = 7;
const AF = 4;

t.test('firmware over a raw MT connection', async (t) => {
  const vc = await startVirtualCoordinator({ ieee: '0x00124b0001020304' });
  t.teardown(() => vc.stop());
  const client = await MtClient.connect(vc.port);
  t.teardown(() => client.close());

  client.writeRaw([0xef]); // the bootloader-skip byte herdsman sends first is ignored
  t.same([...(await client.request(SYS, 0x01))], [0x7f, 0x1d], 'ping answers the MT capabilities');
  const version = await client.request(SYS, 0x02);
  t.same([...version.subarray(0, 5)], [2, 1, 2, 7, 1], 'transport 2, product 1 (Z-Stack 3.x.0), 2.7.1');
  t.equal(version.readUInt32LE(5), 20221226);
  t.same([...(await client.request(SYS, 0x04))], [0x04, 0x03, 0x02, 0x01, 0x00, 0x4b, 0x12, 0x00], 'IEEE little-endian');

  // NWKKEY exists on a blank stick with the aligned length.
  t.same([...(await client.request(SYS, 0x13, [0x82, 0x00]))], [24, 0]);
  // osalNvItemInit of a new item answers 0x09, of an existing one 0x00.
  t.same([...(await client.request(SYS, 0x07, [0x00, 0x0f, 2, 0, 2, 0xaa, 0xbb]))], [0x09]);
  t.same([...(await client.request(SYS, 0x07, [0x00, 0x0f, 2, 0, 2, 0xcc, 0xdd]))], [0x00]);
  t.same([...(await client.request(SYS, 0x1c, [0x00, 0x0f, 0, 0]))], [0x00, 2, 0xaa, 0xbb], 'osalNvReadExt returns the value');
  t.same([...(await client.request(SYS, 0x1d, [0x00, 0x0f, 1, 0, 1, 0, 0xee]))], [0x00], 'osalNvWriteExt at an offset');
  t.same([...(await client.request(SYS, 0x1c, [0x00, 0x0f, 0, 0]))], [0x00, 2, 0xaa, 0xee]);
  t.same([...(await client.request(SYS, 0x1d, [0x00, 0x0f, 1, 0, 2, 0, 1, 2]))], [0x0a], 'a write past the end fails');
  t.same([...(await client.request(SYS, 0x12, [0x00, 0x0f, 2, 0]))], [0x00], 'osalNvDelete');
  t.same([...(await client.request(SYS, 0x12, [0x00, 0x0f, 2, 0]))], [0x09], 'deleting a missing item');
  t.same([...(await client.request(SYS, 0x1c, [0x00, 0x0f, 0, 0]))], [0x0a, 0], 'reading a missing item');
  // Extended NV: address-manager table has realistic capacity, ends with length 0.
  t.same([...(await client.request(SYS, 0x32, [1, 1, 0, 0, 0]))], [12, 0, 0, 0], 'nvLength answers a u32');
  t.same([...(await client.request(SYS, 0x32, [1, 1, 0, 64, 0]))], [0, 0, 0, 0], 'entry 64 does not exist');

  // Malformed and unmodelled requests still get complete SRSPs.
  t.same([...(await client.request(SYS, 0x13, [0x82]))], [0, 0], 'a short osalNvLength answers a full (zero) length');
  t.same([...(await client.request(UTIL, 0x00, []))].length, 14, 'getDeviceInfo is complete');
  const unknown = await client.request(SYS, 0x7e, [1, 2, 3]);
  t.same([...unknown], [0x01], 'an unmodelled command answers FAILURE');
  t.same([...(await client.request(ZDO, 0x50))].length, 24, 'extNwkInfo before a network: every field');
  t.same([...(await client.request(AF, 0x01, [0x34, 0x12, 1, 1, 6, 0, 1, 0, 30, 0]))], [0xc2], 'AF before the network is up: NWK invalid request');

  // A frame with a bad FCS is dropped; the next good one is answered.
  client.writeRaw([0xfe, 0x00, 0x21, 0x01, 0x00]);
  t.same([...(await client.request(SYS, 0x01))], [0x7f, 0x1d]);
  t.equal(vc.link.parserStats.badFcs, 1);

  // resetReq honours STARTUP_OPTION: 0x02 clears network state.
  t.same([...(await client.request(SYS, 0x09, [0x03, 0x00, 0, 1, 0x02]))], [0x00], 'osalNvWrite STARTUP_OPTION = 02');
  client.send(SYS, 0x00, [0x01], MtType.AREQ);
  // (a power-up resetInd, reason 0, may also be there if we connected quickly)
  const resetInd = (await client.next((f) => f.type === MtType.AREQ && f.subsystem === SYS && f.command === 0x80 && f.data[0] === 0x01)).data;
  t.same([...resetInd], [0x01, 2, 1, 2, 7, 1], 'resetInd: external reset, identity');
  t.same([...(await client.request(SYS, 0x1c, [0x03, 0x00, 0, 0]))], [0x00, 1, 0x00], 'the startup option bits are consumed');

  // A second connection replaces the first, like reopening a serial port.
  const second = await MtClient.connect(vc.port);
  t.teardown(() => second.close());
  t.same([...(await second.request(SYS, 0x01))], [0x7f, 0x1d]);
  await t.rejects(client.next(() => false, 2000), /closed/, 'the old connection was closed');
});
