// A value mirrored into the Xiaomi 0xFF01 struct that does not fit the struct field's type (the
// plug's int16 device temperature 0x8000 "invalid" into its int8 tag 0x03, NaN or Infinity into an
// integer) must never crash the emulator: the heartbeat runs on a timer, where a throw ends the
// process. Mirrored values are clamped to the field's range, as a device's firmware casting a
// reading would; NaN into an integer field leaves that field out. An override that does not fit
// is refused when it is set, with an error naming the tag and the type.
import t from 'tap';
import { catalogueDevice } from '../../../scripts/virtual-coordinator/devices/catalogue.js';
import { SimulatedDevice } from '../../../scripts/virtual-coordinator/devices/simulated-device.js';
import { buildXiaomiStruct } from '../../../scripts/virtual-coordinator/devices/xiaomi-ff01.js';
import { DataType as T, decodeXiaomiStruct } from '../../../scripts/virtual-coordinator/devices/zcl/index.js';
import { ManualClock, parse, recorder } from './helpers.js';

const DEVICE_TEMP_CFG = 0x0002;
const ANALOG_INPUT = 0x000c;

function structOf(frame: ReturnType<ReturnType<typeof recorder>['take']>[number]): Record<number, unknown> {
  const report = parse(frame) as { payload: Array<{ attrId: number; attrData: Record<number, unknown> }> };
  return report.payload.find((p) => p.attrId === 0xff01)!.attrData;
}

t.test('out-of-range values mirrored into the struct are clamped, never thrown from the heartbeat', async (t) => {
  const io = recorder();
  const clock = new ManualClock();
  const plug = new SimulatedDevice(catalogueDevice('aqara-plug'), io, { timers: clock });
  plug.start();
  plug.set(1, DEVICE_TEMP_CFG, { 0x0000: -32768 }); // currentTemperature 0x8000: int16 "invalid"
  io.take();
  t.doesNotThrow(() => clock.advance(5 * 60 * 1000), 'the heartbeat survives');
  const [heartbeat] = io.take().filter((f) => f.clusterId === 0x0000);
  t.ok(heartbeat, 'and sends the struct');
  t.equal(structOf(heartbeat!)[3], -128, 'int8 tag 0x03 clamped to its minimum');

  plug.set(1, DEVICE_TEMP_CFG, { 0x0000: 32767 });
  io.take();
  plug.report(1, 0x0000);
  t.equal(structOf(io.take().find((f) => f.clusterId === 0x0000)!)[3], 127, 'and to its maximum');
  plug.stop();
});

t.test('NaN and Infinity mirrored into integer and float fields', async (t) => {
  const io = recorder();
  const weather = new SimulatedDevice(catalogueDevice('aqara-weather'), io);
  weather.set(1, 0x0403, { 0x0010: 32767 }); // scaledValue * 10 into the int32 pressure tag: fits
  io.take();
  weather.report(1, 0x0000);
  t.equal(structOf(io.take()[0]!)[0x66], 327670, 'a value that fits is sent as it is');

  // A definition-as-data device may mirror a float attribute into an integer tag.
  const from = { endpoint: 1, cluster: ANALOG_INPUT, attribute: 0x0055 };
  const fields = [
    { tag: 0x03, type: T.int8, from },
    { tag: 0x05, type: T.uint16, from },
    { tag: 0x98, type: T.singleFloat, from },
  ];
  const build = (value: number) => decodeXiaomiStruct(buildXiaomiStruct(fields, () => value, new Map()));
  t.same(build(Infinity).map((e) => e.value), [127, 65535, Infinity], 'Infinity clamps to the maximum');
  t.same(build(-Infinity).map((e) => e.value), [-128, 0, -Infinity], '-Infinity to the minimum');
  t.same(build(-1e30).map((e) => e.value).slice(0, 2), [-128, 0], 'a huge negative value too');
  const nan = build(Number.NaN);
  t.same(nan.map((e) => e.tag), [0x98], 'NaN leaves integer fields out');
  t.ok(Number.isNaN(nan[0]!.value as number), 'a float field carries NaN as it is');
  t.same(build(12.6).map((e) => e.value), [13, 13, Math.fround(12.6)], 'a fraction rounds into an integer field');
});

t.test('an override that does not fit its field is refused when set', async (t) => {
  const dev = new SimulatedDevice(catalogueDevice('aqara-weather'), recorder());
  t.throws(() => dev.setStructField(0x01, 70000), { message: 'aqara-weather: Xiaomi struct tag 0x1 (uint16): 70000 does not fit uint16' });
  t.throws(() => dev.setStructField(0x01, 'lots'), { message: /tag 0x1 \(uint16\): uint16 needs a number, got string/ });
  t.doesNotThrow(() => dev.setStructField(0x01, 2900));
});
