// Devices leave: asked to (remove), dropped when gone (force), or by themselves; devices()
// follows; a removed device can pair again. ping tells whether a mains device answers.
import t from 'tap';
import { catalogueDevice } from '../../scripts/virtual-coordinator/devices/catalogue.js';
import { joinDevice, nextEvent, recordEvents, startFixture, tempDir } from './network-fixture.js';

t.test('remove, force remove, leave by itself, re-pair, ping', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  const { network, coordinator: vc } = fixture;
  const plug = (await joinDevice(fixture, 'aqara-plug')).ieee;
  const bulb = (await joinDevice(fixture, 'ikea-bulb')).ieee;
  const door = (await joinDevice(fixture, 'aqara-door')).ieee;
  const weather = (await joinDevice(fixture, 'aqara-weather')).ieee;
  const listed = () => network.devices().map((d) => d.ieee).sort();
  const onRadio = () => vc.devices().map((d) => d.ieee);

  t.test('ping: a mains device that answers, and one whose frames are not delivered', async (t) => {
    t.equal(await network.ping(bulb), true);
    vc.fault({ type: 'dataConfirm', ieee: bulb, status: 0xe9, count: 1 });
    t.equal(await network.ping(bulb), false, 'MAC no-ack: not available');
    t.equal(await network.ping(bulb), true, 'answers again');
    await t.rejects(network.ping('0x00124b00ffffffff'), { code: 'unknown_device' });
  });

  t.test('remove: the plug is asked to leave and forgotten', async (t) => {
    const lefts = recordEvents(network, 'device_left');
    const left = nextEvent(network, 'device_left', (e) => e.ieee === plug);
    await network.remove(plug);
    t.same(await left, { ieee: plug, reason: 'removed' });
    // The plug also announced its leave; that is the same departure, not a second one.
    t.same(lefts, [{ ieee: plug, reason: 'removed' }], 'one device_left for one removal');
    t.notOk(onRadio().includes(plug), 'the plug left the radio network');
    t.notOk(listed().includes(plug), 'devices() no longer lists it');
    await t.rejects(network.setState(plug, { state: 'ON' }), { code: 'unknown_device' });
  });

  t.test('a removed device can pair again', async (t) => {
    const again = await joinDevice(fixture, catalogueDevice('aqara-plug', { ieee: plug }));
    t.equal(again.ieee, plug);
    t.match(again, { status: 'successful', description: { model: 'ZNCZ02LM' } });
    t.ok(listed().includes(plug));
  });

  t.test('a device that does not answer the leave request: clear error, then force', async (t) => {
    vc.fault({ type: 'silent', ieee: door });
    await t.rejects(network.remove(door), { code: 'device_error', message: /did not confirm the leave request.*force/ });
    t.ok(listed().includes(door), 'still known after the failed leave');
    const left = nextEvent(network, 'device_left', (e) => e.ieee === door);
    await network.remove(door, { force: true });
    t.same(await left, { ieee: door, reason: 'force_removed' });
    t.notOk(listed().includes(door), 'forgotten');
    t.ok(onRadio().includes(door), 'nothing was sent: the door itself never heard of it');
  });

  t.test('a device that leaves by itself', async (t) => {
    const left = nextEvent(network, 'device_left', (e) => e.ieee === weather);
    vc.leave(weather);
    t.same(await left, { ieee: weather, reason: 'left' });
    t.notOk(listed().includes(weather));
    t.same(listed(), [bulb, plug].sort(), 'devices() is exactly what herdsman still knows');
  });

  t.test('removing an unknown device is a clear error', async (t) => {
    await t.rejects(network.remove('0x00124b00ffffffff'), { code: 'unknown_device' });
    await t.rejects(network.remove(weather, { force: true }), { code: 'unknown_device' }, 'gone already');
  });
});
