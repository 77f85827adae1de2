// Device availability end to end: the daemon as a real process with short availability
// timeouts, the virtual coordinator's `silent` fault in place of a device losing power, and
// the reference cloud receiving availability_changed.
import t from 'tap';
import type { HubEvent } from '../../daemon/domain/events.js';
import type { NetworkNode } from '../../scripts/virtual-coordinator/network/simulated-network.js';
import type { ZclFrame } from '../../scripts/virtual-coordinator/devices/definition.js';
import { GATEWAY, joinDevices, startStack, type Stack } from './stack.js';

const MAINS_TIMEOUT_S = 2;
const BATTERY_TIMEOUT_S = 3;

/** herdsman's ping: a ZCL global read (0x00) of genBasic zclVersion (0x0000). */
function isPing(frame: ZclFrame): boolean {
  // frame control: global, no manufacturer code (direction/default-response bits aside);
  // sequence number; read; one attribute 0x0000
  const { clusterId, data } = frame;
  return clusterId === 0x0000 && data.length === 5 && (data[0]! & 0x07) === 0x00 && data[2] === 0x00 && data.readUInt16LE(3) === 0x0000;
}

/** Counts pings delivered to each device from now on; waits for the n-th. */
function pingCounter(stack: Stack) {
  const counts = new Map<string, number>();
  const waiters: Array<{ ieee: string; n: number; resolve: () => void }> = [];
  stack.coordinator.network.on('delivered', (node: NetworkNode, frame: ZclFrame) => {
    if (!isPing(frame)) return;
    counts.set(node.ieee, (counts.get(node.ieee) ?? 0) + 1);
    for (const w of [...waiters]) {
      if (w.ieee === node.ieee && counts.get(node.ieee)! >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  return {
    count: (ieee: string) => counts.get(ieee) ?? 0,
    atLeast: (ieee: string, n: number, timeoutMs = 60_000) =>
      counts.get(ieee)! >= n
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`${ieee} got ${counts.get(ieee) ?? 0} pings, not ${n}, in ${timeoutMs} ms`)), timeoutMs);
            waiters.push({ ieee, n, resolve: () => (clearTimeout(timer), resolve()) });
          }),
  };
}

const lastSeq = (stack: Stack) => stack.cloud.events(GATEWAY).at(-1)?.seq ?? 0;

function availabilityAtCloud(stack: Stack, ieee: string, available: boolean, afterSeq: number) {
  return stack.waitForCloud((e) => e.seq > afterSeq && isAvailability(e.event, ieee, available));
}

function isAvailability(event: HubEvent, ieee: string, available: boolean): boolean {
  return event.kind === 'availability_changed' && event.ieee === ieee && event.available === available;
}

const availableInSqlite = (stack: Stack, ieee: string) =>
  stack.query<{ available: number }>('SELECT available FROM devices WHERE ieee = ?', ieee)[0]?.available === 1;

