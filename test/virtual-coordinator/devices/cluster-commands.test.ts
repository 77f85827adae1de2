// Cluster commands change device state and the device reports what changed, as a bulb with
// reporting does. Commands are encoded by zigbee-herdsman, answers decoded by it.

import t from 'tap';
import { catalogueDevice } from '../../../scripts/virtual-coordinator/devices/catalogue.js';
import { SimulatedDevice } from '../../../scripts/virtual-coordinator/devices/simulated-device.js';
import { command, foundation, ManualClock, parse, raw, recorder } from './helpers.js';

function bulb() {
  const io = recorder();
  const clock = new ManualClock();
  const dev = new SimulatedDevice(catalogueDevice('ikea-bulb'), io, { timers: clock, onError: (e) => { throw e; } });
  /** herdsman's view of everything sent since the last call */
  const sent = () => io.take().map(parse);
  return { dev, io, clock, sent };
}

const reportOf = (cluster: number, attrId: number, attrData: unknown) => ({
  command: 'report', clusterId: cluster, direction: 'toClient', disableDefaultResponse: true, dstEndpoint: 1, payload: [{ attrId, attrData }],
});

t.test('on/off/toggle: state changes, default response with the TSN, then a report', async (t) => {
  const { dev, sent } = bulb();
  dev.receive(command('genOnOff', 'off', {}, { tsn: 21 }));
  t.match(sent(), [
    { command: 'defaultRsp', tsn: 21, direction: 'toClient', payload: { cmdId: 0, statusCode: 0 } },
    reportOf(6, 0, 0),
  ]);
  t.equal(dev.get(1, 6, 0), false);
  dev.receive(command('genOnOff', 'off', {}, { tsn: 22 }));
  t.match(sent(), [{ command: 'defaultRsp', tsn: 22 }], 'no report when nothing changed');
  t.equal(sent().length, 0);
  dev.receive(command('genOnOff', 'toggle', {}, { disableDefaultResponse: true }));
  t.match(sent(), [reportOf(6, 0, 1)], 'DDR set: only the report');
  dev.receive(command('genOnOff', 'toggle', {}, { disableDefaultResponse: true }));
  dev.receive(command('genOnOff', 'on', {}, { disableDefaultResponse: true }));
  t.match(sent(), [reportOf(6, 0, 0), reportOf(6, 0, 1)]);
  const tsns = [];
  for (let i = 0; i < 3; i++) {
    dev.receive(command('genOnOff', 'toggle', {}, { disableDefaultResponse: true }));
    tsns.push(sent()[0]!.tsn);
  }
  t.same(tsns, [tsns[0], tsns[0]! + 1, tsns[0]! + 2], 'device frames count their own TSN');
});

t.test('onWithTimedOff switches on, then off after onTime tenths of a second', async (t) => {
  const { dev, clock, sent } = bulb();
  dev.receive(command('genOnOff', 'off', {}, { disableDefaultResponse: true }));
  sent();
  dev.receive(command('genOnOff', 'onWithTimedOff', { ctrlbits: 0, ontime: 50, offwaittime: 0 }, { disableDefaultResponse: true }));
  t.match(sent(), [{ command: 'report', clusterId: 6, payload: [{ attrId: 0, attrData: 1 }, { attrId: 0x4001, attrData: 50 }] }]);
  clock.advance(4_999);
  t.equal(dev.get(1, 6, 0), true);
  clock.advance(1);
  t.equal(dev.get(1, 6, 0), false);
  t.match(sent(), [reportOf(6, 0, 0)]);
});

