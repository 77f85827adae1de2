// The crash loop, end to end with the daemon as a real process: a device whose
// manufacturerName is a uint16, already in herdsman's database as a number (as herdsman saved
// it), used to stop the daemon at its first frame after every start (herdsman's
// Device.onZclData calls manufacturerName.startsWith). Now:
//  - every start is clean and the device keeps working (its name is kept as text);
//  - when the last run died while handling the device (the crash marker its crash handler
//    writes, see test/ops/process-lifecycle.test.ts), the next start quarantines it, and five
//    starts in a row are clean with the device listed as quarantined and the others reporting;
//  - a re-interview from the cloud takes it out of quarantine.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { oddTypedGadget } from '../zigbee/test-devices.js';
import { setHerdsmanDeviceField } from '../zigbee/herdsman-database.js';
import { GATEWAY, joinDevices, startStack, type Stack } from './stack.js';

const WAIT_MS = 60_000;

interface QuarantineRow {
  ieee: string;
  quarantine_reason: string | null;
  quarantine_stage: string | null;
}

t.test('a device with a numeric manufacturerName in herdsman\'s database: clean starts, quarantine after a crash, re-interview clears it', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.stop());
  const weather = (await joinDevices(stack, ['aqara-weather'])).get('aqara-weather')!;
  const odd = stack.coordinator.join(oddTypedGadget('manufacturerName')).ieee;
  await stack.waitForCloud((e) => e.event.kind === 'device_interview' && e.event.ieee === odd && e.event.status === 'successful', WAIT_MS);
  const herdsmanDir = path.join(stack.dir, 'data', 'herdsman');
  let temperature = 2000;

  /** A report from each device; resolves when the weather sensor's reached the cloud. */
  const reportBoth = async (): Promise<number> => {
    const centi = ++temperature;
    stack.coordinator.set(odd, 1, 'msTemperatureMeasurement', { measuredValue: centi });
    stack.coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: centi });
    await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === weather && e.event.state.temperature === centi / 100, WAIT_MS);
    return centi;
  };
  const oddStates = () => stack.cloud.events(GATEWAY).filter((e) => e.event.kind === 'state_changed' && e.event.ieee === odd);
  const restartWithOddDeviceInHerdsman = async () => {
    t.equal((await stack.daemon.stop()).code, 0, 'the daemon stopped cleanly');
    setHerdsmanDeviceField(herdsmanDir, odd, 'manufName', 0x1234);
    await stack.restartDaemon();
  };

  await t.test('without a crash marker: every start is clean and the device keeps reporting', async (t) => {
    for (let start = 1; start <= 2; start++) {
      await restartWithOddDeviceInHerdsman();
      const centi = await reportBoth();
      await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === odd && e.event.state.temperature === centi / 100, WAIT_MS);
      t.pass(`start ${start}: both devices report`);
    }
    t.notOk(stack.daemon.lines.some((l) => /shutting down/.test(String(l.msg))), 'no crash');
  });

  await t.test('after a crash inside its handling: quarantined at the next start, five clean starts', async (t) => {
    t.equal((await stack.daemon.stop()).code, 0);
    // What the crash handler wrote when the hub died on this device's frame.
    const marker = { ieee: odd, stage: 'message', error: 'this.manufacturerName?.startsWith is not a function', at: Date.now() };
    fs.writeFileSync(path.join(stack.dir, 'data', 'crash-marker.json'), JSON.stringify(marker));
    setHerdsmanDeviceField(herdsmanDir, odd, 'manufName', 0x1234);
    await stack.restartDaemon();
    const event = await stack.waitForCloud((e) => e.event.kind === 'device_quarantined' && e.event.ieee === odd, WAIT_MS);
    t.match(event.event, { stage: 'message', reason: /the hub stopped while handling it: this.manufacturerName/ }, 'the cloud heard why and where');
    t.notOk(fs.existsSync(path.join(stack.dir, 'data', 'crash-marker.json')), 'the marker acts once');
    const oddStatesBefore = oddStates().length;

    for (let start = 1; start <= 5; start++) {
      if (start > 1) await restartWithOddDeviceInHerdsman();
      await reportBoth();
      t.match(quarantineOf(stack, odd), { quarantine_stage: 'message', quarantine_reason: /the hub stopped while handling it/ }, `start ${start}: listed as quarantined`);
    }
    t.equal(oddStates().length, oddStatesBefore, "the quarantined device's reports were ignored");
    t.equal(stack.cloud.events(GATEWAY).filter((e) => e.event.kind === 'device_quarantined').length, 1, 'one device_quarantined event, not one per start');
    t.notOk(stack.daemon.lines.some((l) => /shutting down/.test(String(l.msg))), 'no crash');
  });

  await t.test('a re-interview from the cloud takes it out of quarantine', async (t) => {
    const result = await stack.cloud.sendCommand(GATEWAY, { kind: 'reinterview_device', ieee: odd }, WAIT_MS);
    t.equal(result.ok, true, `re-interview ok ${result.error ?? ''}`);
    t.match(quarantineOf(stack, odd), { quarantine_reason: null, quarantine_stage: null }, 'no longer quarantined');
    const centi = await reportBoth();
    await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === odd && e.event.state.temperature === centi / 100, WAIT_MS);
    t.pass('its reports become state again');
  });
});

function quarantineOf(stack: Stack, ieee: string): QuarantineRow | undefined {
  return stack.query<QuarantineRow>('SELECT ieee, quarantine_reason, quarantine_stage FROM devices WHERE ieee = ?', ieee)[0];
}
