// Bad input from devices is refused with a reason, counted and logged, never becomes state
// and never stops the network: the next good report from the same device still arrives.
import t, { type Test } from 'tap';
import type { ZigbeeNetworkEvents } from '../../daemon/zigbee/types.js';
import { joinDevice, nextEvent, recordEvents, startFixture, tempDir } from './network-fixture.js';
import { UNKNOWN_CLUSTER, unknownGadget } from './test-devices.js';

t.test('bad input is rejected with a reason and the network keeps working', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  const { network, coordinator: vc } = fixture;
  const weather = (await joinDevice(fixture, 'aqara-weather')).ieee;
  const gadget = (await joinDevice(fixture, unknownGadget())).ieee;
  const states = recordEvents(network, 'state');

  /**
   * Sends something bad, expects a rejection matching `reason`, then a good temperature
   * report whose state must arrive, with no state in between (messages of one device are
   * handled in order, so a state made from the bad input would have come first).
   */
  async function rejectsThenRecovers(t: Test, ieee: string, reason: RegExp, sendBad: () => void, goodCelsius: number) {
    const rejected = nextEvent(network, 'rejected', (e) => e.ieee === ieee);
    const from = states.length;
    sendBad();
    const event = await rejected;
    t.match(event.reason, reason);
    const good = nextEvent(network, 'state', (e) => e.ieee === ieee && 'temperature' in e.state);
    vc.set(ieee, 1, 'msTemperatureMeasurement', { measuredValue: Math.round(goodCelsius * 100) });
    t.same((await good).state, { temperature: goodCelsius }, 'the next good report still becomes state');
    t.same(states.slice(from).filter((s) => s.ieee === ieee).map((s) => s.state), [{ temperature: goodCelsius }], 'nothing from the bad input became state');
    return event;
  }

  t.test('0x8000 "invalid" temperature', async (t) => {
    const event = await rejectsThenRecovers(t, weather, /temperature 0x8000/, () => vc.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: -32768 }), 21.5);
    t.match(event, { cluster: 'msTemperatureMeasurement' });
  });

  t.test('humidity 0xffff and humidity above 100 %', async (t) => {
    await rejectsThenRecovers(t, weather, /humidity 0xffff/, () => vc.set(weather, 1, 'msRelativeHumidity', { measuredValue: 0xffff }), 21.6);
    await rejectsThenRecovers(t, weather, /humidity 140 is above 100/, () => vc.set(weather, 1, 'msRelativeHumidity', { measuredValue: 14000 }), 21.7);
  });

  t.test('a pressure the converter turns into NaN (scaled value without a known scale)', async (t) => {
    await rejectsThenRecovers(t, weather, /pressure is NaN/, () => vc.set(weather, 1, 'msPressureMeasurement', { scaledValue: 10021 }), 21.8);
  });

  t.test('a malformed ZCL frame', async (t) => {
    const event = await rejectsThenRecovers(t, weather, /malformed ZCL frame/, () => {
      vc.fault({ type: 'malformed', kind: 'zcl', ieee: weather, count: 1 });
      vc.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: 3000 });
    }, 21.9);
    t.match(event, { cluster: 'msTemperatureMeasurement' });
  });

  t.test('a report on a cluster nobody knows', async (t) => {
    const event = await rejectsThenRecovers(t, gadget, /unknown cluster/, () => vc.report(gadget, 1, UNKNOWN_CLUSTER, [1]), 19.5);
    t.match(event, { cluster: String(UNKNOWN_CLUSTER) });
  });

  t.test('noise and a bad checksum on the serial link', async (t) => {
    vc.fault({ type: 'malformed', kind: 'garbage' });
    vc.fault({ type: 'malformed', kind: 'badFcs' });
    const good = nextEvent(network, 'state', (e) => e.ieee === weather && 'temperature' in e.state);
    vc.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: 2250 });
    t.same((await good).state, { temperature: 22.5 }, 'herdsman skips the noise, the report arrives');
  });

  t.test('every rejection was counted and logged with device and reason', async (t) => {
    const stats = network.stats();
    t.equal(stats.rejected, 6);
    t.match(stats.rejectedByReason, {
      'temperature # (invalid measurement)': 1,
      'humidity # (invalid measurement)': 1,
      'humidity # is above #': 1,
      'pressure is NaN': 1,
      'malformed ZCL frame': 1,
      'unknown cluster #': 1,
    });
    const logged = fixture.log.lines.filter((l) => l.msg === 'rejected input from device');
    t.equal(logged.length, 6);
    t.match(logged[0]!.fields, { ieee: weather, model: 'WSDCGQ11LM', cluster: 'msTemperatureMeasurement', reason: /0x8000/ });
    const temperatures = states.flatMap((s: ZigbeeNetworkEvents['state']) => ('temperature' in s.state ? [s.state.temperature] : []));
    t.notOk(temperatures.includes(-327.68), 'no -327.68 °C anywhere');
  });
});
