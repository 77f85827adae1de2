// The supervisor reopens a lost coordinator with exponential backoff, pauses and resumes the work
// that needs the radio, and stops cleanly in the middle of its retries.
import t from 'tap';
import { CoordinatorSupervisor, type RestartableNetwork, type SupervisorTimers } from '../../daemon/hub/coordinator-supervisor.js';

/** Timers driven by hand: each scheduled wait is recorded and fired by the test. */
function manualTimers() {
  const pending: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  const timers: SupervisorTimers = {
    setTimeout: (fn, ms) => {
      const entry = { fn, ms, cleared: false };
      pending.push(entry);
      return entry;
    },
    clearTimeout: (handle) => {
      if (handle) (handle as { cleared: boolean }).cleared = true;
    },
  };
  const next = async (): Promise<number> => {
    for (let i = 0; i < 50 && !pending.some((p) => !p.cleared); i++) await new Promise((r) => setImmediate(r));
    const entry = pending.find((p) => !p.cleared);
    if (!entry) throw new Error('no timer scheduled');
    entry.cleared = true;
    entry.fn();
    return entry.ms;
  };
  return { timers, next };
}

function fakeNetwork(failures: number) {
  const listeners = new Map<string, (event: { reason?: string }) => void>();
  const calls: string[] = [];
  const network: RestartableNetwork = {
    async start() {
      calls.push('start');
      if (failures-- > 0) throw new Error('connect ECONNREFUSED 127.0.0.1:6638');
      return 'resumed';
    },
    async stop() {
      calls.push('stop');
    },
    on(kind, l) {
      listeners.set(kind, l);
      return () => listeners.delete(kind);
    },
  };
  return {
    network,
    calls,
    lose: () => listeners.get('adapter_disconnected')?.({}),
    reset: (reason: string) => listeners.get('coordinator_reset')?.({ reason }),
  };
}

const log = { debug() {}, info() {}, warn() {}, error() {}, child() { return log; }, addSecret() {}, isLevelEnabled: () => false };

t.test('retries with doubling waits until the coordinator is back, then resumes work', async (t) => {
  const { timers, next } = manualTimers();
  const { network, calls, lose } = fakeNetwork(3);
  const events: string[] = [];
  const supervisor = new CoordinatorSupervisor({
    network,
    log,
    timers,
    initialDelayMs: 100,
    maxDelayMs: 300,
    onDown: () => events.push('down'),
    onUp: () => events.push('up'),
  });
  supervisor.start();
  lose();
  lose(); // a second report while recovering does not start a second loop
  const waits = [await next(), await next(), await next(), await next()];
  await new Promise((r) => setImmediate(r));
  t.same(waits, [100, 200, 300, 300], 'waits double up to the maximum');
  t.same(events, ['down', 'up'], 'work paused once and resumed once');
  t.same(calls, ['stop', 'start', 'stop', 'start', 'stop', 'start', 'stop', 'start'], 'each failed start is cleaned up before the next');
  t.equal(supervisor.reconnectCount, 1);
  await supervisor.stop();
});

t.test('stop in the middle of the retries ends them without resuming', async (t) => {
  const { timers, next } = manualTimers();
  const { network, calls, lose } = fakeNetwork(Infinity);
  let ups = 0;
  const supervisor = new CoordinatorSupervisor({ network, log, timers, initialDelayMs: 100, onUp: () => ups++ });
  supervisor.start();
  lose();
  await next();
  await new Promise((r) => setImmediate(r));
  const startsBefore = calls.filter((c) => c === 'start').length;
  await supervisor.stop();
  t.equal(calls.filter((c) => c === 'start').length, startsBefore, 'no start after stop');
  t.equal(ups, 0);
  lose();
  t.equal(calls.filter((c) => c === 'start').length, startsBefore, 'a loss after stop is ignored');
});

t.test('a reset stick is restarted at once, paused work resumed, health degraded then ok', async (t) => {
  const { timers } = manualTimers();
  const { network, calls, lose, reset } = fakeNetwork(0);
  const events: string[] = [];
  const health: string[] = [];
  const supervisor = new CoordinatorSupervisor({
    network,
    log,
    timers,
    health: { report: (component, status, reason) => health.push(`${component} ${status}${reason ? `: ${reason}` : ''}`) },
    onDown: () => events.push('down'),
    onUp: () => events.push('up'),
  });
  supervisor.start();
  reset('watchdog');
  lose(); // the same outage seen twice: one recovery
  for (let i = 0; i < 50 && events.length < 2; i++) await new Promise((r) => setImmediate(r));
  t.same(calls, ['stop', 'start'], 'stopped and started again without waiting for a timer');
  t.same(events, ['down', 'up']);
  t.same(health, ['coordinator degraded: coordinator reset by itself (watchdog); restarting it', 'coordinator ok']);
  t.equal(supervisor.reconnectCount, 1);
  await supervisor.stop();
  reset('watchdog');
  t.same(calls, ['stop', 'start'], 'a reset after stop is ignored');
});

t.test('a reset whose restart fails is retried with backoff like a lost coordinator', async (t) => {
  const { timers, next } = manualTimers();
  const { network, calls, reset } = fakeNetwork(2);
  const supervisor = new CoordinatorSupervisor({ network, log, timers, initialDelayMs: 100, maxDelayMs: 1000 });
  supervisor.start();
  reset('external');
  const waits = [await next(), await next()];
  await new Promise((r) => setImmediate(r));
  t.same(waits, [100, 200], 'then the usual doubling waits');
  t.same(calls, ['stop', 'start', 'stop', 'start', 'stop', 'start']);
  t.equal(supervisor.reconnectCount, 1);
  await supervisor.stop();
});