t.test('availability: silent devices become unavailable, talking ones available again', async (t) => {
  const stack = await startStack({
    config: {
      availability: { mains_timeout_seconds: MAINS_TIMEOUT_S, battery_timeout_seconds: BATTERY_TIMEOUT_S, check_interval_seconds: 1 },
    },
  });
  t.teardown(() => stack.stop());
  const pings = pingCounter(stack);
  const ieees = await joinDevices(stack, ['ikea-bulb', 'aqara-weather']);
  const bulb = ieees.get('ikea-bulb')!;
  const sensor = ieees.get('aqara-weather')!;
  // The bulb's pings run on their own timers while the sensor's case below waits on its timeout:
  // the two devices do not share anything the cases look at, so they wait side by side.
  const seenBefore = await lastSeen(stack, bulb);
  const threePings = pings.atLeast(bulb, pings.count(bulb) + 3);
  void threePings.catch(() => undefined); // its failure is reported where it is awaited, not as an unhandled rejection

  await t.test('a battery sensor is unavailable after its timeout, back with its next report, never pinged', async (t) => {
    // Nothing reports after the interview: the sensor goes unavailable on its own.
    await availabilityAtCloud(stack, sensor, false, 0);
    const mark = lastSeq(stack);
    stack.coordinator.set(sensor, 1, 'msTemperatureMeasurement', { measuredValue: 2150 });
    await availabilityAtCloud(stack, sensor, true, mark);
    t.ok(stack.cloud.events(GATEWAY).some((e) => e.seq > mark && e.event.kind === 'state_changed' && e.event.ieee === sensor));

    const silentAt = Date.now();
    stack.coordinator.fault({ type: 'silent', ieee: sensor });
    const pingsBefore = pings.count(sensor); // the interview's reads look like pings
    const gone = await availabilityAtCloud(stack, sensor, false, mark);
    t.comment(`battery sensor: unavailable ${((gone.at - silentAt) / 1000).toFixed(1)} s after it fell silent (timeout ${BATTERY_TIMEOUT_S} s)`);
    t.notOk(availableInSqlite(stack, sensor), 'unavailable in SQLite');
    t.equal(pings.count(sensor), pingsBefore, 'a sleepy device is never pinged');
    stack.coordinator.fault({ type: 'silent', ieee: sensor, on: false });
  });

  await t.test('a mains bulb that answers its pings stays available', async (t) => {
    // Pinged, answered, silent again, pinged again...: three pings took at least two answers.
    await threePings;
    t.ok(availableInSqlite(stack, bulb), 'available in SQLite');
    t.ok((await lastSeen(stack, bulb)) > seenBefore, 'an answered ping counts as seen');
    t.notOk(
      stack.cloud.events(GATEWAY).some((e) => isAvailability(e.event, bulb, false)),
      'no availability_changed for the bulb',
    );
  });

  await t.test('the bulb falls silent: pinged, no answer, unavailable at the cloud', async (t) => {
    const mark = lastSeq(stack);
    const silentAt = Date.now();
    const pingsBefore = pings.count(bulb);
    stack.coordinator.fault({ type: 'silent', ieee: bulb });
    const gone = await availabilityAtCloud(stack, bulb, false, mark);
    t.comment(`mains bulb: unavailable ${((gone.at - silentAt) / 1000).toFixed(1)} s after it fell silent (timeout ${MAINS_TIMEOUT_S} s + unanswered pings)`);
    t.ok(pings.count(bulb) - pingsBefore >= 2, 'pinged twice before giving up');
    t.notOk(availableInSqlite(stack, bulb), 'unavailable in SQLite');
    const logged = stack.daemon.lines.find((l) => l.msg === 'device unavailable' && l.ieee === bulb);
    t.match(logged, { reason: 'no answer to ping' }, 'logged with the reason');
    t.equal(stack.cloud.events(GATEWAY).filter((e) => e.seq > mark && isAvailability(e.event, bulb, false)).length, 1, 'one event');
  });

  await t.test('the bulb answers again: a cloud command reaches it and it is available again', async (t) => {
    const mark = lastSeq(stack);
    stack.coordinator.fault({ type: 'silent', ieee: bulb, on: false });
    const result = await stack.cloud.sendCommand(GATEWAY, { kind: 'set_state', ieee: bulb, state: { state: 'ON' } }, 60_000);
    t.ok(result.ok, `command ok (${result.error ?? ''})`);
    await availabilityAtCloud(stack, bulb, true, mark);
    t.ok(availableInSqlite(stack, bulb), 'available in SQLite');
  });
});

/**
 * The hub's last-seen time for a device, from a snapshot: the row's last_seen is written in
 * batches (every 30 s, store/device-presence.ts), so the file lags what the hub knows.
 */
async function lastSeen(stack: Stack, ieee: string): Promise<number> {
  const mark = lastSeq(stack);
  const result = await stack.cloud.sendCommand(GATEWAY, { kind: 'request_snapshot' }, 60_000);
  if (!result.ok) throw new Error(`snapshot refused: ${result.error}`);
  const entry = await stack.waitForCloud((e) => e.seq > mark && e.event.kind === 'snapshot_device' && e.event.device.description.ieee === ieee);
  return entry.event.kind === 'snapshot_device' ? (entry.event.device.lastSeen ?? 0) : 0;
}
