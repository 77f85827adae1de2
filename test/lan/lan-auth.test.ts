// Pairing, tokens, scopes, revocation and failure limits of the LAN API, over real gRPC and
// real TLS on loopback, with the real store.
import * as grpc from '@grpc/grpc-js';
import fs from 'node:fs';
import t from 'tap';
import { createSelfSigned } from '../../daemon/lan/index.js';
import { LanCallError, unaryCall, watchCall } from '../../scripts/hubctl/calls.js';
import { FingerprintMismatchError, pinnedClient, verifyHubCertificate } from '../../scripts/hubctl/pinned-client.js';
import { device } from '../store/helpers.js';
import { databaseBytes, startTestLan } from './helpers.js';

async function refused(promise: Promise<unknown>): Promise<LanCallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LanCallError) return error;
    throw error;
  }
  throw new Error('the call was not refused');
}

t.test('a paired client gets a token that works; the database holds only its hash; key file 0600', async (t) => {
  const lan = await startTestLan(t);
  const { code, fingerprint } = await lan.openWindow();
  t.match(code, /^\d{4}-\d{4}$/);
  t.equal(fingerprint, lan.lan.fingerprint);
  const paired = await lan.call('Pair', { code, client_name: 'kitchen tablet' });
  t.match(paired, { token: /^zhl_[A-Za-z0-9_-]{43}$/, scope: 'SCOPE_CONTROL' });
  lan.store.devices.upsert(device(1));
  const list = await lan.call('ListDevices', {}, paired['token']);
  t.equal(list['devices'].length, 1);
  t.equal(list['devices'][0].ieee, device(1).ieee);

  await lan.store.flush();
  const bytes = databaseBytes(lan.dir);
  t.notOk(bytes.includes(Buffer.from(paired['token'])), 'the token is not in the database in clear');
  t.ok(bytes.includes(Buffer.from('kitchen tablet')), 'the client row is there');
  const logged = JSON.stringify(lan.log.entries);
  t.notOk(logged.includes(paired['token']), 'the token is not logged');
  t.notOk(logged.includes(code.replace('-', '')) || logged.includes(code), 'the pairing code is not logged');
  t.equal(fs.statSync(`${lan.dir}/lan/lan-key.pem`).mode & 0o777, 0o600, 'key file 0600');
  t.equal(fs.statSync(lan.lan.adminSocket).mode & 0o777, 0o600, 'admin socket 0600');
});

t.test('no token, a malformed header, an unknown token: UNAUTHENTICATED', async (t) => {
  const lan = await startTestLan(t);
  t.equal((await refused(lan.call('ListDevices', {}))).code, grpc.status.UNAUTHENTICATED);
  t.match((await refused(lan.call('ListDevices', {}))).details, /no token/);
  t.equal((await refused(lan.call('ListDevices', {}, 'zhl_not-a-real-token'))).code, grpc.status.UNAUTHENTICATED);
  t.equal((await refused(lan.call('GetHubInfo', {}, 'zhl_not-a-real-token'))).code, grpc.status.UNAUTHENTICATED);
});

t.test('pairing outside the window, a code used twice, an expired window: refused', async (t) => {
  const lan = await startTestLan(t);
  const none = await refused(lan.call('Pair', { code: '1234-5678', client_name: 'x' }));
  t.equal(none.code, grpc.status.FAILED_PRECONDITION);
  t.match(none.details, /no pairing window is open/);

  const { code } = await lan.openWindow();
  await lan.call('Pair', { code, client_name: 'first' });
  t.equal((await refused(lan.call('Pair', { code, client_name: 'second' }))).code, grpc.status.FAILED_PRECONDITION, 'single use');

  const late = await lan.openWindow();
  lan.advance(61_000);
  t.equal((await refused(lan.call('Pair', { code: late.code, client_name: 'late' }))).code, grpc.status.FAILED_PRECONDITION, 'after the window');
  t.equal(lan.store.lanClients.list().length, 1);
});

