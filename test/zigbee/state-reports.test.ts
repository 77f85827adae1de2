// What devices report becomes named state through the converters' fromZigbee: measurements,
// contact, occupancy, power, button actions and the battery from Xiaomi's 0xFF01 struct,
// each with a `seen` sign of life stamped by our clock.
import t from 'tap';
import type { DeviceState } from '../../daemon/domain/events.js';
import { type Fixture, joinDevice, nextEvent, startFixture, tempDir } from './network-fixture.js';

const NOW = 1_750_000_000_000;

/** Waits for the device's next state that has `key`, after running `act`. */
async function stateAfter(fixture: Fixture, ieee: string, key: string, act: () => void): Promise<{ state: DeviceState; linkquality?: number }> {
  const event = nextEvent(fixture.network, 'state', (e) => e.ieee === ieee && key in e.state);
  act();
  return await event;
}

t.test('device reports convert to state', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t), network: { clock: { now: () => NOW } } });
  const { coordinator: vc } = fixture;
  const ieee: Record<string, string> = {};
  for (const id of ['aqara-weather', 'aqara-door', 'aqara-motion', 'aqara-plug', 'aqara-switch']) {
    ieee[id] = (await joinDevice(fixture, id)).ieee;
  }

  t.test('weather: temperature, humidity, pressure, and the battery from the 0xFF01 struct', async (t) => {
    const weather = ieee['aqara-weather']!;
    const seen = nextEvent(fixture.network, 'seen', (e) => e.ieee === weather);
    const temperature = await stateAfter(fixture, weather, 'temperature', () => vc.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: 2150 }));
    t.same(temperature.state, { temperature: 21.5 }, '2150 on msTemperatureMeasurement is 21.5 °C');
    t.ok(temperature.linkquality! > 0, 'the link quality travels with the state');
    t.match(await seen, { ieee: weather, at: NOW, linkquality: temperature.linkquality }, 'seen, stamped by our clock');

    t.match((await stateAfter(fixture, weather, 'humidity', () => vc.set(weather, 1, 'msRelativeHumidity', { measuredValue: 5012 }))).state, { humidity: 50.12 });
    t.match((await stateAfter(fixture, weather, 'pressure', () => vc.set(weather, 1, 'msPressureMeasurement', { measuredValue: 1002, scale: -1, scaledValue: 10021 }))).state, { pressure: 1002.1 });
    const struct = await stateAfter(fixture, weather, 'battery', () => vc.report(weather, 1, 'genBasic', [0xff01]));
    t.match(struct.state, { voltage: 3005, battery: 100, temperature: 21.5, humidity: 50.12 }, 'battery and voltage from the struct');
  });

  t.test('door: open and close become contact', async (t) => {
    const door = ieee['aqara-door']!;
    t.match((await stateAfter(fixture, door, 'contact', () => vc.press(door, 'open'))).state, { contact: false });
    t.match((await stateAfter(fixture, door, 'contact', () => vc.press(door, 'close'))).state, { contact: true });
  });

  t.test('motion: occupancy and illuminance', async (t) => {
    const motion = ieee['aqara-motion']!;
    t.match((await stateAfter(fixture, motion, 'occupancy', () => vc.press(motion, 'motion'))).state, { occupancy: true });
    t.match((await stateAfter(fixture, motion, 'illuminance', () => vc.set(motion, 1, 'msIlluminanceMeasurement', { measuredValue: 120 }))).state, { illuminance: 120 });
  });

  t.test('plug: relay state and power', async (t) => {
    const plug = ieee['aqara-plug']!;
    t.match((await stateAfter(fixture, plug, 'power', () => vc.set(plug, 2, 'genAnalogInput', { presentValue: 57.5 }))).state, { power: 57.5 });
    t.match((await stateAfter(fixture, plug, 'state', () => vc.set(plug, 1, 'genOnOff', { onOff: true }))).state, { state: 'ON' });
  });

  t.test('mini switch: each press is an action, in order', async (t) => {
    const button = ieee['aqara-switch']!;
    const actions: unknown[] = [];
    for (const press of ['single', 'double', 'hold', 'release']) {
      actions.push((await stateAfter(fixture, button, 'action', () => vc.press(button, press))).state.action);
    }
    t.same(actions, ['single', 'double', 'hold', 'release']);
  });

  t.test('counters', async (t) => {
    const stats = fixture.network.stats();
    t.ok(stats.messages >= 12, `messages counted (${stats.messages})`);
    t.ok(stats.states >= 12, `states counted (${stats.states})`);
    t.equal(stats.rejected, 0, 'good input was not rejected');
  });
});
