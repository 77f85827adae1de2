// Traffic out is bounded in bytes: no EventBatch near the 4 MiB every gRPC stack refuses by
// default, an in-flight window bounded by bytes, long error texts cut, oversize state reduced.
// Through a real gRPC platform that measures what it receives and holds acks back.
import t, { type Test } from 'tap';
import type { CommandOutcome } from '../../daemon/cloud/command-runner.js';
import { MAX_BATCH_BYTES, MAX_ERROR_CHARS, MAX_EVENT_BYTES, GRPC_MESSAGE_HEADER_BYTES } from '../../daemon/cloud/wire-limits.js';
import type { HubCommand } from '../../daemon/domain/events.js';
import { encodeCommand } from '../../daemon/cloud/command-codec.js';
import { ByteCloud } from './helpers/byte-cloud.js';
import { createLink, stateEvent } from './helpers/link-fixture.js';

const IEEE = '0x00124b0001abcd01';
const MB = 1024 * 1024;

async function byteCloud(t: Test): Promise<ByteCloud> {
  const cloud = await ByteCloud.start();
  t.teardown(() => cloud.stop());
  return cloud;
}

function telemetry(cloud: ByteCloud): number {
  return cloud.events.filter((e) => e.event.kind === 'state_changed').length;
}

function assertBatchesBounded(t: Test, cloud: ByteCloud): void {
  const largest = Math.max(...cloud.batchSizes);
  t.ok(largest + GRPC_MESSAGE_HEADER_BYTES <= MAX_BATCH_BYTES, `largest batch ${largest} bytes (+ header) is within ${MAX_BATCH_BYTES}`);
}

/**
 * Fills the default in-flight window (1000 events) while the platform holds its acks back, sends
 * five set_state commands whose state is `value`, lets the executor fail each with `error`,
 * then releases the acks: every result and every later report must arrive, on one stream.
 */
async function fiveBadCommandsWithAcksHeld(t: Test, value: string, error: (value: unknown) => string): Promise<Map<string, string>> {
  const cloud = await byteCloud(t);
  cloud.setAcking(false);
  const { link, outbox } = createLink(cloud.port, {
    execute: async (command) => ({ ok: false, error: error(command.kind === 'set_state' ? command.state.state : undefined) }),
  });
  t.teardown(() => link.stop());
  const outcomes: CommandOutcome[] = [];
  link.on('command', (outcome) => outcomes.push(outcome));
  link.start();
  for (let i = 0; i < 1000; i++) outbox.append(stateEvent(IEEE, i));
  await cloud.waitUntil('the window is full', () => link.status().inFlight === 1000);

  const ids = ['big-1', 'big-2', 'big-3', 'big-4', 'big-5'];
  for (const id of ids) {
    const command: HubCommand = { kind: 'set_state', id, ieee: IEEE, state: { state: value } };
    cloud.sendCommand({ resultId: id, message: { command: encodeCommand(command) } });
  }
  await cloud.waitUntil('five commands handled', () => outcomes.length === 5);
  for (let i = 0; i < 20; i++) outbox.append(stateEvent(IEEE, 1000 + i));

  cloud.setAcking(true);
  await cloud.waitUntil('every result and every report delivered', () => ids.every((id) => cloud.resultFor(id)) && telemetry(cloud) === 1020);
  assertBatchesBounded(t, cloud);
  t.equal(link.status().disconnects, 0, 'one stream the whole time');
  const errors = new Map<string, string>();
  for (const id of ids) {
    const result = cloud.resultFor(id)!.event;
    if (result.kind === 'command_result') errors.set(id, result.error ?? '');
  }
  return errors;
}

t.test('five 1 MB bad commands with acks held back: every result arrives and telemetry keeps flowing', async (t) => {
  const errors = await fiveBadCommandsWithAcksHeld(t, 'x'.repeat(MB), (value) => `'state' must be one of 'ON', 'OFF', got '${String(value)}'`);
  for (const [id, error] of errors) t.match(error, /^invalid: command of \d+ bytes is over the 65536-byte limit$/, `${id} refused at the door`);
});

