// The wider catalogue through the whole product, on one daemon (a real process): each device is
// interviewed to its real model, its state reaches the cloud under the converters' names, and each
// settable key tried here is set by a cloud command: the simulated device changes, and what it
// reports back (or what the converter says it set) reaches the cloud. Devices that act on their
// own (a leak, a hand on the lock) report through the same path.
import t from 'tap';
import type { DeviceState } from '../../daemon/domain/events.js';
import type { SimulatedDevice } from '../../scripts/virtual-coordinator/devices/simulated-device.js';
import type { StoredEvent } from '../../scripts/reference-cloud/event-store.js';
import { GATEWAY, joinDevices, startStack, type Stack } from './stack.js';

/** An attribute of the simulated device: endpoint, cluster, attribute id, and the value it must hold. */
type DeviceValue = [endpoint: number, cluster: number, attribute: number, value: unknown];

interface Step {
  /** A cloud set_state command ... */
  set?: DeviceState;
  /** ... or something the device does by itself (a catalogue action, or new measured values). */
  act?: (device: SimulatedDevice) => void;
  /** Keys and values that must reach the cloud in a state_changed naming them as changed. */
  expect: DeviceState;
  /** What the simulated device holds afterwards. */
  device?: DeviceValue[];
}

interface CatalogueCase {
  id: string;
  model: string;
  /** Keys the device reports after its interview, answering its configure's reads. */
  reported: string[];
  steps: Step[];
}

const ON_OFF = 0x0006;
const LEVEL = 0x0008;
const COLOR = 0x0300;
const COVERING = 0x0102;
const LOCK = 0x0101;
const THERMOSTAT = 0x0201;
const UI_CONFIG = 0x0204;
const METERING = 0x0702;
const ELECTRICAL = 0x0b04;
const TUYA = 0xef00;

