import t from 'tap';
import { screenAttributes, screenState } from '../../daemon/zigbee/sanitizer.js';

t.test('a 0x8000 temperature is refused before any converter sees it', async (t) => {
  const { accepted, rejected } = screenAttributes('msTemperatureMeasurement', { measuredValue: -32768 });
  t.same(accepted, {});
  t.equal(rejected.length, 1);
  t.match(rejected[0]!.reason, /temperature 0x8000/);
});

t.test('a real temperature passes, and only the sentinel attribute of a report is dropped', async (t) => {
  t.same(screenAttributes('msTemperatureMeasurement', { measuredValue: 2150 }).accepted, { measuredValue: 2150 });
  const mixed = screenAttributes('genPowerCfg', { batteryVoltage: 30, batteryPercentageRemaining: 0xff });
  t.same(mixed.accepted, { batteryVoltage: 30 });
  t.same(mixed.rejected.map((r) => r.key), ['batteryPercentageRemaining']);
});

t.test('the same raw value on another cluster is not a sentinel', async (t) => {
  // 0xffff is "invalid" for humidity but an ordinary reading elsewhere.
  t.same(screenAttributes('seMetering', { instantaneousDemand: 0xffff }).rejected, []);
  t.equal(screenAttributes('msRelativeHumidity', { measuredValue: 0xffff }).rejected.length, 1);
});

t.test('raw values outside the plausible range are refused before converters drop them silently', async (t) => {
  t.same(screenAttributes('msRelativeHumidity', { measuredValue: 14000 }).rejected, [{ key: 'measuredValue', reason: 'humidity 140 is above 100' }]);
  t.same(screenAttributes('msTemperatureMeasurement', { measuredValue: 20000 }).rejected, [{ key: 'measuredValue', reason: 'temperature 200 is above 150' }]);
  t.same(screenAttributes('genPowerCfg', { batteryPercentageRemaining: 202 }).rejected, [{ key: 'batteryPercentageRemaining', reason: 'battery 101 is above 100' }]);
  t.same(screenAttributes('msRelativeHumidity', { measuredValue: 10000 }).rejected, [], '100 % is fine');
  t.same(screenAttributes('msTemperatureMeasurement', { measuredValue: -4000 }).rejected, [], '-40 °C is fine');
});

t.test('NaN where a sentinel is known gets the sentinel reason (herdsman decodes 0xffff as NaN)', async (t) => {
  t.same(screenAttributes('msRelativeHumidity', { measuredValue: Number.NaN }).rejected, [
    { key: 'measuredValue', reason: 'humidity 0xffff (invalid measurement)' },
  ]);
});

t.test('NaN and Infinity attributes are refused on any cluster', async (t) => {
  const { accepted, rejected } = screenAttributes('genAnalogInput', { presentValue: Number.NaN, description: 'x' });
  t.same(accepted, { description: 'x' });
  t.match(rejected[0]!.reason, /NaN/);
  t.equal(screenAttributes('genAnalogInput', { presentValue: Infinity }).rejected.length, 1);
});

t.test('converted state outside plausible ranges is refused key by key', async (t) => {
  const { accepted, rejected } = screenState({
    temperature: -327.68,
    humidity: 140,
    battery: 101,
    pressure: 1013,
    contact: true,
    action: 'single',
  });
  t.same(accepted, { pressure: 1013, contact: true, action: 'single' });
  t.same(rejected.map((r) => r.key).sort(), ['battery', 'humidity', 'temperature']);
  t.match(rejected.find((r) => r.key === 'humidity')!.reason, /humidity 140 is above 100/);
  t.match(rejected.find((r) => r.key === 'temperature')!.reason, /sentinel/);
});

t.test('non-finite numbers are refused for any key, boundaries are accepted', async (t) => {
  t.equal(screenState({ power: Number.POSITIVE_INFINITY }).rejected.length, 1);
  t.equal(screenState({ power: Number.NaN }).rejected.length, 1);
  t.same(screenState({ humidity: 0, battery: 100, temperature: -40, power: -12.5 }).rejected, []);
});

t.test('electrical values: physical limits where the definition gives no range', async (t) => {
  const { accepted, rejected } = screenState({ power: 1e30, energy: -3, voltage: 231.5, current: 2000, state: 'ON' });
  t.same(accepted, { voltage: 231.5, state: 'ON' });
  t.same(rejected, [
    { key: 'power', reason: 'power 1e+30 is above 100000' },
    { key: 'energy', reason: 'energy -3 is below 0' },
    { key: 'current', reason: 'current 2000 is above 1000' },
  ]);
  t.same(screenState({ power: -5000 }).rejected, [{ key: 'power', reason: 'power -5000 is below -100' }]);
  t.same(screenState({ power: 2300.5, energy: 12.34, voltage: 3005 }).rejected, [], 'ordinary readings (and battery mV as voltage) pass');
});

t.test("the definition's expose range is the rule for that key on that device, the physical rule for the sides it leaves open", async (t) => {
  const ranges = new Map([
    ['power', { min: -10_000 }],
    ['battery', { min: 0, max: 100 }],
    ['co2', { max: 5_000 }],
  ]);
  t.same(screenState({ power: -5000 }, undefined, ranges).rejected, [], 'a meter that exports may report negative power');
  t.same(screenState({ power: -20_000 }, undefined, ranges).rejected, [{ key: 'power', reason: "power -20000 is below the device's range -10000" }]);
  t.same(screenState({ power: 1e30 }, undefined, ranges).rejected, [{ key: 'power', reason: 'power 1e+30 is above 100000' }], 'no max in the expose: the physical one');
  t.same(screenState({ co2: 6_000 }, undefined, ranges).rejected, [{ key: 'co2', reason: "co2 6000 is above the device's range 5000" }]);
  t.same(screenState({ power: Number.NaN }, undefined, ranges).rejected, [{ key: 'power', reason: 'power is NaN' }]);
});

t.test('state of the wrong shape: overlong text, huge structures, values JSON cannot hold', async (t) => {
  const big = Array.from({ length: 2000 }, (_, i) => i);
  const { accepted, rejected } = screenState({
    action: 'single',
    color: { x: 0.3, y: 0.3 },
    version: 'x'.repeat(300),
    schedule: big,
    counter: 10n,
    nested: { n: 10n },
  });
  t.same(accepted, { action: 'single', color: { x: 0.3, y: 0.3 } });
  t.same(rejected.map((r) => r.key), ['version', 'schedule', 'counter', 'nested']);
  t.match(rejected[0]!.reason, /version is text of 300 characters \(at most 256\)/);
  t.match(rejected[1]!.reason, /schedule is \d+ bytes of JSON \(at most 4096\)/);
  t.equal(rejected[2]!.reason, 'counter is a bigint, not a JSON value');
  t.match(rejected[3]!.reason, /nested cannot be stored as JSON/);
});
