import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { ConfigError, defaultConfig, loadConfig, parseConfig } from '../../daemon/ops/config.js';

function tempDir(t: Test): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-config-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function writeConfig(dir: string, body: string, name = 'config.json'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, body);
  return file;
}

/** The ConfigError `fn` throws (fails the test if it throws nothing or something else). */
function configError(t: Test, fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  t.fail('expected a ConfigError');
  throw new Error('unreachable');
}

t.test('an empty object gives every default', async (t) => {
  const dir = tempDir(t);
  const config = loadConfig(writeConfig(dir, '{}'), { hostname: 'Living Room Pi' });
  t.same(config, {
    source: path.join(dir, 'config.json'),
    dataDir: '/var/lib/zigbee-hubd',
    shutdownTimeoutSeconds: 30,
    serial: { path: '/dev/ttyUSB0', adapter: 'zstack', baudRate: 115200, rtscts: false },
    zigbee: { channel: 11, permitJoinMaxSeconds: 254 },
    cloud: {
      enabled: false,
      target: undefined,
      gatewayId: 'living-room-pi',
      insecure: false,
      caFile: undefined,
      certFile: undefined,
      keyFile: undefined,
      tokenFile: undefined,
    },
    log: { level: 'info', format: 'auto', levels: {}, maxRepeatsPerMinute: 10 },
    availability: { mainsTimeoutSeconds: 600, batteryTimeoutSeconds: 90000, checkIntervalSeconds: 60 },
    store: { commitIntervalMs: 20, lastSeenFlushSeconds: 30, backupKeep: 7, outboxMaxEvents: 500_000, outboxMaxMegabytes: 100, outboxMaxAgeHours: 168 },
    lan: { enabled: true, listen: '0.0.0.0', port: 8443, mdns: true, pairingWindowSeconds: 120, adminSocket: '/var/lib/zigbee-hubd/admin/lan.sock' },
    metrics: { enabled: false, listen: '127.0.0.1', port: 9464 },
  });
  t.same(defaultConfig({ hostname: 'Living Room Pi' }).serial, config.serial);
  t.equal(defaultConfig().source, '(defaults)');
});

t.test('a full config is read into camelCase fields; relative paths resolve against the file', async (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'etc'));
  const file = writeConfig(
    path.join(dir, 'etc'),
    JSON.stringify({
      data_dir: '../state',
      serial: { path: 'tcp://127.0.0.1:6638', adapter: 'ember', baud_rate: 460800, rtscts: true },
      zigbee: { channel: 25, permit_join_max_seconds: 120 },
      cloud: { target: 'cloud.example.com:443', gateway_id: 'gw-1', ca_file: 'ca.pem', token_file: '/etc/hubd/token' },
      log: { level: 'debug', format: 'json' },
      availability: { mains_timeout_seconds: 300, battery_timeout_seconds: 7200 },
      store: { commit_interval_ms: 0, last_seen_flush_seconds: 5, backup_keep: 3, outbox_max_events: 20_000, outbox_max_megabytes: 5, outbox_max_age_hours: 48 },
      shutdown_timeout_seconds: 10,
    }),
  );
  const config = loadConfig(file);
  t.equal(config.dataDir, path.join(dir, 'state'));
  t.same(config.serial, { path: 'tcp://127.0.0.1:6638', adapter: 'ember', baudRate: 460800, rtscts: true });
  t.same(config.zigbee, { channel: 25, permitJoinMaxSeconds: 120 });
  t.equal(config.cloud.enabled, true, 'a target enables the cloud link unless enabled: false');
  t.equal(config.cloud.caFile, path.join(dir, 'etc', 'ca.pem'));
  t.equal(config.cloud.tokenFile, '/etc/hubd/token');
  t.equal(config.cloud.gatewayId, 'gw-1');
  t.same(config.log, { level: 'debug', format: 'json', levels: {}, maxRepeatsPerMinute: 10 });
  t.same(config.store, { commitIntervalMs: 0, lastSeenFlushSeconds: 5, backupKeep: 3, outboxMaxEvents: 20_000, outboxMaxMegabytes: 5, outboxMaxAgeHours: 48 });
  t.throws(() => parseConfig({ store: { outbox_max_events: 10 } }, '/c.json'), /store\.outbox_max_events: must be between 1000 and/);
  t.same(config.availability, { mainsTimeoutSeconds: 300, batteryTimeoutSeconds: 7200, checkIntervalSeconds: 30 }, 'check interval follows the timeouts');
  t.equal(config.shutdownTimeoutSeconds, 10);
});

