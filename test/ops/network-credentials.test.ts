import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { createLogger } from '../../daemon/ops/logger.js';
import {
  generateCredentials,
  loadOrCreateNetworkCredentials,
  NetworkCredentialsError,
} from '../../daemon/ops/network-credentials.js';

function tempDataDir(t: Test): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-creds-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'data'); // not created yet: first start creates it
}

function capturingLogger() {
  const lines: string[] = [];
  return { log: createLogger({ out: { write: (l: string) => lines.push(l) }, format: 'json', level: 'debug' }), lines };
}

function loadError(fn: () => unknown): NetworkCredentialsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof NetworkCredentialsError) return error;
    throw error;
  }
  throw new Error('expected a NetworkCredentialsError');
}

t.test('first start generates credentials once, in a 0600 file; later starts load the same', async (t) => {
  const dataDir = tempDataDir(t);
  const first = loadOrCreateNetworkCredentials(dataDir, capturingLogger().log);
  t.equal(first.created, true);
  t.equal(first.file, path.join(dataDir, 'network.json'));
  t.equal(fs.statSync(first.file).mode & 0o777, 0o600);
  t.same(fs.readdirSync(dataDir), ['network.json'], 'no temp file left behind');

  const stored = JSON.parse(fs.readFileSync(first.file, 'utf8'));
  t.equal(stored.network_key, first.networkKey.toString('hex'));
  t.equal(stored.pan_id, first.panId);
  t.equal(stored.extended_pan_id, first.extendedPanId.toString('hex'));

  const second = loadOrCreateNetworkCredentials(dataDir, capturingLogger().log);
  t.equal(second.created, false);
  t.ok(second.networkKey.equals(first.networkKey));
  t.equal(second.panId, first.panId);
  t.ok(second.extendedPanId.equals(first.extendedPanId));
});

t.test('generated values are in range and avoid reserved and well-known ones', async (t) => {
  const bad: string[] = [];
  for (let i = 0; i < 200; i++) {
    const c = generateCredentials((n) => crypto.getRandomValues(Buffer.alloc(n)));
    if (c.networkKey.length !== 16) bad.push(`key of ${c.networkKey.length} bytes`);
    if (c.extendedPanId.length !== 8) bad.push(`extended pan id of ${c.extendedPanId.length} bytes`);
    if (c.panId < 0x0001 || c.panId > 0xfffe) bad.push(`pan id ${c.panId}`);
  }
  t.same(bad, [], '200 random generations all in range');
  // A random source that first offers every value we must refuse.
  const offers = [
    Buffer.alloc(16, 0), // all-zero key
    Buffer.from([1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 13]), // Zigbee2MQTT's default key
    Buffer.alloc(16, 0x42),
    Buffer.from([0xff, 0xff]),
    Buffer.from([0x00, 0x00]),
    Buffer.from([0x1a, 0x62]), // Zigbee2MQTT's default PAN ID
    Buffer.from([0x12, 0x34]),
    Buffer.alloc(8, 0xdd),
    Buffer.alloc(8, 0xff),
    Buffer.alloc(8, 0x00),
    Buffer.from('0102030405060708', 'hex'),
  ];
  const c = generateCredentials((n) => {
    const next = offers.shift();
    if (next === undefined || next.length !== n) throw new Error(`unexpected request for ${n} bytes`);
    return next;
  });
  t.same([...c.networkKey], new Array(16).fill(0x42));
  t.equal(c.panId, 0x1234);
  t.equal(c.extendedPanId.toString('hex'), '0102030405060708');
  t.equal(offers.length, 0);
});

t.test('the network key is registered as a log secret', async (t) => {
  const dataDir = tempDataDir(t);
  const first = capturingLogger();
  const creds = loadOrCreateNetworkCredentials(dataDir, first.log);
  const reloaded = capturingLogger();
  loadOrCreateNetworkCredentials(dataDir, reloaded.log);
  for (const { log, lines } of [first, reloaded]) {
    log.info(`adapter options ${creds.networkKey.toString('hex')}`, { networkKeyArray: [...creds.networkKey] });
    const all = lines.join('');
    t.notMatch(all, creds.networkKey.toString('hex'));
    t.notMatch(all, [...creds.networkKey].join(','));
    t.match(all, 'adapter options [redacted]');
  }
});

t.test('a corrupt or invalid file stops the start, names the file, never shows the key, is left alone', async (t) => {
  const dataDir = tempDataDir(t);
  const creds = loadOrCreateNetworkCredentials(dataDir, capturingLogger().log);
  const file = creds.file;
  const keyHex = creds.networkKey.toString('hex');
  const good = fs.readFileSync(file, 'utf8');

  const cases: Array<[string, string, RegExp]> = [
    ['truncated JSON', good.slice(0, good.indexOf(keyHex) + 20), /is not valid JSON \(line \d+, column \d+/],
    ['empty file', '', /is not valid JSON/],
    ['short key', good.replace(keyHex, keyHex.slice(2)), /invalid "network_key" \(expected 32 hex digits\)/],
    ['non-hex key', good.replace(keyHex, `zz${keyHex.slice(2)}`), /invalid "network_key"/],
    ['pan id 0xFFFF', good.replace(/"pan_id": \d+/, '"pan_id": 65535'), /invalid "pan_id"/],
    ['all-FF extended pan id', good.replace(/"extended_pan_id": "[0-9a-f]+"/, '"extended_pan_id": "ffffffffffffffff"'), /extended_pan_id/],
    ['newer version', good.replace('"version": 1', '"version": 2'), /newer zigbee-hubd/],
    ['not an object', JSON.stringify([keyHex]), /does not hold a JSON object/],
  ];
  for (const [name, content, expected] of cases) {
    fs.writeFileSync(file, content, { mode: 0o600 });
    const { log, lines } = capturingLogger();
    const err = loadError(() => loadOrCreateNetworkCredentials(dataDir, log));
    t.match(err.message, expected, name);
    t.match(err.message, file, `${name}: names the file`);
    t.match(err.message, 'Refusing to start', name);
    t.notMatch(err.message, keyHex.slice(4, 20), `${name}: no part of the key in the message`);
    t.notMatch(lines.join(''), keyHex.slice(4, 20), `${name}: nor in the log`);
    t.equal(fs.readFileSync(file, 'utf8'), content, `${name}: the file is not regenerated`);
  }
});

t.test('an unreadable file is an error, not a reason to regenerate', { skip: process.getuid?.() === 0 ? 'root reads anything' : false }, async (t) => {
  const dataDir = tempDataDir(t);
  const { file } = loadOrCreateNetworkCredentials(dataDir, capturingLogger().log);
  fs.chmodSync(file, 0o000);
  t.match(loadError(() => loadOrCreateNetworkCredentials(dataDir, capturingLogger().log)).message, /cannot be read \(EACCES\)/);
});

t.test('loose permissions are tightened and stale temp files removed', async (t) => {
  const dataDir = tempDataDir(t);
  const { file } = loadOrCreateNetworkCredentials(dataDir, capturingLogger().log);
  fs.chmodSync(file, 0o644);
  fs.writeFileSync(path.join(dataDir, '.network.json.tmp-12345'), '{"half":');
  const { log, lines } = capturingLogger();
  loadOrCreateNetworkCredentials(dataDir, log);
  t.equal(fs.statSync(file).mode & 0o777, 0o600);
  t.match(lines.join(''), 'permissions reset to 0600');
  t.same(fs.readdirSync(dataDir), ['network.json']);
});
