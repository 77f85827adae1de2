// A stick that reboots by itself (watchdog, brown-out: the ZNP sends a SYS resetInd and forgets
// its registered endpoints) is noticed, logged, reported as health to the cloud, and zigbee-herdsman
// is restarted on it in-process: commands work again within seconds, reports keep flowing,
// nothing committed is lost, and routers are not marked unavailable by it.
import t from 'tap';
import type { ZclFrame } from '../../scripts/virtual-coordinator/devices/definition.js';
import type { NetworkNode } from '../../scripts/virtual-coordinator/network/simulated-network.js';
import { GATEWAY, joinDevices, startStack, type Stack } from './stack.js';

/** herdsman's ping: a ZCL global read of genBasic zclVersion. */
const isPing = ({ clusterId, data }: ZclFrame) => clusterId === 0x0000 && data.length === 5 && data[2] === 0x00 && data.readUInt16LE(3) === 0x0000;

/** Counts pings the simulated devices receive; waits for the n-th since the last reset(). */
function pingCounter(stack: Stack) {
  const counts = new Map<string, number>();
  const waiters = new Set<{ ieee: string; n: number; resolve: () => void }>();
  stack.coordinator.network.on('delivered', (node: NetworkNode, frame: ZclFrame) => {
    if (!isPing(frame)) return;
    counts.set(node.ieee, (counts.get(node.ieee) ?? 0) + 1);
    for (const w of waiters) {
      if (w.ieee !== node.ieee || counts.get(node.ieee)! < w.n) continue;
      waiters.delete(w);
      w.resolve();
    }
  });
  return {
    reset: () => counts.clear(),
    atLeast: (ieee: string, n: number, timeoutMs = 60_000) =>
      (counts.get(ieee) ?? 0) >= n
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`${ieee} got ${counts.get(ieee) ?? 0} pings, not ${n}`)), timeoutMs);
            waiters.add({ ieee, n, resolve: () => (clearTimeout(timer), resolve()) });
          }),
  };
}

t.test('a spontaneous coordinator reset is detected and recovered in-process', async (t) => {
  // Short availability timeouts: routers are pinged every few seconds, so pings sent to the
  // rebooted stick would mark them unavailable if they were not paused.
  const stack = await startStack({ config: { availability: { mains_timeout_seconds: 2, battery_timeout_seconds: 3600, check_interval_seconds: 1 } } });
  t.teardown(() => stack.stop());
  const ieees = await joinDevices(stack, ['aqara-weather', 'ikea-bulb', 'aqara-plug']);
  const weather = ieees.get('aqara-weather')!;
  const bulb = ieees.get('ikea-bulb')!;
  const plug = ieees.get('aqara-plug')!;
  const before = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_state', ieee: bulb, state: { state: 'ON' } }, 30_000);
  t.ok(before.ok, `the bulb answers before the reset (${before.error ?? ''})`);
  stack.coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: 2010 });
  await stack.waitForCloud((e) => e.event.kind === 'state_changed' && e.event.ieee === weather && e.event.state.temperature === 20.1);
  const seqAtReset = stack.cloud.events(GATEWAY).at(-1)?.seq ?? 0;
  const resetAt = Date.now();
  const recoveries = () => stack.daemon.lines.filter((l) => l.msg === 'coordinator recovered after a reset').length;
  const pingsAfterRecovery = pingCounter(stack);

  // Reports keep coming while the stick resets and herdsman restarts.
  let reading = 2000;
  const reports = setInterval(() => stack.coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: (reading += 1) }), 100);
  t.teardown(() => clearInterval(reports));
  stack.coordinator.fault({ type: 'reset' });
  const detected = await stack.daemon.waitForLog((l) => /coordinator reset by itself/.test(l.msg), 60_000);
  t.equal(detected.level, 'warn', 'the reset is logged as a warning');
  await stack.daemon.waitForLog((l) => l.msg === 'coordinator recovered after a reset', 60_000);
  const recoveredMs = Date.now() - resetAt;
  pingsAfterRecovery.reset();
  t.comment(`recovered ${recoveredMs} ms after the reset`);

  clearInterval(reports);
  const after = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_state', ieee: bulb, state: { state: 'OFF' } }, 30_000);
  t.ok(after.ok, `commands work again (${after.error ?? ''})`);
  stack.coordinator.set(weather, 1, 'msTemperatureMeasurement', { measuredValue: 2120 });
  await stack.waitForCloud((e) => e.seq > seqAtReset && e.event.kind === 'state_changed' && e.event.ieee === weather && e.event.state.temperature === 21.2);
  const seqs = stack.cloud.events(GATEWAY).map((e) => e.seq);
  t.same(seqs, Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i), 'every committed event reached the cloud, in order, none missing');

  const health = stack.cloud
    .events(GATEWAY)
    .filter((e) => e.seq > seqAtReset && e.event.kind === 'health_changed' && e.event.component === 'coordinator')
    .map((e) => (e.event.kind === 'health_changed' ? e.event.status : ''));
  t.same(health, ['degraded', 'ok'], 'the cloud hears the coordinator degraded, then ok');

  // Availability pings resumed after the recovery, and none found a router unavailable.
  await pingsAfterRecovery.atLeast(plug, 2);
  const plugOn = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_state', ieee: plug, state: { state: 'ON' } }, 30_000);
  t.ok(plugOn.ok, `the plug answers too (${plugOn.error ?? ''})`);
  const unavailable = stack.cloud
    .events(GATEWAY)
    .filter((e) => e.seq > seqAtReset && e.event.kind === 'availability_changed' && !e.event.available);
  t.same(unavailable, [], 'no router was marked unavailable by the reset');
  const rows = stack.query<{ ieee: string; available: number }>('SELECT ieee, available FROM devices ORDER BY ieee');
  t.same(rows.map((r) => r.ieee), [...ieees.values()].sort(), 'no device lost');
  t.ok(rows.every((r) => r.available === 1), 'every device still available');

  // A reset after which the stick does not resume the network by itself (NWK_INVALID_REQUEST
  // for every request until the host starts it again).
  stack.coordinator.fault({ type: 'reset', resume: false });
  await stack.daemon.waitForLog((l) => l.msg === 'coordinator recovered after a reset' && recoveries() === 2, 60_000);
  const again = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_state', ieee: bulb, state: { state: 'ON' } }, 30_000);
  t.ok(again.ok, `commands work after a reset without resume (${again.error ?? ''})`);
  t.equal(stack.daemon.lines.filter((l) => l.msg === 'zigbee-hubd ready').length, 1, 'the daemon process was never restarted');
});
