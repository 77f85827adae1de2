// Plaintext only to this machine; everything else must be TLS.
import t from 'tap';
import { CloudLink } from '../../daemon/cloud/link.js';
import { CloudLinkConfigError, isLoopbackTarget } from '../../daemon/cloud/credentials.js';
import { CaptureLog } from './helpers/capture-log.js';
import { MemoryOutbox } from './helpers/memory-outbox.js';

t.test('loopback targets are recognised in every gRPC target form', async (t) => {
  for (const target of ['localhost:50051', '127.0.0.1:1', '127.8.9.10:1', '[::1]:50051', 'dns:localhost:1', 'dns:///localhost:1',
    'ipv4:127.0.0.1:1,127.0.0.2:2', 'ipv6:[::1]:1', 'unix:/run/cloud.sock', 'unix:///run/cloud.sock', 'LOCALHOST:1']) {
    t.ok(isLoopbackTarget(target), target);
  }
  for (const target of ['cloud.example.com:443', '10.0.0.1:50051', 'dns:///cloud.example.com:443', '[2001:db8::1]:443',
    'ipv4:127.0.0.1:1,10.0.0.1:2', 'localhost.evil.com:1', '128.0.0.1:1', '0.0.0.0:1', '']) {
    t.notOk(isLoopbackTarget(target), target);
  }
});

function linkTo(target: string, credentials: ConstructorParameters<typeof CloudLink>[0]['credentials']) {
  return new CloudLink({
    target,
    gatewayId: 'gw',
    firmwareVersion: '1',
    credentials,
    outbox: new MemoryOutbox(),
    commands: { execute: async () => ({ ok: true }) },
    emit: () => undefined,
    log: new CaptureLog(),
  });
}

t.test('insecure credentials to a non-loopback target are refused with a clear error', async (t) => {
  t.throws(() => linkTo('cloud.example.com:443', 'insecure-loopback'), {
    name: 'CloudLinkConfigError',
    message: /refusing plaintext.*cloud\.example\.com:443.*TLS/,
  });
  t.throws(() => linkTo('10.1.2.3:50051', { insecureLoopback: true, token: 'secret-abc' }), CloudLinkConfigError);
  t.doesNotThrow(() => linkTo('127.0.0.1:50051', 'insecure-loopback'));
  t.doesNotThrow(() => linkTo('cloud.example.com:443', { token: 't' }), 'TLS to a remote host is fine');
});

t.test('half a client certificate is refused', async (t) => {
  t.throws(() => linkTo('cloud.example.com:443', { cert: 'x' }), { message: /cert and key/ });
});
