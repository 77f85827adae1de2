// A device whose Basic cluster answers its identity with the wrong ZCL type (a uint16
// manufacturerName or modelId) is interviewed, shown with a string identity and keeps
// reporting; herdsman never trips over the number (it used to throw
// "this.manufacturerName?.startsWith is not a function" on the device's next frame, which
// escaped as an unhandled rejection and stopped the hub), also after a restart with the device
// already in herdsman's database.
import path from 'node:path';
import t from 'tap';
import { herdsmanDeviceEntry, setHerdsmanDeviceField } from './herdsman-database.js';
import { joinDevice, nextEvent, startFixture, tempDir } from './network-fixture.js';
import { oddTypedGadget } from './test-devices.js';

/** Unhandled rejections of this process while the test runs (the hub's crash cause). */
function recordUnhandledRejections(t: { teardown(fn: () => void): void }): unknown[] {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  t.teardown(() => process.removeListener('unhandledRejection', listener));
  return seen;
}

const messageOf = (reason: unknown) => (reason instanceof Error ? reason.message : String(reason));

t.test('a uint16 manufacturerName or modelId: normalised, reports still work, nothing escapes', async (t) => {
  const escaped = recordUnhandledRejections(t);
  const dataDir = tempDir(t);
  const nvStateFile = path.join(dataDir, 'vc-state.json');
  const fixture = await startFixture(t, { dataDir, coordinator: { nvStateFile } });
  const { network, coordinator: vc } = fixture;

  const byName = await joinDevice(fixture, oddTypedGadget('manufacturerName'));
  t.equal(byName.status, 'successful', 'the device with a numeric manufacturerName is interviewed');
  t.equal(byName.description.manufacturerName, '4660', 'its manufacturerName is shown as text (0x1234)');
  const byModel = await joinDevice(fixture, oddTypedGadget('modelId'));
  t.equal(byModel.status, 'successful', 'the device with a numeric modelId is interviewed');
  t.equal(byModel.description.modelId, '4660', 'its modelId is shown as text');

  // Two reports each, in order: the first one's frame handling inside herdsman has finished
  // when the second one's state arrives.
  for (const ieee of [byName.ieee, byModel.ieee]) {
    for (const centi of [2011, 2012]) {
      const state = nextEvent(network, 'state', (e) => e.ieee === ieee && e.state.temperature === centi / 100);
      vc.set(ieee, 1, 'msTemperatureMeasurement', { measuredValue: centi });
      await state;
    }
  }
  t.same(escaped.map(messageOf), [], 'no unhandled rejection from herdsman or the converters');
  t.same(fixture.log.lines.filter((l) => l.msg === 'zigbee event handling failed'), [], 'no event handling failed');
  await fixture.stop();

  // herdsman's database holds the device as herdsman saved it before our repair existed: a
  // number where text belongs. A restart must not trip over it.
  setHerdsmanDeviceField(dataDir, byName.ieee, 'manufName', 0x1234);
  const again = await startFixture(t, { dataDir, coordinator: { nvStateFile } });
  t.equal(again.result, 'resumed');
  t.match(again.network.devices().find((d) => d.ieee === byName.ieee), { manufacturerName: '4660', interview: 'successful' });
  for (const centi of [2111, 2112]) {
    const state = nextEvent(again.network, 'state', (e) => e.ieee === byName.ieee && e.state.temperature === centi / 100);
    again.coordinator.set(byName.ieee, 1, 'msTemperatureMeasurement', { measuredValue: centi });
    await state;
  }
  t.same(escaped.map(messageOf), [], 'still no unhandled rejection after the restart');
  t.equal(herdsmanDeviceEntry(dataDir, byName.ieee)?.manufName, '4660', "herdsman's database now holds it as text");
});
