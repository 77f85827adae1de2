// Permit join through one router: the request reaches the radio addressed to that router (not
// broadcast), and a device that is not a router, or is unknown, is refused naming it.
import t from 'tap';
import { Subsystem } from '../../scripts/virtual-coordinator/transport/unpi.js';
import { joinDevice, startFixture, tempDir } from './network-fixture.js';

/** MT_ZDO_MGMT_PERMIT_JOIN_REQ: addrMode (u8), dstAddr (u16 LE), duration (u8), tcSignificance (u8). */
const MGMT_PERMIT_JOIN_REQ = 0x36;

t.test('permit join through one router', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  const { network, coordinator: vc } = fixture;
  const bulb = await joinDevice(fixture, 'ikea-bulb');
  const door = await joinDevice(fixture, 'aqara-door');
  await network.permitJoin(0);

  const requests: Array<{ dst: number; duration: number }> = [];
  vc.on('frame', (direction, frame) => {
    if (direction === 'rx' && frame.subsystem === Subsystem.ZDO && frame.command === MGMT_PERMIT_JOIN_REQ) {
      requests.push({ dst: frame.data.readUInt16LE(1), duration: frame.data[3] });
    }
  });

  t.equal(await network.permitJoin(60, bulb.ieee), 60);
  t.same(requests, [{ dst: bulb.nwk, duration: 60 }], 'one request, addressed to the router only');

  requests.length = 0;
  await t.rejects(network.permitJoin(60, door.ieee), { code: 'invalid_value', message: new RegExp(`${door.ieee}.*end device, not a router`) });
  await t.rejects(network.permitJoin(60, '0x00124b00ffffffff'), { code: 'unknown_device', message: /0x00124b00ffffffff/ });
  t.same(requests, [], 'nothing was sent for a refused router');

  await network.permitJoin(30);
  t.ok(requests.length > 0 && requests.every((r) => r.dst !== bulb.nwk), 'without via: not addressed to the router');
  await network.permitJoin(0);
});