const cases: CatalogueCase[] = [
  {
    id: 'ikea-blind',
    model: 'E1757',
    reported: ['position', 'battery'],
    steps: [
      // position 100 = open; the blind's lift percentage counts the other way (100 = closed).
      { set: { position: 40 }, expect: { position: 40 }, device: [[1, COVERING, 0x0008, 60]] },
      { set: { state: 'OPEN' }, expect: { position: 100 }, device: [[1, COVERING, 0x0008, 0]] },
      { set: { state: 'CLOSE' }, expect: { position: 0, state: 'CLOSE' }, device: [[1, COVERING, 0x0008, 100]] },
    ],
  },
  {
    id: 'aqara-leak',
    model: 'SJCGQ11LM',
    reported: [],
    steps: [
      { act: (d) => d.press('leak'), expect: { water_leak: true, battery_low: false } },
      { act: (d) => d.press('dry'), expect: { water_leak: false } },
      { act: (d) => d.report(1, 0x0000), expect: { voltage: 3005, battery: 100 } },
    ],
  },
  {
    id: 'hue-color-bulb',
    model: '9290012573A',
    reported: [],
    steps: [
      { set: { color: { x: 0.2, y: 0.3 } }, expect: { color_mode: 'xy', color: { x: 0.2, y: 0.3 } }, device: [[11, COLOR, 0x0003, 13107], [11, COLOR, 0x0004, 19661]] },
      {
        set: { color: { hue: 120, saturation: 80 } },
        expect: { color_mode: 'hs', color: { hue: 120, saturation: 80 } },
        device: [[11, COLOR, 0x4000, Math.round((120 * 65535) / 360)], [11, COLOR, 0x0001, Math.round((80 * 254) / 100)]],
      },
      { set: { color_temp: 250 }, expect: { color_mode: 'color_temp', color_temp: 250 }, device: [[11, COLOR, 0x0007, 250]] },
      { set: { brightness: 100 }, expect: { brightness: 100 }, device: [[11, LEVEL, 0x0000, 100]] },
      { set: { state: 'OFF' }, expect: { state: 'OFF' }, device: [[11, ON_OFF, 0x0000, false]] },
      { set: { power_on_behavior: 'previous' }, expect: { power_on_behavior: 'previous' }, device: [[11, ON_OFF, 0x4003, 0xff]] },
      { set: { color_temp_startup: 300 }, expect: { color_temp_startup: 300 }, device: [[11, COLOR, 0x4010, 300]] },
    ],
  },
  {
    id: 'innr-plug',
    model: 'OSP 240',
    reported: ['state', 'power', 'voltage', 'current', 'energy'],
    steps: [
      { set: { state: 'ON' }, expect: { state: 'ON' }, device: [[1, ON_OFF, 0x0000, true]] },
      { set: { power_on_behavior: 'on' }, expect: { power_on_behavior: 'on' }, device: [[1, ON_OFF, 0x4003, 1]] },
      // Scaled by the divisors the plug reported at configure: power 0.1 W, current mA, energy 0.01 kWh.
      { act: (d) => d.set(1, ELECTRICAL, { 0x050b: 1234, 0x0508: 5350, 0x0505: 231 }), expect: { power: 123.4, current: 5.35, voltage: 231 } },
      { act: (d) => d.set(1, METERING, { 0x0000: 20000n }), expect: { energy: 200 } },
    ],
  },
  {
    id: 'danfoss-ally',
    model: '014G2461',
    reported: ['local_temperature', 'occupied_heating_setpoint', 'system_mode', 'battery'],
    steps: [
      { set: { occupied_heating_setpoint: 19.5 }, expect: { occupied_heating_setpoint: 19.5 }, device: [[1, THERMOSTAT, 0x0012, 1950]] },
      { set: { occupied_heating_setpoint_scheduled: 22 }, expect: { occupied_heating_setpoint: 22 }, device: [[1, THERMOSTAT, 0x0012, 2200]] },
      { act: (d) => d.set(1, THERMOSTAT, { 0x0000: 1875 }), expect: { local_temperature: 18.75 } },
      { set: { max_heat_setpoint_limit: 30 }, expect: { max_heat_setpoint_limit: 30 }, device: [[1, THERMOSTAT, 0x0016, 3000]] },
      { set: { keypad_lockout: 'lock' }, expect: { keypad_lockout: 'lock' }, device: [[1, UI_CONFIG, 0x0001, 1]] },
      { set: { programming_operation_mode: 'schedule' }, expect: { programming_operation_mode: 'schedule' }, device: [[1, THERMOSTAT, 0x0025, 1]] },
      { set: { window_open_external: true }, expect: { window_open_external: true }, device: [[1, THERMOSTAT, 0x4003, true]] },
      { set: { radiator_covered: true }, expect: { radiator_covered: true }, device: [[1, THERMOSTAT, 0x4016, true]] },
      { set: { external_measured_room_sensor: 2000 }, expect: { external_measured_room_sensor: 2000 }, device: [[1, THERMOSTAT, 0x4015, 2000]] },
      { set: { mounted_mode_control: true }, expect: { mounted_mode_control: true }, device: [[1, THERMOSTAT, 0x4013, true]] },
      { set: { thermostat_orientation: 'vertical' }, expect: { thermostat_orientation: 'vertical' }, device: [[1, THERMOSTAT, 0x4014, true]] },
      { set: { viewing_direction: 'upside-down' }, expect: { viewing_direction: 'upside-down' }, device: [[1, UI_CONFIG, 0x4000, 1]] },
      { set: { heat_available: true }, expect: { heat_available: true }, device: [[1, THERMOSTAT, 0x4030, true]] },
      { set: { load_balancing_enable: true }, expect: { load_balancing_enable: true }, device: [[1, THERMOSTAT, 0x4032, true]] },
      { set: { window_open_feature: false }, expect: { window_open_feature: false }, device: [[1, THERMOSTAT, 0x4051, false]] },
      { set: { algorithm_scale_factor: 5 }, expect: { algorithm_scale_factor: 5 }, device: [[1, THERMOSTAT, 0x4020, 5]] },
      { set: { day_of_week: 'monday' }, expect: { day_of_week: 'monday' }, device: [[1, THERMOSTAT, 0x4010, 1]] },
      { set: { load_room_mean: 1900 }, expect: { load_room_mean: 1900 }, device: [[1, THERMOSTAT, 0x4040, 1900]] },
      { set: { adaptation_run_settings: false }, expect: { adaptation_run_settings: false }, device: [[1, THERMOSTAT, 0x404e, 0]] },
      { set: { adaptation_run_control: 'cancel_adaptation' }, expect: { adaptation_run_control: 'cancel_adaptation' }, device: [[1, THERMOSTAT, 0x404c, 2]] },
      { set: { regulation_setpoint_offset: 1.5 }, expect: { regulation_setpoint_offset: 1.5 }, device: [[1, THERMOSTAT, 0x404b, 15]] },
    ],
  },
  {
    id: 'yale-lock',
    model: 'YRD256HA20BP',
    reported: [],
    steps: [
      { set: { state: 'UNLOCK' }, expect: { state: 'UNLOCK', lock_state: 'unlocked', action: 'unlock', action_source_name: 'rf' }, device: [[1, LOCK, 0x0000, 2]] },
      { set: { state: 'LOCK' }, expect: { state: 'LOCK', lock_state: 'locked', action: 'lock' }, device: [[1, LOCK, 0x0000, 1]] },
      { act: (d) => d.press('manual_unlock'), expect: { state: 'UNLOCK', action: 'manual_unlock', action_source_name: 'manual' } },
      { set: { auto_relock_time: 60 }, expect: { auto_relock_time: 60 }, device: [[1, LOCK, 0x0023, 60]] },
      { set: { sound_volume: 'high_volume' }, expect: { sound_volume: 'high_volume' }, device: [[1, LOCK, 0x0024, 2]] },
      { set: { pin_code: { user: 1, pin_code: 1234 } }, expect: { action: 'pin_code_added', action_user: 1, action_source_name: 'rf' } },
      { set: { pin_code: { user: 1, pin_code: 5678 } }, expect: { action: 'pin_code_changed' } },
    ],
  },
  {
    id: 'tuya-blind-motor',
    model: 'AM43-0.45/40-ES-EB', // TS0601_cover_4, under its white label for _TZE200_zah67ekd
    reported: [],
    steps: [
      { set: { position: 60 }, expect: { position: 60 }, device: [[1, TUYA, 3, 60]] },
      { set: { state: 'CLOSE' }, expect: { position: 0, state: 'CLOSE' }, device: [[1, TUYA, 3, 0]] },
      { set: { motor_speed: 80 }, expect: { motor_speed: 80 }, device: [[1, TUYA, 105, 80]] },
      { set: { opening_mode: 'tilt' }, expect: { opening_mode: 'tilt' }, device: [[1, TUYA, 101, 0]] },
      { set: { motor_direction: 'reversed' }, expect: { motor_direction: 'reversed' }, device: [[1, TUYA, 5, 1]] },
    ],
  },
];

