// A sleepy device whose configure fails is configured again when it next speaks (it only
// listens right after sending), and the success is recorded once.
import t from 'tap';
import { joinDevice, nextEvent, recordEvents, startFixture, tempDir } from './network-fixture.js';
import { sleepyGadget } from './test-devices.js';

t.test('configure of a sleepy device is retried on its next message', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  const { network, coordinator: vc } = fixture;
  const configured = recordEvents(network, 'device_configured');

  // The moment its interview ends, frames to the device stop being delivered (MAC no-ack):
  // the configure that follows (bind + reporting of the generic definition) fails.
  const stopDelivery = network.on('device_interview', (e) => {
    if (e.status === 'successful') vc.fault({ type: 'dataConfirm', ieee: e.ieee, status: 0xe9, count: 50 });
  });
  const failed = nextEvent(network, 'device_configured', (e) => !e.ok);
  const sensor = await joinDevice(fixture, sleepyGadget());
  stopDelivery();
  t.match(await failed, { ieee: sensor.ieee, ok: false, attempt: 1 });
  t.equal(sensor.description.type, 'EndDevice');

  // The device is reachable again; nothing retries until it speaks: then it is configured.
  vc.fault({ type: 'clear', ieee: sensor.ieee });
  const ok = nextEvent(network, 'device_configured', (e) => e.ok);
  vc.set(sensor.ieee, 1, 'msTemperatureMeasurement', { measuredValue: 2000 });
  t.match(await ok, { ieee: sensor.ieee, ok: true, attempt: 2 });
  const node = vc.network.byIeee(sensor.ieee)!;
  t.ok(node.bindings.some((b) => b.clusterId === 0x0402), 'temperature bound to the coordinator');

  // Configured is recorded: further messages do not configure again.
  const next = nextEvent(network, 'state', (e) => e.ieee === sensor.ieee && e.state.temperature === 21);
  vc.set(sensor.ieee, 1, 'msTemperatureMeasurement', { measuredValue: 2100 });
  await next;
  t.same(configured.map((e) => [e.ok, e.attempt]), [[false, 1], [true, 2]], 'exactly one failure and one success');
  t.match(network.stats(), { deviceFailuresByStage: { configure: 1 }, quarantined: 0 }, "the failed attempt counted against the device, which is not quarantined for it");
});
