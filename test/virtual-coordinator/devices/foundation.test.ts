// SimulatedDevice answering foundation commands, checked with zigbee-herdsman's ZCL codec.

import t from 'tap';
import { catalogueDevice } from '../../../scripts/virtual-coordinator/devices/catalogue.js';
import { SimulatedDevice } from '../../../scripts/virtual-coordinator/devices/simulated-device.js';
import { foundation, ManualClock, parse, raw, recorder } from './helpers.js';

function device(id: string) {
  const io = recorder();
  const clock = new ManualClock();
  const errors: unknown[] = [];
  const dev = new SimulatedDevice(catalogueDevice(id), io, { timers: clock, onError: (e) => errors.push(e) });
  return { dev, io, clock, errors };
}

t.test('read answers every attribute herdsman interviews, UNSUPPORTED for missing ones', async (t) => {
  const { dev, io } = device('ikea-bulb');
  const ids = [5, 4, 7, 0, 1, 2, 3, 6, 0x4000, 0x0010].map((attrId) => ({ attrId }));
  dev.receive(foundation('genBasic', 'read', ids, { tsn: 9 }));
  const [reply, ...more] = io.take().map(parse);
  t.equal(more.length, 0, 'one response, no default response after it');
  t.match(reply, {
    command: 'readRsp', tsn: 9, direction: 'toClient', disableDefaultResponse: true,
    srcEndpoint: 1, dstEndpoint: 1, clusterId: 0, manufacturerCode: undefined,
  });
  t.same(reply!.payload.map((r: { attrId: number; status: number; attrData?: unknown }) => [r.attrId, r.status, r.attrData]), [
    [5, 0, 'TRADFRI bulb E27 WS opal 980lm'],
    [4, 0, 'IKEA of Sweden'],
    [7, 0, 1],
    [0, 0, 2],
    [1, 0, 32],
    [2, 0, 98],
    [3, 0, 1],
    [6, 0, '20190308'],
    [0x4000, 0, '2.0.022'],
    [0x0010, 0x86, undefined],
  ]);
});

t.test('write: updates writable attributes, READ_ONLY / UNSUPPORTED / INVALID_DATA_TYPE otherwise', async (t) => {
  const { dev, io } = device('aqara-motion');
  dev.receive(foundation('ssIasZone', 'write', [{ attrId: 0x0010, dataType: 0xf0, attrData: '0x00124b0012345678' }], { tsn: 3 }));
  t.match(parse(io.take()[0]!), { command: 'writeRsp', tsn: 3, payload: [{ status: 0 }] });
  t.equal(dev.get(1, 0x0500, 0x0010), '0x00124b0012345678');

  dev.receive(foundation('genBasic', 'write', [
    { attrId: 0x0005, dataType: 0x42, attrData: 'hacked' },
    { attrId: 0x1234, dataType: 0x20, attrData: 1 },
  ], { tsn: 4 }));
  t.same(parse(io.take()[0]!).payload, [{ status: 0x88, attrId: 5 }, { status: 0x86, attrId: 0x1234 }]);
  t.equal(dev.get(1, 0, 5), 'lumi.sensor_motion.aq2', 'read-only value unchanged');

  dev.receive(foundation('genIdentify', 'write', [{ attrId: 0, dataType: 0x20, attrData: 5 }]));
  t.same(parse(io.take()[0]!).payload, [{ status: 0x8d, attrId: 0 }], 'uint8 into a uint16 attribute');
});

t.test('writeUndiv writes nothing when one record fails; writeNoRsp answers nothing', async (t) => {
  const { dev, io } = device('ikea-bulb');
  dev.receive(foundation('genLevelCtrl', 'writeUndiv', [
    { attrId: 0x0011, dataType: 0x20, attrData: 100 },
    { attrId: 0x0000, dataType: 0x20, attrData: 5 },
  ]));
  t.same(parse(io.take()[0]!).payload, [{ status: 0x88, attrId: 0 }]);
  t.equal(dev.get(1, 8, 0x0011), 255, 'onLevel not written');

  dev.receive(foundation('genLevelCtrl', 'writeNoRsp', [{ attrId: 0x0011, dataType: 0x20, attrData: 100 }], { disableDefaultResponse: true }));
  t.equal(io.take().length, 0);
  t.equal(dev.get(1, 8, 0x0011), 100);
});

t.test('configReport: stored, answered, then reports every max interval and on change', async (t) => {
  const { dev, io, clock } = device('aqara-weather');
  dev.start();
  dev.receive(foundation('msTemperatureMeasurement', 'configReport', [
    { direction: 0, attrId: 0, dataType: 0x29, minRepIntval: 10, maxRepIntval: 60, repChange: 50 },
  ], { tsn: 77 }));
  t.match(parse(io.take()[0]!), { command: 'configReportRsp', tsn: 77, payload: [{ status: 0 }] });

  dev.receive(foundation('msTemperatureMeasurement', 'readReportConfig', [{ direction: 0, attrId: 0 }]));
  t.match(parse(io.take()[0]!).payload, [{ status: 0, attrId: 0, dataType: 0x29, minRepIntval: 10, maxRepIntval: 60, repChange: 50 }]);

  clock.advance(59_999);
  t.equal(io.frames.length, 0, 'nothing before the max interval');
  clock.advance(1);
  const periodic = parse(io.take()[0]!);
  t.match(periodic, { command: 'report', clusterId: 0x0402, srcEndpoint: 1, dstEndpoint: 1, payload: [{ attrId: 0, dataType: 0x29, attrData: 2150 }] });

  // A coordinator write cannot change a measurement, so drive the change with set(..., 'configured').
  dev.set(1, 0x0402, { 0: 2170 }, 'configured');
  t.equal(io.frames.length, 0, 'change of 0.20 °C is below the reportable change of 0.50 °C');
  dev.set(1, 0x0402, { 0: 2210 }, 'configured');
  t.equal(io.frames.length, 0, 'big enough, but the minimum interval (10 s) has not passed');
  clock.advance(10_000);
  t.match(parse(io.take()[0]!).payload, [{ attrId: 0, attrData: 2210 }], 'reported once the minimum interval passed');

  dev.stop();
  t.equal(clock.pendingTimers, 0, 'stop() clears every timer');
  clock.advance(3_600_000);
  t.equal(io.frames.length, 0);
});