const lastSeq = (stack: Stack) => stack.cloud.events(GATEWAY).at(-1)?.seq ?? 0;

/** Whether `actual` holds every field of `expected` (numbers to 2 decimals: converters round). */
function holds(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') return Math.abs(actual - expected) < 0.01;
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object') return false;
    return Object.entries(expected).every(([k, v]) => holds((actual as Record<string, unknown>)[k], v));
  }
  return actual === expected;
}

/** The first state_changed of the device after `afterSeq` that passes `accept`. */
function stateAtCloud(stack: Stack, ieee: string, afterSeq: number, accept: (state: DeviceState, changed: string[]) => boolean): Promise<StoredEvent> {
  return stack.waitForCloud(
    (e) => e.seq > afterSeq && e.event.kind === 'state_changed' && e.event.ieee === ieee && accept(e.event.state, e.event.changed),
    30_000,
  );
}

t.test('the wider catalogue end to end: real models, state under the converters\' names, every key tried set by a cloud command', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.stop());
  const ieees = await joinDevices(stack, cases.map((c) => c.id).filter((id) => !process.env.CATALOGUE_ONLY || process.env.CATALOGUE_ONLY.split(',').includes(id)));

  for (const c of cases) {
    if (process.env.CATALOGUE_ONLY && !process.env.CATALOGUE_ONLY.split(',').includes(c.id)) continue;
    await t.test(c.id, async (t) => {
      const ieee = ieees.get(c.id)!;
      const device = stack.coordinator.device(ieee) as SimulatedDevice;
      t.same(stack.query<{ model: string }>('SELECT model FROM devices WHERE ieee = ?', ieee), [{ model: c.model }], `interviewed as ${c.model}`);
      for (const key of c.reported) {
        await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === ieee && key in e.event.state, 30_000);
      }
      if (c.reported.length > 0) t.pass(`reported ${c.reported.join(', ')}`);

      for (const step of c.steps) {
        const what = step.set ? `set ${JSON.stringify(step.set)}` : `device acts, reports ${Object.keys(step.expect).join(', ')}`;
        const mark = lastSeq(stack);
        const arrivals = Object.entries(step.expect).map(([key, value]) =>
          stateAtCloud(stack, ieee, mark, (state, changed) => changed.includes(key) && holds(state[key], value)),
        );
        // A motor reports where it is going at once, and where it is when it gets there: the
        // step is done with a report sent once the device holds what it should.
        const settled = () => (step.device ?? []).every(([ep, cluster, attr, value]) => holds(device.get(ep, cluster, attr), value));
        arrivals.push(stateAtCloud(stack, ieee, mark, settled));
        if (step.set) {
          const result = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_state', ieee, state: step.set }, 30_000);
          t.ok(result.ok, `${what}: command ok${result.error ? ` (${result.error})` : ''}`);
        } else {
          step.act!(device);
        }
        await Promise.all(arrivals);
        t.pass(`${what}: the cloud has ${JSON.stringify(step.expect)}`);
        for (const [ep, cluster, attr, value] of step.device ?? []) {
          t.ok(holds(device.get(ep, cluster, attr), value), `device holds 0x${cluster.toString(16)}/0x${attr.toString(16)} = ${String(value)}`);
        }
      }
    });
  }

  // Both blinds are closed now. Opened, then stopped as soon as they report moving: they stop
  // half-way, and the cloud's position is where the motor stopped.
  const stopHalfWay: Array<[string, (d: SimulatedDevice) => number]> = [
    ['ikea-blind', (d) => 100 - Number(d.get(1, COVERING, 0x0008))],
    ['tuya-blind-motor', (d) => Number(d.get(1, TUYA, 3))],
  ];
  for (const [id, positionOf] of stopHalfWay) {
    if (!ieees.has(id)) continue;
    await t.test(`${id}: STOP half-way`, async (t) => {
      const ieee = ieees.get(id)!;
      const device = stack.coordinator.device(ieee) as SimulatedDevice;
      const mark = lastSeq(stack);
      const moving = stateAtCloud(stack, ieee, mark, (state) => Number(state.position) > 0);
      t.ok((await stack.cloud.sendCommand(GATEWAY, { kind: 'set_state', ieee, state: { state: 'OPEN' } }, 30_000)).ok, 'OPEN ok');
      await moving;
      const result = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_state', ieee, state: { state: 'STOP' } }, 30_000);
      t.ok(result.ok, `STOP ok${result.error ? ` (${result.error})` : ''}`);
      const stoppedAt = positionOf(device);
      t.ok(stoppedAt > 0 && stoppedAt < 100, `stopped half-way, at ${stoppedAt}`);
      await stateAtCloud(stack, ieee, mark, (state) => state.position === positionOf(device));
      t.equal(positionOf(device), stoppedAt, 'and stays there');
    });
  }

  await t.test('nothing the devices sent was refused, and none is quarantined', async (t) => {
    const ours = new Set(ieees.values());
    t.same(stack.daemon.lines.filter((l) => l.msg === 'rejected input from device' && ours.has(String(l.ieee))), [], 'no rejected input');
    t.same(stack.query('SELECT ieee FROM devices WHERE quarantine_reason IS NOT NULL'), [], 'no quarantine');
  });
});