t.test('level control: moveToLevel, *WithOnOff, move and step', async (t) => {
  const { dev, sent } = bulb();
  dev.receive(command('genLevelCtrl', 'moveToLevel', { level: 100, transtime: 0, optionsMask: 0, optionsOverride: 0 }, { disableDefaultResponse: true }));
  t.match(sent(), [reportOf(8, 0, 100)]);
  t.equal(dev.get(1, 6, 0), true, 'plain moveToLevel leaves on/off alone');

  dev.receive(command('genLevelCtrl', 'moveToLevelWithOnOff', { level: 0, transtime: 5 }, { disableDefaultResponse: true }));
  t.match(sent(), [reportOf(8, 0, 1), reportOf(6, 0, 0)], 'level and on/off both reported');
  t.equal(dev.get(1, 6, 0), false, 'level 0 with on/off switches off');
  dev.receive(command('genLevelCtrl', 'moveToLevelWithOnOff', { level: 200, transtime: 5 }, { disableDefaultResponse: true }));
  t.equal(dev.get(1, 6, 0), true, 'raising the level with on/off switches on');
  t.equal(dev.get(1, 8, 0), 200);
  dev.receive(command('genOnOff', 'off', {}, { disableDefaultResponse: true }));
  dev.receive(command('genLevelCtrl', 'moveToLevelWithOnOff', { level: 80, transtime: 0 }, { disableDefaultResponse: true }));
  t.equal(dev.get(1, 6, 0), true, 'a lower level with on/off also switches an off bulb on (on at 30%)');
  t.equal(dev.get(1, 8, 0), 80);
  dev.receive(command('genLevelCtrl', 'moveToLevel', { level: 200, transtime: 0, optionsMask: 0, optionsOverride: 0 }, { disableDefaultResponse: true }));

  dev.receive(command('genLevelCtrl', 'step', { stepmode: 1, stepsize: 50, transtime: 0 }, { disableDefaultResponse: true }));
  t.equal(dev.get(1, 8, 0), 150, 'step down');
  dev.receive(command('genLevelCtrl', 'step', { stepmode: 0, stepsize: 250, transtime: 0 }, { disableDefaultResponse: true }));
  t.equal(dev.get(1, 8, 0), 254, 'step up clamps at 254');
  dev.receive(command('genLevelCtrl', 'move', { movemode: 1, rate: 10 }, { disableDefaultResponse: true }));
  t.equal(dev.get(1, 8, 0), 1, 'move down goes to the minimum at once');
  t.equal(dev.get(1, 6, 0), true, 'plain move does not switch off');
  dev.receive(command('genLevelCtrl', 'stepWithOnOff', { stepmode: 0, stepsize: 9, transtime: 0 }, { disableDefaultResponse: true }));
  t.equal(dev.get(1, 8, 0), 10);
  sent();
  dev.receive(command('genLevelCtrl', 'stop', {}, { tsn: 5 }));
  t.match(sent(), [{ command: 'defaultRsp', tsn: 5, payload: { cmdId: 3, statusCode: 0 } }]);
});

t.test('colour temperature: moveToColorTemp clamps to the physical range and sets colorMode', async (t) => {
  const { dev, sent } = bulb();
  dev.receive(command('lightingColorCtrl', 'moveToColor', { colorx: 20000, colory: 20000, transtime: 0 }, { disableDefaultResponse: true }));
  t.equal(dev.get(1, 0x0300, 8), 1, 'xy mode');
  sent();
  dev.receive(command('lightingColorCtrl', 'moveToColorTemp', { colortemp: 300, transtime: 0 }, { tsn: 8 }));
  const frames = sent();
  t.match(frames[0], { command: 'defaultRsp', tsn: 8, payload: { cmdId: 0x0a, statusCode: 0 } });
  t.same(frames[1]!.payload.map((r: { attrId: number; attrData: unknown }) => [r.attrId, r.attrData]), [[0x0007, 300], [0x0008, 2], [0x4001, 2]]);
  dev.receive(command('lightingColorCtrl', 'moveToColorTemp', { colortemp: 100, transtime: 0 }, { disableDefaultResponse: true }));
  t.equal(dev.get(1, 0x0300, 7), 250, 'below colorTempPhysicalMin -> min');
  dev.receive(command('lightingColorCtrl', 'moveToColorTemp', { colortemp: 600, transtime: 0 }, { disableDefaultResponse: true }));
  t.equal(dev.get(1, 0x0300, 7), 454, 'above colorTempPhysicalMax -> max');
  dev.receive(command('lightingColorCtrl', 'stepColorTemp', { stepmode: 3, stepsize: 100, transtime: 0, minimum: 0, maximum: 0 }, { disableDefaultResponse: true }));
  t.equal(dev.get(1, 0x0300, 7), 354);
});

