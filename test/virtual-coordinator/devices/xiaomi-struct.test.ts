// The Xiaomi 0xFF01 struct: byte-exact against a capture from a real device, parsed by
// zigbee-herdsman as the MI struct, and sent on the device's heartbeat timer.

import t from 'tap';
import { catalogueDevice } from '../../../scripts/virtual-coordinator/devices/catalogue.js';
import { SimulatedDevice } from '../../../scripts/virtual-coordinator/devices/simulated-device.js';
import { DataType as T, decodeXiaomiStruct, encodeXiaomiStruct, ZclDecodeError } from '../../../scripts/virtual-coordinator/devices/zcl/index.js';
import { ManualClock, parse, recorder } from './helpers.js';

// Posted from a real lumi.remote.b1acn01 (doudz/zigate issue 49): 3165 mV, 25 °C, counters.
const CAPTURED = '01215d0c0328190421a81305214400062401000000000a210000';

t.test('mini switch struct is byte-identical to the real capture, in a LUMI manufacturer-specific report', async (t) => {
  const io = recorder();
  const dev = new SimulatedDevice(catalogueDevice('aqara-switch'), io);
  dev.report(1, 0x0000);
  const [frame] = io.take();
  const hex = frame!.data.toString('hex');
  // 1c: global, manufacturer specific, server->client, no default response; 5f11: 0x115F; 0a: report
  t.match(hex, /^1c5f11[0-9a-f]{2}0a01ff421a/);
  t.equal(hex.slice(hex.indexOf('01ff42') + 8), CAPTURED);
  t.same(parse(frame!).payload, [{ attrId: 0xff01, dataType: 0x42, attrData: { 1: 3165, 3: 25, 4: 5032, 5: 68, 6: 1, 10: 0 } }], 'herdsman reads it as the MI struct');
});

t.test('encode/decode round trip and errors', async (t) => {
  const entries = [
    { tag: 0x01, type: T.uint16, value: 3005 },
    { tag: 0x64, type: T.int16, value: -512 },
    { tag: 0x98, type: T.singleFloat, value: 57.5 },
    { tag: 0x07, type: T.uint64, value: 12n },
  ];
  const bytes = encodeXiaomiStruct(entries);
  t.equal(bytes.toString('hex'), '0121bd0b' + '642900fe' + '983900006642' + '07270c00000000000000');
  t.same(decodeXiaomiStruct(bytes), entries);
  t.same(decodeXiaomiStruct(Buffer.from(CAPTURED, 'hex')).map((e) => e.tag), [1, 3, 4, 5, 6, 10]);
  t.throws(() => decodeXiaomiStruct(Buffer.from('012105', 'hex')), ZclDecodeError);
  t.throws(() => decodeXiaomiStruct(Buffer.from('012105', 'hex')), { message: /xiaomi tag 0x1: truncated uint16/ });
});

t.test('start() sends the struct on the heartbeat interval; stop() ends it', async (t) => {
  const io = recorder();
  const clock = new ManualClock();
  const dev = new SimulatedDevice(catalogueDevice('aqara-weather'), io, { timers: clock });
  dev.start();
  clock.advance(50 * 60 * 1000 - 1);
  t.equal(io.frames.length, 0);
  clock.advance(1);
  clock.advance(50 * 60 * 1000);
  const frames = io.take().map(parse);
  t.equal(frames.length, 2, 'one struct per interval');
  t.match(frames[0], { clusterId: 0, manufacturerCode: 0x115f, payload: [{ attrId: 0xff01, attrData: { 1: 3005, 100: 2150, 101: 4520, 102: 101320 } }] });
  dev.stop();
  t.equal(clock.pendingTimers, 0);
  clock.advance(10 * 60 * 60 * 1000);
  t.equal(io.frames.length, 0);
  t.throws(() => dev.setStructField(0x42, 1), { message: 'aqara-weather: no Xiaomi struct field with tag 0x42' });
});
