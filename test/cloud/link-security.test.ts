// TLS and tokens end to end: the token reaches the platform as metadata, a wrong one is
// refused, client certificates work, and no token ever shows up in the link's logs.
import t from 'tap';
import { startReferenceCloud } from '../../scripts/reference-cloud/server.js';
import { CaptureLog } from './helpers/capture-log.js';
import { createLink, nextLinkEvent, stateEvent } from './helpers/link-fixture.js';
import { hasOpenssl, makeTestCerts } from './helpers/test-certs.js';

const IEEE = '0x00124b0001abcd01';
const TOKEN = 'tok_live_5f3c9a7e2b1d4c6f8a0e';

t.test('a token reaches the platform as metadata and never appears in logs (plaintext loopback)', async (t) => {
  const lines: string[] = [];
  const cloud = await startReferenceCloud({ token: TOKEN, log: (line) => lines.push(line) });
  t.teardown(() => cloud.stop());

  const good = createLink(cloud.port, { credentials: { insecureLoopback: true, token: TOKEN } });
  t.teardown(() => good.link.stop());
  good.outbox.append(stateEvent(IEEE, 1));
  good.link.start();
  await good.outbox.waitUntilAcked(1);
  t.match(cloud.connectedGateways(), [{ gatewayId: 'gw-test' }], 'accepted: the server checked the bearer token');
  await good.link.stop();

  const wrongToken = `${TOKEN}-revoked`;
  const bad = createLink(cloud.port, { gatewayId: 'gw-bad', credentials: { insecureLoopback: true, token: wrongToken } });
  t.teardown(() => bad.link.stop());
  const refused = nextLinkEvent(bad.link, 'disconnected');
  bad.link.start();
  t.match(await refused, { reason: /^stream closed \(UNAUTHENTICATED\): missing or invalid token$/ });
  t.same(cloud.events('gw-bad'), []);
  await bad.link.stop();

  for (const [name, text] of [['good link', good.log.text()], ['bad link', bad.log.text()], ['cloud', lines.join('\n')]] as const) {
    t.ok(text.length > 0, `${name} logged something`);
    t.notOk(text.includes(TOKEN.slice(4)), `${name} log has no token`);
  }
});

t.test('the token is registered with a redacting logger', async (t) => {
  const log = new CaptureLog();
  const secrets: string[] = [];
  log.addSecret = (secret: string) => void secrets.push(secret);
  const { link } = createLink(1, { credentials: { insecureLoopback: true, token: TOKEN }, log });
  t.same(secrets, [TOKEN]);
  await link.stop();
});

t.test('TLS with a private CA, a token and a client certificate (mTLS)', { skip: !hasOpenssl() && 'no openssl' }, async (t) => {
  const certs = makeTestCerts();
  const cloud = await startReferenceCloud({
    token: TOKEN,
    tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca },
  });
  t.teardown(() => cloud.stop());

  const mtls = createLink(cloud.port, {
    target: `localhost:${cloud.port}`,
    credentials: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey, token: TOKEN },
  });
  t.teardown(() => mtls.link.stop());
  mtls.outbox.append(stateEvent(IEEE, 7));
  mtls.link.start();
  await mtls.outbox.waitUntilAcked(1);
  t.equal(cloud.events('gw-test')[0]!.event.kind, 'state_changed');
  await mtls.link.stop();

  // Without a client certificate the platform refuses the TLS handshake.
  const noCert = createLink(cloud.port, { target: `localhost:${cloud.port}`, credentials: { ca: certs.ca, token: TOKEN } });
  t.teardown(() => noCert.link.stop());
  const refused = nextLinkEvent(noCert.link, 'disconnected');
  noCert.link.start();
  t.match(await refused, { reason: String });
  t.equal(noCert.link.status().welcomed, false);
  t.notOk(noCert.log.text().includes(TOKEN.slice(4)));
});

t.test('TLS refuses a platform certificate from an unknown CA', { skip: !hasOpenssl() && 'no openssl' }, async (t) => {
  const certs = makeTestCerts();
  const other = makeTestCerts();
  const cloud = await startReferenceCloud({ tls: { cert: certs.serverCert, key: certs.serverKey } });
  t.teardown(() => cloud.stop());
  const { link } = createLink(cloud.port, { target: `localhost:${cloud.port}`, credentials: { ca: other.ca } });
  t.teardown(() => link.stop());
  const refused = nextLinkEvent(link, 'disconnected');
  link.start();
  await refused;
  t.same(cloud.connectedGateways(), []);
});
