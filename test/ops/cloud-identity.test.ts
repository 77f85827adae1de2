// The cloud identity files are read with the config: a missing, empty or whitespace-only file is a
// configuration error naming its key, and the token's content never appears in the message.
import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, parseConfig } from '../../daemon/ops/config.js';
import { readCloudIdentity } from '../../daemon/ops/cloud-identity.js';
import { hasOpenssl, makeTestCerts } from '../cloud/helpers/test-certs.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function setup(t: Test, files: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloud-identity-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

t.test('a token file is read and trimmed; CA and client certificate are read as bytes', { skip: !hasOpenssl() && 'no openssl' }, async (t) => {
  const certs = makeTestCerts();
  const dir = setup(t, { token: '  s3cret-token-value\n', 'ca.pem': certs.ca.toString(), 'cert.pem': certs.clientCert.toString(), 'key.pem': certs.clientKey.toString() });
  const config = parseConfig(
    { cloud: { target: 'hub.example.com:443', token_file: 'token', ca_file: 'ca.pem', cert_file: 'cert.pem', key_file: 'key.pem' } },
    path.join(dir, 'config.json'),
  );
  const identity = readCloudIdentity(config);
  t.equal(identity.token, 's3cret-token-value');
  t.same([identity.ca, identity.cert, identity.key], [certs.ca, certs.clientCert, certs.clientKey]);
  t.equal(identity.insecureLoopback, false);
});

t.test('missing, empty and whitespace-only files are errors naming the key, never the content', async (t) => {
  const dir = setup(t, { empty: '', blank: ' \n\t\n' });
  const source = path.join(dir, 'config.json');
  const check = (cloud: Record<string, unknown>, key: string, why: RegExp) => {
    const config = parseConfig({ cloud: { target: 'hub.example.com:443', ...cloud } }, source);
    try {
      readCloudIdentity(config);
      t.fail(`expected an error for ${key}`);
    } catch (error) {
      t.type(error, ConfigError);
      t.match((error as Error).message, `cloud.${key}`);
      t.match((error as Error).message, why);
    }
  };
  check({ token_file: 'missing' }, 'token_file', /cannot read .*missing \(ENOENT\)/);
  check({ token_file: 'empty' }, 'token_file', /is empty/);
  check({ token_file: 'blank' }, 'token_file', /only whitespace/);
  check({ ca_file: 'missing', token_file: 'blank' }, 'ca_file', /ENOENT/);
});

t.test('the daemon refuses to start with a missing token file: exit 78, the key on stderr', async (t) => {
  const dir = setup(t, {});
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, JSON.stringify({ data_dir: 'data', cloud: { target: 'hub.example.com:443', token_file: 'no-such-token' } }));
  const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile(process.execPath, [path.join(repoRoot, 'bin/zigbee-hubd.js'), '--config', file], { cwd: repoRoot }, (error, _stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stderr }),
    );
  });
  t.equal(result.code, 78);
  t.match(result.stderr, `config ${file}: cloud.token_file: cannot read ${path.join(dir, 'no-such-token')} (ENOENT)`);
  t.notOk(fs.existsSync(path.join(dir, 'data')), 'nothing was started');
});
