// Commands from the platform over a real stream: run once per id, expired ones skipped,
// garbage answered with a clear error, every outcome reported as a command_result event.
import t from 'tap';
import { startReferenceCloud } from '../../scripts/reference-cloud/server.js';
import { createLink, nextLinkEvent } from './helpers/link-fixture.js';

const IEEE = '0x00124b0001abcd01';

async function connectedLink(t: { teardown(fn: () => unknown): void }, overrides: Parameters<typeof createLink>[1] = {}) {
  const cloud = await startReferenceCloud();
  t.teardown(() => cloud.stop());
  const fixture = createLink(cloud.port, overrides);
  t.teardown(() => fixture.link.stop());
  fixture.link.start();
  await cloud.waitForConnection('gw-test');
  return { cloud, ...fixture };
}

t.test('a command runs and its result (with state) reaches the cloud through the outbox', async (t) => {
  const { cloud, executed, outbox } = await connectedLink(t, {
    execute: async (command) => ({ ok: true, state: command.kind === 'set_state' ? { ...command.state, linkquality: 120 } : {} }),
  });
  const result = await cloud.sendCommand('gw-test', { kind: 'set_state', ieee: IEEE, state: { state: 'ON', brightness: 128 } });
  t.same(executed, [{ kind: 'set_state', id: result.commandId, ieee: IEEE, state: { state: 'ON', brightness: 128 } }]);
  t.same(result, { kind: 'command_result', commandId: result.commandId, ok: true, state: { state: 'ON', brightness: 128, linkquality: 120 } });
  // The result travelled as outbox event #1 and leaves the outbox once the cloud acks it.
  t.equal(cloud.events('gw-test')[0]!.seq, 1);
  await outbox.waitUntilAcked(1);
  t.same(outbox.pending(), []);
});

t.test('the same command id twice runs once and reports once', async (t) => {
  const { cloud, executed } = await connectedLink(t);
  const wire = { id: 'cmd-1', permit_join: { seconds: 60 } };
  const first = cloud.sendRawCommand('gw-test', wire);
  const second = cloud.sendRawCommand('gw-test', wire);
  // Commands run in arrival order, so once cmd-2 is answered cmd-1's duplicate was handled.
  const later = await cloud.sendRawCommand('gw-test', { id: 'cmd-2', permit_join: { seconds: 0 } });
  t.equal(later.ok, true);
  t.same(await first, await second);
  t.same(executed.map((c) => c.id), ['cmd-1', 'cmd-2'], 'cmd-1 executed once');
  const results = cloud.events('gw-test').filter((e) => e.event.kind === 'command_result' && e.event.commandId === 'cmd-1');
  t.equal(results.length, 1, 'one result for cmd-1');
});

t.test('an expired command is not run and reports "expired"', async (t) => {
  const { cloud, executed, link } = await connectedLink(t);
  const outcome = nextLinkEvent(link, 'command');
  const result = await cloud.sendCommand('gw-test', { kind: 'permit_join', seconds: 30, expiresAt: Date.now() - 1000 });
  t.same(result, { kind: 'command_result', commandId: result.commandId, ok: false, error: 'expired' });
  t.same(executed, []);
  t.match(await outcome, { status: 'expired', commandId: result.commandId });
});

