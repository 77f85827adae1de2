// Identity files that exist but cannot work: a token with a line break, PEM that does not
// parse, a key that is not the certificate's, a CA file without a certificate. Each is a config
// error naming its key (exit 78), found by --check-config and at start, before anything opens.
// Through the real CLI child process; the secrets never appear in what it prints.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { hasOpenssl, makeTestCerts } from '../cloud/helpers/test-certs.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const bin = path.join(repoRoot, 'bin', 'zigbee-hubd.js');
const TOKEN = 'first-half-of-token';

function runHubd(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: repoRoot, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

t.test('identity files that cannot work are config errors', { skip: !hasOpenssl() && 'no openssl' }, async (t) => {
  const certs = makeTestCerts();
  const other = makeTestCerts();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-identity-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const files: Record<string, string | Buffer> = {
    'token-two-lines': `${TOKEN}\nsecond-half\n`,
    'token-good': `${TOKEN}\n`,
    'cert.pem': certs.clientCert,
    'key.pem': certs.clientKey,
    'other-key.pem': other.clientKey,
    'ca.pem': certs.ca,
    'garbage.pem': '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n',
    'not-a-cert.pem': certs.clientKey,
    'bad-key.pem': '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
  };
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  const target = 'hub.example.com:443';
  const cases: Array<{ what: string; cloud: Record<string, unknown>; key: string; why: RegExp }> = [
    { what: 'a token file with a line break', cloud: { token_file: 'token-two-lines' }, key: 'token_file', why: /one line .* found a line break at character 20/ },
    { what: 'a certificate that does not parse', cloud: { cert_file: 'garbage.pem', key_file: 'key.pem' }, key: 'cert_file', why: /does not hold a valid certificate/ },
    { what: 'a certificate file holding a key', cloud: { cert_file: 'not-a-cert.pem', key_file: 'key.pem' }, key: 'cert_file', why: /holds no PEM certificate/ },
    { what: 'a key that does not parse', cloud: { cert_file: 'cert.pem', key_file: 'bad-key.pem' }, key: 'key_file', why: /does not hold a usable PEM private key/ },
    { what: "a key that is not the certificate's", cloud: { cert_file: 'cert.pem', key_file: 'other-key.pem' }, key: 'key_file', why: /is not the private key of the certificate/ },
    { what: 'a CA file that is not a certificate', cloud: { token_file: 'token-good', ca_file: 'key.pem' }, key: 'ca_file', why: /holds no PEM certificate/ },
    { what: 'a CA file whose certificate does not parse', cloud: { token_file: 'token-good', ca_file: 'garbage.pem' }, key: 'ca_file', why: /certificate 1 of 1 does not parse/ },
  ];
  for (const { what, cloud, key, why } of cases) {
    await t.test(what, async (t) => {
      const file = path.join(dir, `config-${key}.json`);
      fs.writeFileSync(file, JSON.stringify({ data_dir: 'data', serial: { path: 'tcp://127.0.0.1:9' }, cloud: { target, ...cloud } }));
      for (const args of [['--config', file, '--check-config'], ['--config', file]]) {
        const { code, stdout, stderr } = await runHubd(args);
        t.equal(code, 78, `${args.join(' ')}: exit 78`);
        t.match(stderr, `config ${file}: cloud.${key}: `, 'names the key');
        t.match(stderr, why, stderr.trim());
        t.notMatch(stdout + stderr, /second-half|BEGIN PRIVATE KEY|first-half/, 'no secret printed');
        t.notOk(fs.existsSync(path.join(dir, 'data')), 'nothing started');
      }
    });
  }

  // Found by the fuzzer: with a second problem in the config (no identity at all), the file that
  // holds the wrong thing went unmentioned, so fixing the first problem only revealed the next.
  await t.test('a token in ca_file and no identity: both problems named in one run', async (t) => {
    const file = path.join(dir, 'config-token-as-ca.json');
    fs.writeFileSync(file, JSON.stringify({ data_dir: 'data', serial: { path: 'tcp://127.0.0.1:9' }, cloud: { target, ca_file: 'token-good' } }));
    const { code, stdout, stderr } = await runHubd(['--config', file, '--check-config']);
    t.equal(code, 78);
    t.match(stderr, `config ${file}: cloud: needs a gateway identity`);
    t.match(stderr, new RegExp(`config ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cloud\\.ca_file: .*holds no PEM certificate`));
    t.notMatch(stdout + stderr, /first-half/, 'the token is not printed');
  });

  await t.test('good files pass', async (t) => {
    const file = path.join(dir, 'config-good.json');
    fs.writeFileSync(file, JSON.stringify({ cloud: { target, token_file: 'token-good', ca_file: 'ca.pem', cert_file: 'cert.pem', key_file: 'key.pem' } }));
    const { code, stdout } = await runHubd(['--config', file, '--check-config']);
    t.equal(code, 0);
    t.equal(stdout, `config OK: ${file}\n`);
  });
});
