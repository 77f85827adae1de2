// Plaintext only to this machine; everything else must be TLS.
import t from 'tap';
import { CloudLink } from '../../daemon/cloud/link.js';
import { CloudLinkConfigError } from '../../daemon/cloud/credentials.js';
import { ConfigError, parseConfig } from '../../daemon/ops/config.js';
import { CaptureLog } from './helpers/capture-log.js';
import { MemoryOutbox } from './helpers/memory-outbox.js';

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

t.test('the config check and the link agree on which targets may be plaintext', async (t) => {
  for (const target of ['localhost:1', 'LOCALHOST:1', '127.1.2.3:1', '[::1]:1', '[0:0:0:0:0:0:0:1]:1', '[::ffff:127.0.0.1]:1',
    'foo.localhost:1', '127.999.0.1:1', '10.0.0.1:1', '[2001:db8::1]:1', 'cloud.example.com:443']) {
    let configAccepts = true;
    try {
      parseConfig({ cloud: { target, insecure: true } }, '/c.json');
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      configAccepts = false;
    }
    let linkAccepts = true;
    try {
      linkTo(target, 'insecure-loopback');
    } catch (error) {
      if (!(error instanceof CloudLinkConfigError)) throw error;
      linkAccepts = false;
    }
    t.equal(configAccepts, linkAccepts, target);
  }
});

t.test('half a client certificate is refused', async (t) => {
  t.throws(() => linkTo('cloud.example.com:443', { cert: 'x' }), { message: /cert and key/ });
});
