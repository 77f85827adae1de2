// ZigbeeNetwork's surface refuses alike whatever part does the work behind it: before start and
// after stop every device call says `not_started`, an unknown device `unknown_device` naming
// it, a second start `invalid_options`; a stop is safe twice. (The parts were split out of the
// façade; these pin what callers see.)
import t from 'tap';
import { ZigbeeNetwork } from '../../daemon/zigbee/zigbee-network.js';
import { recordingLogger, startFixture, tempDir, TEST_CREDENTIALS } from './network-fixture.js';

const UNKNOWN = '0x00124b00ffffffff';

/** Every call that needs the running network, each as a promise (sync throws become rejections). */
function deviceCalls(network: ZigbeeNetwork, ieee: string): Record<string, () => Promise<unknown>> {
  return {
    setState: () => network.setState(ieee, { state: 'ON' }),
    readState: () => network.readState(ieee, ['state']),
    checkOptions: () => network.checkOptions(ieee, { transition: 1 }),
    remove: () => network.remove(ieee),
    forcedRemove: () => network.remove(ieee, { force: true }),
    reinterview: () => network.reinterview(ieee),
    reconfigure: () => network.reconfigure(ieee),
    exposes: () => network.exposes(ieee),
    refreshState: () => network.refreshState(ieee),
    ping: () => network.ping(ieee),
    permitJoinVia: () => network.permitJoin(60, ieee),
  };
}

function networkCalls(network: ZigbeeNetwork): Record<string, () => Promise<unknown>> {
  return {
    devices: async () => network.devices(),
    permitJoin: () => network.permitJoin(60),
    networkParameters: () => network.networkParameters(),
    coordinatorInfo: () => network.coordinatorInfo(),
    backupCoordinator: () => network.backupCoordinator(),
  };
}

t.test('before start: every call that needs the coordinator says not_started; quarantine works', async (t) => {
  const network = new ZigbeeNetwork({
    serial: { path: 'tcp://127.0.0.1:1', adapter: 'zstack' },
    network: { ...TEST_CREDENTIALS },
    dataDir: tempDir(t),
    log: recordingLogger(),
  });
  for (const [name, call] of Object.entries({ ...networkCalls(network), ...deviceCalls(network, UNKNOWN) })) {
    await t.rejects(call(), { code: 'not_started', message: /coordinator is not available/ }, name);
  }
  const quarantined: unknown[] = [];
  network.on('device_quarantined', (e) => quarantined.push(e));
  network.quarantine(UNKNOWN, 'crashed the hub', 'message');
  t.match(quarantined, [{ ieee: UNKNOWN, reason: 'crashed the hub', stage: 'message' }], 'quarantine needs no coordinator');
  t.match(network.stats(), { quarantined: 1 });
  await network.stop();
  t.pass('stop before start does nothing');
});

t.test('running: an unknown device is named; a second start is refused; after stop, not_started again', async (t) => {
  const fixture = await startFixture(t, { dataDir: tempDir(t) });
  const { network, log } = fixture;
  for (const [name, call] of Object.entries(deviceCalls(network, UNKNOWN))) {
    await t.rejects(call(), { code: 'unknown_device', message: `no device ${UNKNOWN} in the network` }, name);
  }
  await t.rejects(network.start(), { code: 'invalid_options', message: 'the network is already started' });
  t.same(network.devices(), [], 'the second start changed nothing');

  await network.stop();
  await network.stop();
  t.equal(log.lines.filter((l) => l.msg === 'zigbee network stopped').length, 1, 'stopped once, the second stop a no-op');
  for (const [name, call] of Object.entries({ ...networkCalls(network), ...deviceCalls(network, UNKNOWN) })) {
    await t.rejects(call(), { code: 'not_started' }, `${name} after stop`);
  }
});