t.test('garbage commands get clear error results and never reach the executor', async (t) => {
  const { cloud, executed } = await connectedLink(t);
  const cases = [
    { wire: { id: 'g-1' }, error: /unknown or missing command kind/ },
    { wire: { id: 'g-2', set_state: { state: { fields: { state: { stringValue: 'ON' } } } } }, error: /ieee/ },
    { wire: { id: 'g-3', set_state: { ieee: IEEE } }, error: /non-empty state/ },
    { wire: { id: 'g-4', set_state: { ieee: IEEE, state: { fields: { state: { listValue: { values: [] } } } } } }, error: /state\.state must be/ },
    { wire: { id: 'g-5', set_state: { ieee: IEEE, state: { fields: { state: { nullValue: 'NULL_VALUE' as const } } } } }, error: /state\.state must be/ },
    { wire: { id: 'g-6', permit_join: { seconds: 1000 } }, error: /permit_join seconds/ },
    { wire: { id: 'g-7', remove_device: { ieee: 'kitchen-lamp' } }, error: /ieee/ },
    { wire: { permit_join: { seconds: 10 } }, error: /missing command id/ },
  ];
  for (const { wire, error } of cases) {
    const result = await cloud.sendRawCommand('gw-test', wire);
    t.equal(result.ok, false, `${wire.id ?? '(no id)'} fails`);
    t.match(result.error, /^invalid: /);
    t.match(result.error, error);
  }
  t.same(executed, []);
});

t.test('an executor failure is reported, not thrown', async (t) => {
  const { cloud } = await connectedLink(t, {
    execute: async () => {
      throw new Error('device 0x00124b0001abcd01 did not answer');
    },
  });
  const result = await cloud.sendCommand('gw-test', { kind: 'remove_device', ieee: IEEE });
  t.same(result, { kind: 'command_result', commandId: result.commandId, ok: false, error: 'device 0x00124b0001abcd01 did not answer' });
});

t.test('a command re-sent after a reconnect while still running is not run again', async (t) => {
  let release!: () => void;
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const { cloud, link, executed } = await connectedLink(t, {
    execute: () => {
      started();
      return new Promise((resolve) => (release = () => resolve({ ok: true })));
    },
  });
  const result = cloud.sendCommand('gw-test', { id: 'slow-1', kind: 'remove_device', ieee: IEEE, force: true });
  await running;

  // The platform has no result yet, so after the reconnect it sends the command again.
  const duplicate = nextLinkEvent(link, 'command');
  cloud.dropConnections();
  t.same(await duplicate, { commandId: 'slow-1', status: 'duplicate' });

  release();
  t.match(await result, { commandId: 'slow-1', ok: true });
  t.equal(executed.length, 1, 'ran once');
});

t.test('a command past its timeout is reported early, but the next one starts only when it has really ended', async (t) => {
  const steps: string[] = [];
  let release!: () => void;
  const { cloud } = await connectedLink(t, {
    commandTimeoutMs: 200,
    execute: (command) => {
      steps.push(`${command.id} started`);
      if (command.id !== 'slow-on') return Promise.resolve({ ok: true });
      return new Promise((resolve) => (release = () => (steps.push('slow-on ended'), resolve({ ok: true }))));
    },
  });
  const slow = cloud.sendCommand('gw-test', { id: 'slow-on', kind: 'set_state', ieee: IEEE, state: { state: 'ON' } });
  const next = cloud.sendCommand('gw-test', { id: 'then-off', kind: 'set_state', ieee: IEEE, state: { state: 'OFF' } });
  t.same(await slow, { kind: 'command_result', commandId: 'slow-on', ok: false, error: 'timeout' }, 'the platform hears "timeout" in time');
  // The "on" is still on its way to the device: the "off" must not overtake it.
  release();
  t.match(await next, { commandId: 'then-off', ok: true });
  t.same(steps, ['slow-on started', 'slow-on ended', 'then-off started'], 'one at a time, in arrival order');
});

t.test('a command whose id cannot be recorded is not run (a re-send after a restart could run it twice)', async (t) => {
  const broken = {
    state: () => undefined,
    add: () => {
      throw new Error('database is locked');
    },
    markAnswered: () => undefined,
  };
  const { cloud, executed } = await connectedLink(t, { seenCommandIds: broken });
  const result = await cloud.sendCommand('gw-test', { id: 'unrecorded', kind: 'permit_join', seconds: 10 });
  t.same(result, { kind: 'command_result', commandId: 'unrecorded', ok: false, error: 'not run: could not record the command id: database is locked' });
  t.same(executed, []);
});