t.test('five 1 MB error texts with acks held back: cut to the documented length, all delivered', async (t) => {
  // A converter or validator that quotes a whole huge value in its error.
  const errors = await fiveBadCommandsWithAcksHeld(t, 'BLINK', () => `'state' must be one of 'ON', 'OFF', got '${'x'.repeat(MB)}'`);
  for (const [id, error] of errors) {
    t.match(error, /^'state' must be one of 'ON', 'OFF', got 'xxx.*\(cut, \d+ characters in all\)$/, `${id} answered`);
    t.ok(error.length <= MAX_ERROR_CHARS, `error text within the documented length (${error.length})`);
  }
});

t.test('a state too large for any batch is reduced with a note, and the link goes on', async (t) => {
  const cloud = await byteCloud(t);
  const { link, outbox } = createLink(cloud.port);
  t.teardown(() => link.stop());
  link.start();
  outbox.append({ kind: 'state_changed', ieee: IEEE, state: { temperature: 21.5, blob: 'y'.repeat(5 * MB) }, changed: ['temperature', 'blob'] });
  const manyKeys = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`key_${i}`, i]));
  // Full state with one changed key far down the list: the reduced event still carries it.
  outbox.append({ kind: 'state_changed', ieee: IEEE, state: manyKeys, changed: ['key_19999'] });
  outbox.append(stateEvent(IEEE, 22));
  await cloud.waitUntil('three events delivered', () => cloud.events.length === 3);

  const [blob, many, after] = cloud.events.map((e) => e.event);
  t.match(blob, { kind: 'state_changed', state: { temperature: 21.5, _reduced: /blob/ } }, 'small values kept, the large one left out and named');
  t.notOk(blob!.kind === 'state_changed' && 'blob' in blob.state, 'the 5 MB value is not sent');
  t.match(many, { kind: 'state_changed', state: { _reduced: /20000 keys|over the \d+-byte event limit/, key_19999: 19999 }, changed: ['key_19999'] });
  t.same(after, stateEvent(IEEE, 22), 'the next report is untouched');
  for (const size of cloud.batchSizes) t.ok(size <= MAX_EVENT_BYTES + 16, `batch of ${size} bytes holds an event within the event limit`);
  t.equal(link.status().disconnects, 0);
});

t.test('an event that cannot be reduced goes as a gap for its seq, and the link goes on', async (t) => {
  const cloud = await byteCloud(t);
  const { link, outbox } = createLink(cloud.port);
  t.teardown(() => link.stop());
  link.start();
  const device = { ieee: IEEE, nwk: 1, type: 'Router' as const, supported: false, interview: 'successful' as const, endpoints: [], modelId: 'm'.repeat(2 * MB) };
  const seq = outbox.append({ kind: 'device_interview', ieee: IEEE, status: 'successful', device });
  outbox.append(stateEvent(IEEE, 22));
  await cloud.waitUntil('both delivered', () => cloud.events.length === 2);
  t.match(cloud.events[0], { seq, event: { kind: 'gap', fromSeq: seq, toSeq: seq, dropped: 1, reason: /device_interview event of \d+ bytes is over the 65536-byte event limit; not sent/ } });
  t.same(cloud.events[1]!.event, stateEvent(IEEE, 22));
  t.equal(link.status().disconnects, 0);
});

t.test('the in-flight window is bounded by bytes as well as by count', async (t) => {
  const cloud = await byteCloud(t);
  cloud.setAcking(false);
  const maxInFlightBytes = 256 * 1024;
  const { link, outbox } = createLink(cloud.port, { maxInFlightBytes });
  t.teardown(() => link.stop());
  link.start();
  // About 40 KB each: 100 of them are 4 MB, far over the window, yet only 100 by count.
  const wide = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'v'.repeat(190)]));
  for (let i = 0; i < 100; i++) outbox.append({ kind: 'state_changed', ieee: IEEE, state: { ...wide, n: i }, changed: ['n'] });
  await cloud.waitUntil('the window is full', () => cloud.events.length > 0 && link.status().inFlight === cloud.events.length);
  // Wake the pump again: it must still hold back.
  outbox.append(stateEvent(IEEE, 1));
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  const sentBytes = cloud.batchSizes.reduce((sum, size) => sum + size, 0);
  t.ok(cloud.events.length < 100, `held back at ${cloud.events.length} events`);
  t.ok(sentBytes <= maxInFlightBytes + 64 * 1024, `${sentBytes} bytes in flight, bounded by the window (one event of slack)`);
  cloud.setAcking(true);
  await cloud.waitUntil('everything delivered', () => cloud.events.length === 101);
  assertBatchesBounded(t, cloud);
});