t.test('configReport with maxInterval 0xFFFF switches reporting off; bad records get their status', async (t) => {
  const { dev, io, clock } = device('ikea-bulb');
  dev.start();
  dev.receive(foundation('genOnOff', 'configReport', [{ direction: 0, attrId: 0, dataType: 0x10, minRepIntval: 0, maxRepIntval: 300 }]));
  io.take();
  dev.receive(foundation('genOnOff', 'configReport', [
    { direction: 0, attrId: 0, dataType: 0x10, minRepIntval: 0, maxRepIntval: 0xffff },
    { direction: 0, attrId: 0x7777, dataType: 0x10, minRepIntval: 0, maxRepIntval: 10 },
    { direction: 0, attrId: 0x4001, dataType: 0x20, minRepIntval: 0, maxRepIntval: 10, repChange: 1 },
  ]));
  t.same(parse(io.take()[0]!).payload, [
    { status: 0x86, direction: 0, attrId: 0x7777 },
    { status: 0x8d, direction: 0, attrId: 0x4001 },
  ]);
  clock.advance(1_000_000);
  t.equal(io.frames.length, 0, 'no periodic report after switching off');
  dev.receive(foundation('genOnOff', 'readReportConfig', [{ direction: 0, attrId: 0 }]));
  t.match(parse(io.take()[0]!).payload, [{ status: 0x8b, attrId: 0 }], 'NOT_FOUND');
  dev.stop();
});

t.test('discover lists attributes with types, paged', async (t) => {
  const { dev, io } = device('ikea-bulb');
  dev.receive(foundation('lightingColorCtrl', 'discover', { startAttrId: 0x0007, maxAttrIds: 3 }));
  const reply = parse(io.take()[0]!);
  t.equal(reply.command, 'discoverRsp');
  t.same(reply.payload, { discComplete: 0, attrInfos: [{ attrId: 7, dataType: 0x21 }, { attrId: 8, dataType: 0x30 }, { attrId: 0x0f, dataType: 0x18 }] });
});

t.test('default responses: success only without DDR; errors always; same TSN', async (t) => {
  const { dev, io } = device('ikea-bulb');
  dev.receive(foundation('genOnOff', 'read', [{ attrId: 0 }], { dstEndpoint: 9 }));
  t.equal(io.take().length, 0, 'frame to a missing endpoint is dropped');

  dev.receive(foundation('msTemperatureMeasurement', 'read', [{ attrId: 0 }], { tsn: 11, disableDefaultResponse: true }));
  t.match(parse(io.take()[0]!), { command: 'defaultRsp', tsn: 11, payload: { cmdId: 0, statusCode: 0xc3 } }, 'UNSUPPORTED_CLUSTER');

  dev.receive(raw(0x0006, '00 0c 1e 0000'));
  t.match(parse(io.take()[0]!), { command: 'defaultRsp', tsn: 12, payload: { cmdId: 0x1e, statusCode: 0x82 } }, 'unknown general command');

  dev.receive(raw(0x0006, '00 0d 00 00'));
  t.match(parse(io.take()[0]!), { command: 'defaultRsp', tsn: 13, payload: { cmdId: 0, statusCode: 0x80 } }, 'odd-length read is MALFORMED');

  dev.receive(raw(0x0006, '00 0e 06 00 0000 10 0a00'));
  t.match(parse(io.take()[0]!), { command: 'defaultRsp', payload: { statusCode: 0x80 } }, 'truncated configReport is MALFORMED');

  dev.receive(raw(0x0006, '00 0f'));
  dev.receive(raw(0x0006, ''));
  dev.receive(raw(0x0006, '03 10 00 0000'));
  t.equal(io.take().length, 0, 'frames without a complete header (or a reserved frame type) are dropped');

  dev.receive(raw(0x0006, '18 11 0b 01 00'));
  dev.receive(raw(0x0006, '18 12 01 0000 00 10 01'));
  t.equal(io.take().length, 0, 'server -> client frames (answers to the device) are ignored');
});

t.test('reports and responses sent to the device are ignored', async (t) => {
  const { dev, io, errors } = device('aqara-plug');
  dev.receive(foundation('genOnOff', 'report', [{ attrId: 0, dataType: 0x10, attrData: 1 }], { disableDefaultResponse: true }));
  t.equal(io.take().length, 0);
  t.same(errors, [], 'no internal errors');
});