t.test('lan: keys, the admin socket beside the data, a bad listen address named', async (t) => {
  const config = parseConfig({ data_dir: '/srv/hub', lan: { port: 0, mdns: false, listen: '::', pairing_window_seconds: 300 } }, '/etc/c.json');
  t.same(config.lan, { enabled: true, listen: '::', port: 0, mdns: false, pairingWindowSeconds: 300, adminSocket: '/srv/hub/admin/lan.sock' });
  t.throws(() => parseConfig({ lan: { listen: 'my-hub' } }, '/c.json'), /lan\.listen: expected an IP address/);
  t.throws(() => parseConfig({ lan: { port: 70000 } }, '/c.json'), /lan\.port: must be between 0 and 65535/);
});

t.test('availability: short timeouts for tests, an explicit check interval, limits', async (t) => {
  const short = parseConfig({ availability: { mains_timeout_seconds: 2, battery_timeout_seconds: 3 } }, '/c.json');
  t.same(short.availability, { mainsTimeoutSeconds: 2, batteryTimeoutSeconds: 3, checkIntervalSeconds: 1 });
  const explicit = parseConfig({ availability: { check_interval_seconds: 5 } }, '/c.json');
  t.equal(explicit.availability.checkIntervalSeconds, 5);
  t.match(
    configError(t, () => parseConfig({ availability: { mains_timeout_seconds: 0 } }, '/c.json')).message,
    'availability.mains_timeout_seconds: must be between 1 and 2000000, got 0',
  );
  t.match(
    configError(t, () => parseConfig({ availability: { check_interval_seconds: 3601 } }, '/c.json')).message,
    'availability.check_interval_seconds: must be between 1 and 3600',
  );
});

t.test('unknown keys are rejected with a suggestion', async (t) => {
  const err = configError(t, () => parseConfig({ serail: { path: '/dev/ttyACM0' } }, '/etc/hubd.json'));
  t.match(err.message, 'unknown key "serail" (did you mean "serial"?)');
  t.match(err.message, '/etc/hubd.json');

  const nested = configError(t, () => parseConfig({ serial: { baudrate: 9600 }, dataDir: '/x' }, '/etc/hubd.json'));
  t.same(nested.problems, [
    { path: 'serial', message: 'unknown key "baudrate" (did you mean "baud_rate"?)' },
    { path: '', message: 'unknown key "dataDir" (did you mean "data_dir"?)' },
  ]);

  const unrelated = configError(t, () => parseConfig({ mqtt: {} }, '/etc/hubd.json'));
  t.same(unrelated.problems, [{ path: '', message: 'unknown key "mqtt"' }], 'no far-fetched suggestion');
});

t.test('wrong types name the key path, the expectation and the value', async (t) => {
  const err = configError(t, () => parseConfig({ serial: { path: 42, rtscts: 'yes' }, store: 'fast' }, '/c.json'));
  t.same(err.problems, [
    { path: 'serial.path', message: 'expected a string, got 42' },
    { path: 'serial.rtscts', message: 'expected true or false, got "yes"' },
    { path: 'store', message: 'expected an object, got "fast"' },
  ]);
  t.match(err.message, 'config /c.json: serial.path: expected a string, got 42');
  t.match(configError(t, () => parseConfig([], '/c.json')).message, 'expected an object, got an array');
  t.match(configError(t, () => parseConfig({ zigbee: { channel: 15.5 } }, '/c.json')).message, 'zigbee.channel: expected an integer, got 15.5');
});

t.test('ranges and choices are enforced', async (t) => {
  t.match(configError(t, () => parseConfig({ zigbee: { channel: 27 } }, '/c.json')).message, 'zigbee.channel: must be between 11 and 26, got 27');
  t.match(configError(t, () => parseConfig({ zigbee: { channel: 10 } }, '/c.json')).message, 'zigbee.channel');
  t.match(
    configError(t, () => parseConfig({ serial: { adapter: 'ezsp' } }, '/c.json')).message,
    'serial.adapter: expected one of "zstack", "ember", "deconz", "zigate", "zboss", "zoh", "auto", got "ezsp"',
  );
  t.match(configError(t, () => parseConfig({ log: { level: 'trace' } }, '/c.json')).message, 'log.level: expected one of');
  t.match(configError(t, () => parseConfig({ serial: { path: 'ttyUSB0' } }, '/c.json')).message, 'serial.path: expected a device path');
  t.match(configError(t, () => parseConfig({ serial: { path: 'tcp://host' } }, '/c.json')).message, 'serial.path: expected tcp://host:port');
  t.match(configError(t, () => parseConfig({ serial: { path: '' } }, '/c.json')).message, 'serial.path: must not be empty');
  t.match(configError(t, () => parseConfig({ cloud: { gateway_id: 'a b' } }, '/c.json')).message, 'cloud.gateway_id');
});