t.test('wrong codes: the window closes after five; an address is blocked after ten failures a minute', async (t) => {
  const lan = await startTestLan(t);
  const { code } = await lan.openWindow();
  const wrong = code === '0000-0000' ? '1111-1111' : '0000-0000';
  for (let i = 0; i < 5; i++) t.equal((await refused(lan.call('Pair', { code: wrong, client_name: 'x' }))).code, grpc.status.UNAUTHENTICATED);
  const closed = await refused(lan.call('Pair', { code, client_name: 'x' }));
  t.equal(closed.code, grpc.status.FAILED_PRECONDITION, 'the right code no longer works: the window closed');

  const admin = await lan.pair('admin', 'admin before lockout').catch((e) => e);
  t.ok(admin.token, 'a new window pairs (6 failures so far)');
  for (let i = 0; i < 4; i++) await refused(lan.call('ListDevices', {}, `zhl_guess${i}`));
  const blocked = await refused(lan.call('ListDevices', {}, admin.token));
  t.equal(blocked.code, grpc.status.RESOURCE_EXHAUSTED, 'even a valid token from that address waits');
  t.match(blocked.details, /too many failed attempts from 127\.0\.0\.1; try again in \d+ s/);
  lan.advance(61_000);
  t.ok(await lan.call('ListDevices', {}, admin.token), 'allowed again after the minute');
});

t.test('scopes: read cannot control, control cannot administer', async (t) => {
  const lan = await startTestLan(t);
  lan.store.devices.upsert(device(1));
  const reader = await lan.pair('read', 'dashboard');
  const tablet = await lan.pair('control', 'wall tablet');
  const admin = await lan.pair('admin', 'phone');
  const setState = { device: device(1).ieee, state: { fields: { state: { stringValue: 'ON' } } } };
  const denied = await refused(lan.call('SetState', setState, reader.token));
  t.equal(denied.code, grpc.status.PERMISSION_DENIED);
  t.match(denied.details, /SetState needs the "control" scope; this client \(dashboard\) has "read"/);
  t.ok(await lan.call('SetState', setState, tablet.token));
  t.equal((await refused(lan.call('PermitJoin', { seconds: 60 }, tablet.token))).code, grpc.status.PERMISSION_DENIED);
  t.equal((await refused(lan.call('RemoveDevice', { device: device(1).ieee }, tablet.token))).code, grpc.status.PERMISSION_DENIED);
  t.equal((await refused(lan.call('CreatePairingCode', {}, tablet.token))).code, grpc.status.PERMISSION_DENIED);
  t.same(await lan.call('PermitJoin', { seconds: 60 }, admin.token), { seconds: 60, via: '' });
  t.same(
    lan.executor.commands.map((c) => c.kind),
    ['set_state', 'permit_join'],
    'only the allowed commands reached the command path',
  );
  const created = await lan.call('CreatePairingCode', { scope: 'SCOPE_READ' }, admin.token);
  const viaAdmin = await lan.call('Pair', { code: created['code'], client_name: 'paired by admin' });
  t.equal(viaAdmin['scope'], 'SCOPE_READ');
});

t.test('a revoked token stops working at once, also on an open event stream', async (t) => {
  const lan = await startTestLan(t);
  const admin = await lan.pair('admin', 'phone');
  const tablet = await lan.pair('control', 'tablet');
  const client = await lan.client();
  const stream = watchCall(client, {}, tablet.token);
  const first = await new Promise<Record<string, any>>((resolve) => stream.once('data', resolve));
  t.ok(first['snapshot'], 'the stream began with a snapshot');
  const ended = new Promise<grpc.ServiceError>((resolve) => stream.on('error', resolve));

  const clients = await lan.call('ListClients', {}, admin.token);
  t.same(clients['clients'].map((c: { name: string }) => c.name).sort(), ['phone', 'tablet']);
  await lan.call('RevokeClient', { client_id: tablet.clientId }, admin.token);
  t.equal((await ended).code, grpc.status.UNAUTHENTICATED, 'the open stream was ended');
  t.equal((await refused(lan.call('ListDevices', {}, tablet.token))).code, grpc.status.UNAUTHENTICATED);
  t.ok(await lan.call('ListDevices', {}, admin.token), 'other clients are unaffected');
  t.equal((await refused(lan.call('RevokeClient', { client_id: 'nope' }, admin.token))).code, grpc.status.NOT_FOUND);
});

t.test('a client pinned to another certificate refuses the hub', async (t) => {
  const lan = await startTestLan(t);
  const other = createSelfSigned('another hub');
  await t.rejects(verifyHubCertificate(lan.address, other.fingerprint), FingerprintMismatchError);
  const client = pinnedClient(lan.address, { certificate: other.certPem, fingerprint: other.fingerprint });
  t.teardown(() => client.close());
  const error = await refused(unaryCall(client, 'GetHubInfo', {}, undefined, 20_000));
  t.equal(error.code, grpc.status.UNAVAILABLE, 'no TLS session with a hub whose certificate is not the pinned one');
});
