// Command ids and expiry the platform gets wrong are refused in a way it can match: an id over
// 128 characters is answered under "sha256:" + its SHA-256 (never cut, which the platform could
// not match and would re-send forever), an empty id under "", a negative expiry is refused.
import { createHash } from 'node:crypto';
import t, { type Test } from 'tap';
import { startReferenceCloud } from '../../scripts/reference-cloud/server.js';
import { ByteCloud } from './helpers/byte-cloud.js';
import { createLink } from './helpers/link-fixture.js';
import { setStateCommand, stringState } from './helpers/proto-bytes.js';

const IEEE = '0x00124b0001abcd01';
const sha256 = (id: string) => `sha256:${createHash('sha256').update(id, 'utf8').digest('hex')}`;

async function connected(t: Test) {
  const cloud = await startReferenceCloud();
  t.teardown(() => cloud.stop());
  const fixture = createLink(cloud.port);
  t.teardown(() => fixture.link.stop());
  fixture.link.start();
  await cloud.waitForConnection('gw-test');
  return { cloud, ...fixture };
}

t.test('an id over 128 characters is answered under its sha256, which the platform can compute', async (t) => {
  const { cloud, executed } = await connected(t);
  const id = 'c'.repeat(129);
  void cloud.sendRawCommand('gw-test', { id, permit_join: { seconds: 10 } }).catch(() => undefined);
  const stored = await cloud.waitForEvent((e) => e.event.kind === 'command_result' && e.event.commandId === sha256(id));
  t.match(stored.event, { ok: false, error: /^invalid: command id of 129 characters is longer than 128/ });
  t.same(executed, []);
  const ok = await cloud.sendRawCommand('gw-test', { id: 'c'.repeat(128), permit_join: { seconds: 10 } });
  t.match(ok, { commandId: 'c'.repeat(128), ok: true }, '128 characters is fine');
});

t.test('a 1 MB id in a command too large to decode is answered under its sha256 as well', async (t) => {
  const cloud = await ByteCloud.start();
  t.teardown(() => cloud.stop());
  const { link } = createLink(cloud.port);
  t.teardown(() => link.stop());
  link.start();
  const id = 'i'.repeat(1024 * 1024);
  cloud.sendCommand({ resultId: sha256(id), message: setStateCommand({ id, state: stringState('state', 'ON') }) });
  await cloud.waitUntil('answered', () => !!cloud.resultFor(sha256(id)));
  t.match(cloud.resultFor(sha256(id))!.event, { ok: false, error: /^invalid: command of \d+ bytes is over the \d+-byte limit/ });
  t.equal(cloud.streams, 1);
});

t.test('an empty id is answered under the empty id', async (t) => {
  const { cloud, executed } = await connected(t);
  const result = await cloud.sendRawCommand('gw-test', { id: '', permit_join: { seconds: 10 } });
  t.same(result, { kind: 'command_result', commandId: '', ok: false, error: 'invalid: missing command id' });
  t.same(executed, []);
});

t.test('a negative expiry is refused, not taken as "no expiry"', async (t) => {
  const { cloud, executed } = await connected(t);
  const result = await cloud.sendRawCommand('gw-test', { id: 'neg-1', expires_at_ms: -5, set_state: { ieee: IEEE, state: { fields: { state: { stringValue: 'ON' } } } } });
  t.same(result, { kind: 'command_result', commandId: 'neg-1', ok: false, error: 'invalid: expires_at_ms must be 0 (no expiry) or milliseconds since the Unix epoch, got -5' });
  t.same(executed, []);
  const zero = await cloud.sendRawCommand('gw-test', { id: 'zero-1', expires_at_ms: 0, permit_join: { seconds: 0 } });
  t.equal(zero.ok, true, '0 still means no expiry');
});
