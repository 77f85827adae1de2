// Per-device options through the whole product: a cloud set_device_options command, checked
// against the definition's options, stored in SQLite, and applied by the converters to the
// device's next report (a temperature calibration shifts the reported temperature).
import t from 'tap';
import { GATEWAY, joinDevices, startStack } from './stack.js';

t.test('a calibration option shifts a reported temperature; bad options are refused', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.stop());
  const weather = (await joinDevices(stack, ['aqara-weather'])).get('aqara-weather')!;
  const temperature = async (raw: number) => {
    stack.coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: raw });
    const event = await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === weather && e.event.state.temperature !== undefined && e.seq > lastSeq);
    lastSeq = event.seq;
    return event.event.kind === 'state_changed' ? event.event.state.temperature : undefined;
  };
  let lastSeq = 0;
  t.equal(await temperature(2150), 21.5, 'uncalibrated');

  const set = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_options', ieee: weather, options: { temperature_calibration: -1.5, temperature_precision: 1 } }, 30_000);
  t.ok(set.ok, `command ok (${set.error ?? ''})`);
  t.same(set.state, { temperature_calibration: -1.5, temperature_precision: 1 }, 'the result holds the options now in force');
  t.same(
    stack.query<{ options: string }>('SELECT options FROM devices WHERE ieee = ?', weather).map((r) => JSON.parse(r.options)),
    [{ temperature_calibration: -1.5, temperature_precision: 1 }],
    'stored in SQLite',
  );
  t.equal(await temperature(2234), 20.8, 'calibrated by -1.5 and rounded to one decimal (22.34 - 1.5)');

  const unknown = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_options', ieee: weather, options: { temprature_calibration: 1 } }, 30_000);
  t.notOk(unknown.ok);
  t.match(unknown.error, /WSDCGQ11LM has no option 'temprature_calibration' \(options: .*temperature_calibration/);
  const wrongType = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_options', ieee: weather, options: { temperature_calibration: 'warm' } }, 30_000);
  t.notOk(wrongType.ok);
  t.match(wrongType.error, /'temperature_calibration' must be a number/);

  const removed = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_options', ieee: weather, options: { temperature_calibration: null } }, 30_000);
  t.same(removed.state, { temperature_precision: 1 }, 'null removes an option');
  t.equal(await temperature(2250), 22.5, 'uncalibrated again');
});
