// gateway_status: always after a connect; otherwise only when a slow-moving field changed
// (a health change at once, device counts at the next check), never for uptime or the outbox.
import t, { type Test } from 'tap';
import type { HubEvent } from '../../daemon/domain/events.js';
import { HealthBoard } from '../../daemon/domain/health.js';
import { GatewayStatusReporter } from '../../daemon/hub/gateway-status.js';

function setup(t: Test) {
  const sent: Array<Extract<HubEvent, { kind: 'gateway_status' }>> = [];
  const health = new HealthBoard(() => 1000);
  const devices: Array<{ available: boolean; leftAt?: number; quarantine?: unknown }> = [{ available: true }];
  let now = 10_000;
  let outboxEvents = 0;
  const reporter = new GatewayStatusReporter({
    firmwareVersion: '1.2.3',
    startedAt: 0,
    now: () => now,
    coordinator: async () => ({ type: 'zStack3x0', firmware: '20230507', ieee: '0x00124b0000000001' }),
    network: async () => ({ channel: 25, panId: 0x1a62, extendedPanId: '0xdddddddddddddddd' }),
    devices: () => devices,
    outbox: () => ({ events: outboxEvents, bytes: outboxEvents * 100, oldestAt: outboxEvents > 0 ? now - 5000 : undefined }),
    health,
    append: (event) => {
      if (event.kind === 'gateway_status') sent.push(event);
    },
    log: { warn: () => {} },
    checkIntervalMs: 60_000,
  });
  reporter.start();
  t.teardown(() => reporter.stop());
  return { sent, health, devices, reporter, tick: (ms: number) => (now += ms), setOutbox: (n: number) => (outboxEvents = n), check: () => reporter.check() };
}

t.test('sent at every connect, with everything the contract lists', async (t) => {
  const { sent, reporter, setOutbox } = setup(t);
  setOutbox(3);
  await reporter.connected();
  await reporter.connected();
  t.equal(sent.length, 2, 'each connect sends one, changed or not');
  t.match(sent[0], {
    reason: 'connected',
    firmwareVersion: '1.2.3',
    nodeVersion: process.version,
    coordinator: { type: 'zStack3x0', firmware: '20230507', ieee: '0x00124b0000000001' },
    network: { channel: 25, panId: 0x1a62 },
    devices: { total: 1, available: 1, unavailable: 0, left: 0, quarantined: 0 },
    uptimeSeconds: 10,
    outbox: { events: 3, bytes: 300, oldestAgeMs: 5000 },
    health: [],
  });
});

t.test('on change only: health at once with the last error, counts at the next check, not uptime or outbox', async (t) => {
  const { sent, health, devices, reporter, tick, setOutbox, check } = setup(t);
  await reporter.connected();
  tick(5000);
  setOutbox(50);
  await check();
  t.equal(sent.length, 1, 'uptime and outbox alone are no change');

  health.report('coordinator', 'bad', 'the stick was unplugged');
  await reporter.connected().then(() => undefined); // waits for the queued health-triggered send too
  const changed = sent.find((s) => s.reason === 'changed');
  t.match(changed, { lastError: 'coordinator: the stick was unplugged', health: [{ component: 'coordinator', status: 'bad' }] });

  const before = sent.length;
  devices.push({ available: false });
  await check();
  t.equal(sent.length, before + 1);
  t.match(sent.at(-1), { reason: 'changed', devices: { total: 2, unavailable: 1 } });
});
