// genScenes on a simulated bulb, frame by frame: store keeps on/off, level and colour per
// (group, scene), recall restores and reports them, remove and view answer as ZCL says.
import t from 'tap';
import { catalogueDevice } from '../../../scripts/virtual-coordinator/devices/catalogue.js';
import { SimulatedDevice } from '../../../scripts/virtual-coordinator/devices/simulated-device.js';
import { command, ManualClock, parse, recorder } from './helpers.js';

function bulb() {
  const io = recorder();
  const dev = new SimulatedDevice(catalogueDevice('ikea-bulb'), io, { timers: new ManualClock(), onError: (e) => { throw e; } });
  return { dev, sent: () => io.take().map(parse) };
}

t.test('a scene of the endpoint alone (group 0): stored, recalled with a report, removed', async (t) => {
  const { dev, sent } = bulb();
  dev.receive(command('genLevelCtrl', 'moveToLevel', { level: 40, transtime: 0 }, { disableDefaultResponse: true }));
  sent();
  dev.receive(command('genScenes', 'store', { groupid: 0, sceneid: 3 }, { tsn: 50 }));
  const stored = sent();
  t.match(stored, [{ command: 'storeRsp', tsn: 50, payload: { status: 0, groupid: 0, sceneid: 3 } }]);
  t.equal(stored.length, 1, 'nothing else sent (no report of the scene attributes)');

  dev.receive(command('genOnOff', 'off', {}, { disableDefaultResponse: true }));
  dev.receive(command('genLevelCtrl', 'moveToLevel', { level: 200, transtime: 0 }, { disableDefaultResponse: true }));
  sent();
  dev.receive(command('genScenes', 'recall', { groupid: 0, sceneid: 3 }, { tsn: 51 }));
  const frames = sent();
  t.match(frames[0], { command: 'defaultRsp', tsn: 51, payload: { cmdId: 5, statusCode: 0 } });
  t.same([dev.get(1, 0x0006, 0), dev.get(1, 0x0008, 0)], [true, 40], 'on at level 40 again');
  t.ok(frames.some((f) => f.command === 'report' && f.clusterId === 0x0006), 'and reported, as after any command');

  dev.receive(command('genScenes', 'view', { groupid: 0, sceneid: 3 }));
  t.match(sent(), [{ command: 'viewRsp', payload: { status: 0, groupid: 0, sceneid: 3 } }]);
  dev.receive(command('genScenes', 'remove', { groupid: 0, sceneid: 3 }));
  t.match(sent(), [{ command: 'removeRsp', payload: { status: 0, groupid: 0, sceneid: 3 } }]);
  dev.receive(command('genScenes', 'recall', { groupid: 0, sceneid: 3 }, { tsn: 52 }));
  t.match(sent(), [{ command: 'defaultRsp', tsn: 52, payload: { cmdId: 5, statusCode: 0x8b } }], 'NOT_FOUND once removed');
});

t.test('a group scene: only for a group the endpoint is in; a group cast stores and recalls it silently', async (t) => {
  const { dev, sent } = bulb();
  dev.receive(command('genScenes', 'store', { groupid: 7, sceneid: 1 }));
  t.match(sent(), [{ command: 'storeRsp', payload: { status: 0x85, groupid: 7 } }], 'INVALID_FIELD: not in group 7');
  dev.receive(command('genGroups', 'add', { groupid: 7, groupname: '' }));
  sent();
  dev.receive(command('genScenes', 'store', { groupid: 7, sceneid: 1 }, { groupId: 7 }));
  t.same(sent(), [], 'no answer to a group cast');
  dev.receive(command('genOnOff', 'off', {}, { groupId: 7 }));
  sent();
  dev.receive(command('genScenes', 'recall', { groupid: 7, sceneid: 1 }, { groupId: 7 }));
  t.equal(dev.get(1, 0x0006, 0), true, 'back on');
  t.match(sent(), [{ command: 'report', clusterId: 0x0006 }]);
});