t.test('errors: unknown command, manufacturer-specific command, malformed payload changes nothing', async (t) => {
  const { dev, sent } = bulb();
  // genScenes enhancedView (0x41): scenes are simulated, their enhanced commands are not.
  dev.receive(command('genScenes', 'enhancedView', { groupid: 1, sceneid: 2 }, { tsn: 30, disableDefaultResponse: true }));
  t.match(sent(), [{ command: 'defaultRsp', tsn: 30, payload: { cmdId: 0x41, statusCode: 0x81 } }], 'UNSUP_CLUSTER_COMMAND even with DDR');
  dev.receive(raw(0x0006, '05 7c11 1f 01'));
  t.match(sent(), [{ command: 'defaultRsp', tsn: 0x1f, manufacturerCode: 0x117c, payload: { cmdId: 1, statusCode: 0x83 } }]);
  dev.receive(raw(0x0008, '01 20 04 64 05'));
  t.match(sent(), [{ command: 'defaultRsp', tsn: 0x20, payload: { cmdId: 4, statusCode: 0x80 } }], 'transition time cut short');
  t.equal(dev.get(1, 8, 0), 254, 'level unchanged');
  t.equal(dev.get(1, 6, 0), true);
  dev.receive(command('genOnOff', 'on', {}, { dstEndpoint: 242 }));
  t.match(sent(), [{ command: 'defaultRsp', srcEndpoint: 242, payload: { statusCode: 0xc3 } }], 'cluster not on that endpoint');
});

t.test('groups: membership answers, and group casts reach member endpoints without replies', async (t) => {
  const { dev, sent } = bulb();
  dev.receive(command('genOnOff', 'off', {}, { groupId: 7 }));
  t.same(sent(), [], 'not a member: ignored');
  t.equal(dev.get(1, 6, 0), true);

  dev.receive(command('genGroups', 'add', { groupid: 7, groupname: '' }, { tsn: 40 }));
  t.match(sent(), [{ command: 'addRsp', tsn: 40, direction: 'toClient', frameType: 'specific', payload: { status: 0, groupid: 7 } }]);
  dev.receive(command('genGroups', 'add', { groupid: 7, groupname: '' }));
  t.match(sent(), [{ command: 'addRsp', payload: { status: 0x8a, groupid: 7 } }], 'DUPLICATE_EXISTS');
  t.same(dev.groupsOf(1), [7]);
  dev.receive(command('genGroups', 'getMembership', { groupcount: 0, grouplist: [] }));
  t.match(sent(), [{ command: 'getMembershipRsp', payload: { capacity: 15, groupcount: 1, grouplist: [7] } }]);
  dev.receive(command('genGroups', 'view', { groupid: 9 }));
  t.match(sent(), [{ command: 'viewRsp', payload: { status: 0x8b, groupid: 9 } }]);

  dev.receive(command('genOnOff', 'off', {}, { groupId: 7 }));
  t.match(sent(), [reportOf(6, 0, 0)], 'member: state changes and is reported, no default response to a group cast');
  dev.receive(command('genGroups', 'remove', { groupid: 7 }));
  t.match(sent(), [{ command: 'removeRsp', payload: { status: 0, groupid: 7 } }]);
  t.same(dev.groupsOf(1), []);
});

t.test('IAS zone enrollment as herdsman interviews it', async (t) => {
  const io = recorder();
  const dev = new SimulatedDevice(catalogueDevice('aqara-motion'), io, { timers: new ManualClock() });
  dev.receive(foundation('ssIasZone', 'read', [{ attrId: 0x0010 }, { attrId: 0x0000 }]));
  t.match(parse(io.take()[0]!).payload, [{ attrId: 0x10, attrData: '0x0000000000000000' }, { attrId: 0, attrData: 0 }]);
  dev.receive(foundation('ssIasZone', 'write', [{ attrId: 0x0010, dataType: 0xf0, attrData: '0x00124b0012345678' }]));
  dev.receive(command('ssIasZone', 'enrollRsp', { enrollrspcode: 0, zoneid: 23 }, { disableDefaultResponse: true }));
  io.take();
  dev.receive(foundation('ssIasZone', 'read', [{ attrId: 0x0010 }, { attrId: 0x0000 }]));
  t.match(parse(io.take()[0]!).payload, [{ attrId: 0x10, attrData: '0x00124b0012345678' }, { attrId: 0, attrData: 1 }]);
  t.equal(dev.get(1, 0x0500, 0x0011), 23, 'zone id stored');
});

t.test('identify: identifyTime counts down to 0 after the given seconds', async (t) => {
  const { dev, clock, sent } = bulb();
  dev.receive(command('genIdentify', 'identify', { identifytime: 3 }, { disableDefaultResponse: true }));
  t.equal(dev.get(1, 3, 0), 3);
  dev.receive(command('genIdentify', 'identifyQuery', {}));
  t.match(sent().filter((f) => f.command === 'identifyQueryRsp'), [{ payload: { timeout: 3 } }]);
  clock.advance(3_000);
  t.equal(dev.get(1, 3, 0), 0);
  dev.stop();
  t.equal(clock.pendingTimers, 0);
});
