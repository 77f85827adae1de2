// Starting and stopping the LAN API: the TLS identity is made once and kept, a port that is
// taken is a clear error, and the hub is found over mDNS with its fingerprint until it stops.
import * as grpc from '@grpc/grpc-js';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import t from 'tap';
import { Bonjour } from 'bonjour-service';
import { loadOrCreateTlsIdentity } from '../../daemon/lan/index.js';
import { LanGrpcServer } from '../../daemon/lan/grpc-server.js';
import { healthService } from '../../daemon/lan/grpc-health.js';
import { discoverHubs } from '../../scripts/hubctl/discover.js';
import { fetchCertificate } from '../../scripts/hubctl/pinned-client.js';
import { startTestLan } from './helpers.js';

t.test('the TLS identity is created once, kept across starts, and its key made private again', async (t) => {
  const dir = t.testdir({});
  const first = loadOrCreateTlsIdentity(dir, 'hub');
  t.equal(first.created, true);
  t.match(first.fingerprint, /^sha256:[0-9a-f]{64}$/);
  fs.chmodSync(path.join(dir, 'lan-key.pem'), 0o644);
  const again = loadOrCreateTlsIdentity(dir, 'hub');
  t.equal(again.created, false);
  t.equal(again.fingerprint, first.fingerprint, 'same certificate, same fingerprint: clients stay paired');
  t.equal(fs.statSync(path.join(dir, 'lan-key.pem')).mode & 0o777, 0o600);
  const x509 = new crypto.X509Certificate(again.certPem);
  t.ok(x509.verify(x509.publicKey), 'self-signed: the certificate verifies with its own key');

  fs.writeFileSync(path.join(dir, 'lan-key.pem'), crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
  t.throws(() => loadOrCreateTlsIdentity(dir, 'hub'), /does not belong to .*lan-cert\.pem; move both aside/);
});

t.test('a port that is taken is an error naming the address', async (t) => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.teardown(() => blocker.close());
  const port = (blocker.address() as net.AddressInfo).port;
  const lan = await startTestLan(t);
  const server = new LanGrpcServer({
    service: undefined as never, // never called: binding fails first
    tls: loadOrCreateTlsIdentity(path.join(lan.dir, 'lan'), 'hub'),
    host: '127.0.0.1',
    port,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  await t.rejects(server.start(), new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use`));
});

t.test('mDNS: the hub is discoverable with its fingerprint, and says goodbye when it stops', async (t) => {
  const hubId = `test-${crypto.randomBytes(4).toString('hex')}`;
  const lan = await startTestLan(t, { mdns: true, hubId });
  const hubs = await discoverHubs(3000);
  const ours = hubs.find((h) => h.hubId === hubId);
  t.ok(ours, 'found');
  t.match(ours, { port: lan.lan.port, api: 'v1', version: '0.0.0-test', fingerprint: lan.lan.fingerprint });

  const bonjour = new Bonjour();
  t.teardown(() => bonjour.destroy());
  const gone = new Promise<void>((resolve) => {
    const browser = bonjour.find({ type: 'zigbee-hubd' });
    browser.on('down', (service: { txt?: Record<string, string> }) => {
      if (service.txt?.['id'] === hubId) resolve();
    });
    browser.on('up', (service: { txt?: Record<string, string> }) => {
      if (service.txt?.['id'] === hubId) void lan.lan.stop();
    });
  });
  await gone;
  t.pass('a goodbye was sent on stop');
});

t.test('the standard gRPC health service answers without a token, and only about itself', async (t) => {
  const lan = await startTestLan(t);
  const certificate = await fetchCertificate(lan.address);
  const Health = grpc.makeGenericClientConstructor(healthService, 'Health');
  const credentials = grpc.credentials.createSsl(Buffer.from(certificate.pem), null, null, { checkServerIdentity: () => undefined });
  const client = new Health(lan.address, credentials, { 'grpc.ssl_target_name_override': 'zigbee-hubd' }) as unknown as grpc.Client &
    Record<string, (req: unknown, cb: (e: grpc.ServiceError | null, r: { status: string }) => void) => void>;
  t.teardown(() => client.close());
  const check = (service: string) =>
    new Promise<{ status?: string; code?: number }>((resolve) => client['Check']!({ service }, (error, reply) => resolve(error ? { code: error.code } : reply)));
  t.same(await check(''), { status: 'SERVING' });
  t.same(await check('zigbee_hubd.lan.v1.HubLan'), { status: 'SERVING' });
  t.same(await check('something.Else'), { code: grpc.status.NOT_FOUND });
});
