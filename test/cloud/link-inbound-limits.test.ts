// Traffic in is bounded and always answered: a command the gateway cannot (or will not) decode
// is answered with a result the platform can match, so a platform that re-sends unanswered
// commands after every reconnect stops re-sending, and telemetry is never throttled.
// The platform encodes these commands byte by byte (helpers/proto-bytes.ts).
import t, { type Test } from 'tap';
import { MAX_COMMAND_BYTES, MAX_RECEIVE_BYTES } from '../../daemon/cloud/wire-limits.js';
import { ByteCloud, type PendingCommand } from './helpers/byte-cloud.js';
import { createLink, nextLinkEvent, stateEvent } from './helpers/link-fixture.js';
import { nestedState, setStateCommand, stringState } from './helpers/proto-bytes.js';

const IEEE = '0x00124b0001abcd01';
const MB = 1024 * 1024;

/** Sends `command` amid 200 reports and checks it is answered with `error` on one stream, every report delivered. */
async function answeredWithoutThrottling(t: Test, command: PendingCommand, error: RegExp): Promise<void> {
  const cloud = await ByteCloud.start();
  t.teardown(() => cloud.stop());
  const { link, outbox, executed } = createLink(cloud.port);
  t.teardown(() => link.stop());
  link.start();
  for (let i = 0; i < 100; i++) outbox.append(stateEvent(IEEE, i));
  cloud.sendCommand(command);
  for (let i = 100; i < 200; i++) outbox.append(stateEvent(IEEE, i));

  await cloud.waitUntil('the command answered and every report delivered', () => !!cloud.resultFor(command.resultId) && cloud.events.length === 201);
  t.match(cloud.resultFor(command.resultId)!.event, { kind: 'command_result', ok: false, error });
  t.same(executed, [], 'nothing reached the executor');
  t.equal(cloud.streams, 1, 'the stream was never ended: nothing was re-sent, nothing throttled');
  t.equal(link.status().disconnects, 0);
}

t.test('a Struct nested 50 deep is answered "invalid" instead of ending the stream', async (t) => {
  const message = setStateCommand({ id: 'deep-1', state: nestedState(50) });
  await answeredWithoutThrottling(t, { resultId: 'deep-1', message }, /^invalid: .*(nest|deep)/);
});

t.test('a Struct nested just past the state limit decodes and is refused by validation', async (t) => {
  const message = setStateCommand({ id: 'deep-2', state: nestedState(6) });
  await answeredWithoutThrottling(t, { resultId: 'deep-2', message }, /^invalid: set_state state nested deeper than 4/);
});

t.test('a 5 MB command is answered "invalid: ... over the limit" instead of ending the stream', async (t) => {
  const message = setStateCommand({ id: 'huge-1', state: stringState('state', 'x'.repeat(5 * MB)) });
  const limit = new RegExp(`^invalid: command of ${message.length} bytes is over the ${MAX_COMMAND_BYTES}-byte limit`);
  await answeredWithoutThrottling(t, { resultId: 'huge-1', message }, limit);
});

t.test('a message over the receive limit ends the stream with RESOURCE_EXHAUSTED; the link comes back', async (t) => {
  const cloud = await ByteCloud.start();
  t.teardown(() => cloud.stop());
  const { link, outbox } = createLink(cloud.port);
  t.teardown(() => link.stop());
  link.start();
  await cloud.waitUntil('connected', () => cloud.streams === 1);
  const disconnected = nextLinkEvent(link, 'disconnected').then(({ reason }) => reason);
  // Sent once, not re-sent: the platform was told (cloud.proto) never to send one.
  await new Promise((resolve) => setTimeout(resolve, 50));
  cloud.sendOnce(setStateCommand({ id: 'too-big', state: stringState('state', 'x'.repeat(MAX_RECEIVE_BYTES)) }));
  t.match(await disconnected, /RESOURCE_EXHAUSTED/);
  await cloud.waitUntil('the platform saw the stream cancelled', () => cloud.cancelled === 1);
  outbox.append(stateEvent(IEEE, 1));
  await cloud.waitUntil('a report after the reconnect', () => cloud.events.length === 1);
  t.equal(cloud.streams, 2);
});
