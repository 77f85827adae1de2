// A throwaway CA, a server certificate for localhost/127.0.0.1 and a client certificate,
// made with the openssl command line in a temp dir, for the TLS / mTLS tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCerts {
  ca: Buffer;
  serverCert: Buffer;
  serverKey: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
}

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function makeTestCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-certs-'));
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  try {
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', '/CN=zigbee-hubd test CA', '-keyout', path('ca.key'), '-out', path('ca.pem'));
    const issue = (name: string, subject: string, extensions: string) => {
      writeFileSync(path(`${name}.ext`), extensions);
      openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', subject,
        '-keyout', path(`${name}.key`), '-out', path(`${name}.csr`));
      openssl('x509', '-req', '-in', path(`${name}.csr`), '-CA', path('ca.pem'), '-CAkey', path('ca.key'),
        '-CAcreateserial', '-days', '2', '-extfile', path(`${name}.ext`), '-out', path(`${name}.pem`));
    };
    issue('server', '/CN=localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    issue('client', '/CN=gw-test', 'extendedKeyUsage=clientAuth\n');
    return {
      ca: readFileSync(path('ca.pem')),
      serverCert: readFileSync(path('server.pem')),
      serverKey: readFileSync(path('server.key')),
      clientCert: readFileSync(path('client.pem')),
      clientKey: readFileSync(path('client.key')),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
