// Commands across a hub restart, with the store's persisted command ids: stopping does not wait
// for queued commands (the platform re-sends them and they run after the restart), and a command
// that was running when the hub died is answered "interrupted" when re-sent instead of never.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { HubCommand } from '../../daemon/domain/events.js';
import type { CommandOutcome } from '../../daemon/cloud/command-runner.js';
import { openStore, type Store } from '../../daemon/store/index.js';
import { startReferenceCloud } from '../../scripts/reference-cloud/server.js';
import { CaptureLog } from './helpers/capture-log.js';
import { createLink } from './helpers/link-fixture.js';

const IEEE = '0x00124b0001abcd01';
const setState = (id: string, value: string) => ({ id, kind: 'set_state' as const, ieee: IEEE, state: { state: value } });

function tempStore(t: Test, path?: string): Store {
  let file = path;
  if (!file) {
    const dir = mkdtempSync(join(tmpdir(), 'command-restart-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    file = join(dir, 'hub.db');
  }
  const store = openStore({ path: file, log: new CaptureLog(), commitIntervalMs: 5, backup: { dir: join(file, '..', 'backups'), keep: 3, onClose: false } });
  t.teardown(() => store.close());
  return store;
}

/** A link on the store; `hang` decides which commands never finish on their own. */
function storeLink(t: Test, port: number, store: Store, options: { hang?: (c: HubCommand) => boolean; commandTimeoutMs?: number } = {}) {
  const started: Array<() => void> = [];
  const hung: Array<() => void> = [];
  const fixture = createLink(port, {
    outbox: store.outbox,
    emit: (event) => store.events.append(event),
    seenCommandIds: store.seenCommands,
    ...(options.commandTimeoutMs ? { commandTimeoutMs: options.commandTimeoutMs } : {}),
    execute: (command) => {
      for (const wake of started.splice(0)) wake();
      if (!options.hang?.(command)) return Promise.resolve({ ok: true });
      return new Promise((resolve) => hung.push(() => resolve({ ok: false, error: 'released at teardown' })));
    },
  });
  t.teardown(() => {
    for (const release of hung) release();
    return fixture.link.stop();
  });
  const nextStart = () => new Promise<void>((resolve) => started.push(resolve));
  return { ...fixture, nextStart };
}

t.test('stop runs no queued command; the platform re-sends them and they run after the restart', async (t) => {
  const cloud = await startReferenceCloud();
  t.teardown(() => cloud.stop());
  const store = tempStore(t);
  // A silent device: every command would run into its timeout.
  const first = storeLink(t, cloud.port, store, { hang: () => true, commandTimeoutMs: 300 });
  const outcomes: CommandOutcome[] = [];
  first.link.on('command', (outcome) => outcomes.push(outcome));
  first.link.start();
  await cloud.waitForConnection('gw-test');

  const running = first.nextStart();
  const results = ['q-1', 'q-2', 'q-3'].map((id) => cloud.sendCommand('gw-test', setState(id, 'TOGGLE'), 30_000));
  await running;
  // Commands arrive in order: once a re-send of q-1 was handled, q-2 and q-3 are queued.
  const duplicate = new Promise<void>((resolve) => first.link.on('command', (o) => o.status === 'duplicate' && resolve()));
  void cloud.sendCommand('gw-test', setState('q-1', 'TOGGLE'), 30_000);
  await duplicate;
  await first.link.stop();
  t.same(first.executed.map((c) => c.id), ['q-1'], 'only the running command ran; the queued ones did not start');
  t.same(
    outcomes.map((o) => [o.commandId, o.status]),
    [['q-1', 'duplicate'], ['q-2', 'not_run'], ['q-3', 'not_run'], ['q-1', 'timeout']],
    'the queued ones were dropped at once; the running one reported within its timeout',
  );
  t.equal(store.seenCommands.state('q-1'), 'answered');
  t.equal(store.seenCommands.state('q-2'), undefined, 'a dropped command is not recorded as seen');
  t.equal(store.seenCommands.state('q-3'), undefined);

  // After the restart the platform still has no result for q-2 and q-3 and sends them again.
  const second = storeLink(t, cloud.port, store);
  second.link.start();
  const [r1, r2, r3] = await Promise.all(results);
  t.match(r1, { commandId: 'q-1', ok: false, error: 'timeout' });
  t.match(r2, { commandId: 'q-2', ok: true });
  t.match(r3, { commandId: 'q-3', ok: true });
  t.same(second.executed.map((c) => c.id), ['q-2', 'q-3'], 'they ran after the restart, in order; q-1 not again');
});

t.test('a command running when the hub died gets an "interrupted" answer when re-sent, and is not run again', async (t) => {
  const before = await startReferenceCloud();
  t.teardown(() => before.stop());
  const store = tempStore(t);
  const first = storeLink(t, before.port, store, { hang: () => true });
  first.link.start();
  await before.waitForConnection('gw-test');
  const running = first.nextStart();
  // (Its result is never awaited: this platform is gone before there is one.)
  void before.sendCommand('gw-test', setState('power-cut', 'ON'), 1).catch(() => undefined);
  await running;
  // The database as a power cut now would leave it: the command started, no result.
  const crashed = await store.backupNow();

  const cloud = await startReferenceCloud();
  t.teardown(() => cloud.stop());
  const restarted = tempStore(t, crashed);
  const after = storeLink(t, cloud.port, restarted);
  after.link.start();
  const result = await cloud.sendCommand('gw-test', setState('power-cut', 'ON'));
  t.same(result, { kind: 'command_result', commandId: 'power-cut', ok: false, error: 'interrupted: the hub restarted while running this command' });
  t.same(after.executed, [], 'not run a second time');
  t.equal(restarted.seenCommands.state('power-cut'), 'answered', 'answered now');

  // Answered now: a further re-send is ignored like any answered id.
  const ignored = new Promise<CommandOutcome>((resolve) => after.link.on('command', resolve));
  cloud.sendRawCommand('gw-test', { id: 'power-cut', set_state: { ieee: IEEE, state: { fields: { state: { stringValue: 'ON' } } } } }).catch(() => undefined);
  t.match(await ignored, { commandId: 'power-cut', status: 'duplicate' });
  t.equal(cloud.events('gw-test').filter((e) => e.event.kind === 'command_result').length, 1, 'one answer');
});
