// Permit join through one router, asked by the cloud (cloud.proto PermitJoin.via), end to end:
// the reference cloud, the daemon as a process and the virtual coordinator. The request takes
// the one command path the LAN's does: it reaches the radio addressed to that router only, the
// result names the router, and an end device, an unknown device or an address that is not one
// is refused with the reason.
import t from 'tap';
import { Subsystem } from '../../scripts/virtual-coordinator/transport/unpi.js';
import { GATEWAY, joinDevices, startStack } from './stack.js';

/** MT_ZDO_MGMT_PERMIT_JOIN_REQ: addrMode (u8), dstAddr (u16 LE), duration (u8), tcSignificance (u8). */
const MGMT_PERMIT_JOIN_REQ = 0x36;

t.test('the cloud opens permit join through one router', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.stop());
  const joined = await joinDevices(stack, ['ikea-bulb', 'aqara-door']);
  const bulb = joined.get('ikea-bulb')!;
  const door = joined.get('aqara-door')!;
  const bulbNwk = stack.coordinator.devices().find((d) => d.ieee === bulb)!.nwk;
  const send = (command: { seconds: number; via?: string }) => stack.cloud.sendCommand(GATEWAY, { kind: 'permit_join', ...command }, 30_000);
  t.ok((await send({ seconds: 0 })).ok, 'closed after the joins');

  const requests: Array<{ dst: number; duration: number }> = [];
  stack.coordinator.on('frame', (direction, frame) => {
    if (direction === 'rx' && frame.subsystem === Subsystem.ZDO && frame.command === MGMT_PERMIT_JOIN_REQ) {
      requests.push({ dst: frame.data.readUInt16LE(1), duration: frame.data[3]! });
    }
  });

  const opened = await send({ seconds: 60, via: bulb.toUpperCase().replace('0X', '0x') });
  t.match(opened, { ok: true, state: { permit_join: true, seconds: 60, via: bulb } }, 'the result names the router');
  t.same(requests, [{ dst: bulbNwk, duration: 60 }], 'one request, addressed to the router only');

  requests.length = 0;
  t.match(await send({ seconds: 60, via: door }), { ok: false, error: new RegExp(`${door}.*end device, not a router`) });
  t.match(await send({ seconds: 60, via: '0x00124b00ffffffff' }), { ok: false, error: /0x00124b00ffffffff/ });
  t.match(await send({ seconds: 60, via: 'hall plug' }), { ok: false, error: /^invalid: permit_join via must be a router's ieee/ });
  t.same(requests, [], 'nothing reached the radio for a refused router');

  const everywhere = await send({ seconds: 30 });
  t.match(everywhere, { ok: true, state: { permit_join: true, seconds: 30 } });
  t.notOk(everywhere.state && 'via' in everywhere.state, 'without via: the whole network');
  t.ok(requests.length > 0 && requests.every((r) => r.dst !== bulbNwk), 'and not addressed to the router');
  await send({ seconds: 0 });
});