t.test('cloud settings are checked together', async (t) => {
  const src = '/c.json';
  t.match(configError(t, () => parseConfig({ cloud: { enabled: true } }, src)).message, 'cloud.target: required when cloud.enabled is true');
  t.match(configError(t, () => parseConfig({ cloud: { target: 'nohost' } }, src)).message, 'cloud.target: expected host:port');
  t.match(
    configError(t, () => parseConfig({ cloud: { target: 'cloud.example.com:443', insecure: true, token_file: '/t' } }, src)).message,
    'cloud.insecure: plaintext is only allowed to a loopback target',
  );
  t.match(configError(t, () => parseConfig({ cloud: { target: 'c.example:443', cert_file: '/c.pem' } }, src)).message, 'cloud.key_file');
  t.match(configError(t, () => parseConfig({ cloud: { target: 'c.example:443' } }, src)).message, 'cloud: needs a gateway identity');

  const dev = parseConfig({ cloud: { target: '[::1]:50051', insecure: true } }, src);
  t.equal(dev.cloud.enabled, true);
  t.equal(dev.cloud.insecure, true, 'plaintext to loopback is fine for development');
  t.equal(parseConfig({ cloud: { target: 'c.example:443', enabled: false } }, src).cloud.enabled, false, 'configured but off needs no identity');
});

t.test('a file that is not valid YAML (or JSON) names the file and the position', async (t) => {
  const dir = tempDir(t);
  const file = writeConfig(dir, '{\n  "serial": {\n    "path": "/dev/ttyUSB0"\n  \n}\n');
  const err = configError(t, () => loadConfig(file));
  t.match(err.message, file);
  t.match(err.message, /not valid YAML at line \d+, column \d+: Flow map must end with a \}/);

  const duplicate = configError(t, () => loadConfig(writeConfig(dir, 'log:\n  level: info\nlog:\n  level: debug\n', 'dup.yaml')));
  t.match(duplicate.message, 'not valid YAML at line 3, column 1: Map keys must be unique');

  // YAML is lenient where JSON was strict: a trailing comma and single quotes are fine.
  t.equal(loadConfig(writeConfig(dir, "{'zigbee': {'channel': 21,},}", 'lenient.json')).zigbee.channel, 21);

  t.match(configError(t, () => loadConfig(writeConfig(dir, '  \n', 'empty.json'))).message, 'the file is empty');
  const bom = loadConfig(writeConfig(dir, '\ufeff{"zigbee": {"channel": 20}}', 'bom.json'));
  t.equal(bom.zigbee.channel, 20, 'a byte-order mark is tolerated');
});

t.test('a missing or unreadable file is a clear error', async (t) => {
  const dir = tempDir(t);
  const missing = path.join(dir, 'nope.json');
  t.match(configError(t, () => loadConfig(missing)).message, `config ${missing}: cannot read the file: no such file`);
  t.match(configError(t, () => loadConfig(dir)).message, 'it is a directory');
});

t.test('all problems are reported in one go', async (t) => {
  const err = configError(t, () => parseConfig({ serial: { baud_rate: 'fast' }, zigbee: { channel: 99 }, bogus: 1 }, '/c.json'));
  t.equal(err.problems.length, 3);
  t.equal(err.message.split('\n').length, 3, 'one line per problem');
});

t.test('metrics: off by default, loopback only', async (t) => {
  t.same(defaultConfig().metrics, { enabled: false, listen: '127.0.0.1', port: 9464 });
  t.equal(parseConfig({ metrics: { enabled: true, listen: '::1', port: 0 } }, '/c.json').metrics.listen, '::1');
  t.match(configError(t, () => parseConfig({ metrics: { listen: '0.0.0.0' } }, '/c.json')).message, 'metrics.listen: must be a loopback address');
  t.match(configError(t, () => parseConfig({ metrics: { prot: 1 } }, '/c.json')).message, 'unknown key "prot" (did you mean "port"?)');
});

t.test('log.levels: a level per namespace', async (t) => {
  t.same(parseConfig({ log: { levels: { zigbee: 'debug', 'zigbee:herdsman': 'warn' } } }, '/c.yaml').log.levels, { zigbee: 'debug', 'zigbee:herdsman': 'warn' });
  t.match(configError(t, () => parseConfig({ log: { levels: { cloud: 'loud' } } }, '/c.yaml')).message, 'log.levels.cloud: expected one of');
  t.match(configError(t, () => parseConfig({ log: { levels: { 'Zigbee Stuff': 'debug' } } }, '/c.yaml')).message, 'log.levels: "Zigbee Stuff" is not a log namespace');
  t.match(configError(t, () => parseConfig({ log: { levels: 'debug' } }, '/c.yaml')).message, 'log.levels: expected an object');
});
