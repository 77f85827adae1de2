// The config as documented in CONFIG.md: a YAML file, ZIGBEE_HUBD_* overrides for every key, a
// bad key named (also when a variable set it), and --print-config through the real CLI.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import t, { type Test } from 'tap';
import { applyEnvOverrides } from '../../daemon/ops/config-env.js';
import { printableConfig } from '../../daemon/ops/config-print.js';
import { ConfigError, defaultConfig, loadConfig, parseConfig } from '../../daemon/ops/config.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const bin = path.join(repoRoot, 'bin', 'zigbee-hubd.js');

function tempFile(t: Test, name: string, body: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-yaml-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, name);
  fs.writeFileSync(file, body);
  return file;
}

function runHubd(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

const YAML_CONFIG = `# a Zigbee2MQTT-style file
data_dir: ./data
serial:
  path: /dev/serial/by-id/usb-ITead_Sonoff_Zigbee_3.0_USB_Dongle_Plus-if00-port0
  adapter: zstack
zigbee:
  channel: 25
log: { level: debug }   # flow style works too
`;

t.test('a YAML file with comments is read like the JSON one', async (t) => {
  const file = tempFile(t, 'config.yaml', YAML_CONFIG);
  const config = loadConfig(file);
  t.equal(config.dataDir, path.join(path.dirname(file), 'data'));
  t.equal(config.serial.path, '/dev/serial/by-id/usb-ITead_Sonoff_Zigbee_3.0_USB_Dongle_Plus-if00-port0');
  t.equal(config.zigbee.channel, 25);
  t.equal(config.log.level, 'debug');
  // YAML 1.2: "yes" is a string, so it is still caught as not a boolean.
  const yes = tempFile(t, 'yes.yaml', 'serial:\n  rtscts: yes\n');
  t.throws(() => loadConfig(yes), /serial\.rtscts: expected true or false, got "yes"/);
});

t.test('every key can be overridden from the environment, with the file\'s types', async (t) => {
  const file = tempFile(t, 'config.yaml', YAML_CONFIG);
  const env = {
    ZIGBEE_HUBD_SERIAL__PATH: '/dev/ttyACM0',
    ZIGBEE_HUBD_ZIGBEE__CHANNEL: '15',
    ZIGBEE_HUBD_SERIAL__RTSCTS: 'true',
    ZIGBEE_HUBD_DATA_DIR: '/srv/hub',
    ZIGBEE_HUBD_CLOUD__GATEWAY_ID: '"1234"',
    ZIGBEE_HUBD_STORE__OUTBOX_MAX_EVENTS: '2000',
    ZIGBEE_HUBD_RUNTIME: 'dist',
  };
  const config = loadConfig(file, { env });
  t.equal(config.serial.path, '/dev/ttyACM0', 'overrides the file');
  t.equal(config.serial.adapter, 'zstack', 'the rest of the section is kept');
  t.equal(config.zigbee.channel, 15, 'a number');
  t.equal(config.serial.rtscts, true, 'a boolean');
  t.equal(config.dataDir, '/srv/hub', 'a top-level key');
  t.equal(config.store.outboxMaxEvents, 2000);
  t.equal(config.cloud.gatewayId, '1234', 'a quoted number stays a string');
  t.equal(defaultConfig({ env: { ZIGBEE_HUBD_LAN__PORT: '9443' } }).lan.port, 9443, 'without a file too');
  // An unquoted numeric gateway id is a number and is refused like the same value in the file.
  t.throws(() => parseConfig({}, '/c.yaml', { env: { ZIGBEE_HUBD_CLOUD__GATEWAY_ID: '1234' } }), /cloud\.gateway_id: expected a string, got 1234 \(set by ZIGBEE_HUBD_CLOUD__GATEWAY_ID\)/);
  t.same(applyEnvOverrides({ a: 1 }, {}).merged, { a: 1 }, 'no variables, the file as it is');
});

t.test('a bad key or value from a variable is named with the variable', async (t) => {
  const err = t.throws(() => parseConfig({}, '/etc/c.yaml', { env: { ZIGBEE_HUBD_SERAIL__PATH: '/dev/x', ZIGBEE_HUBD_ZIGBEE__CHANEL: '20', ZIGBEE_HUBD_ZIGBEE__PERMIT_JOIN_MAX_SECONDS: '900' } })) as ConfigError;
  t.type(err, ConfigError);
  t.same(err.message.split('\n').sort(), [
    'config /etc/c.yaml: unknown key "serail" (did you mean "serial"?) (set by ZIGBEE_HUBD_SERAIL__PATH)',
    'config /etc/c.yaml: zigbee.permit_join_max_seconds: must be between 1 and 254, got 900 (set by ZIGBEE_HUBD_ZIGBEE__PERMIT_JOIN_MAX_SECONDS)',
    'config /etc/c.yaml: zigbee: unknown key "chanel" (did you mean "channel"?) (set by ZIGBEE_HUBD_ZIGBEE__CHANEL)',
  ].sort());
});

t.test('--print-config prints the effective config as YAML that reads back the same', async (t) => {
  const file = tempFile(t, 'config.yaml', YAML_CONFIG);
  const { code, stdout, stderr } = await runHubd(['--config', file, '--print-config'], { ZIGBEE_HUBD_ZIGBEE__CHANNEL: '20' });
  t.equal(code, 0, stderr);
  t.match(stdout, `# effective config: ${file}, defaults and ZIGBEE_HUBD_* overrides\n`);
  const printed = parseYaml(stdout) as { zigbee: { channel: number }; serial: { baud_rate: number } };
  t.equal(printed.zigbee.channel, 20, 'the override');
  t.equal(printed.serial.baud_rate, 115200, 'a default, in the file\'s key names');
  const again = tempFile(t, 'printed.yaml', stdout);
  const { source: _a, ...fromPrinted } = loadConfig(again);
  const { source: _b, ...effective } = loadConfig(file, { env: { ZIGBEE_HUBD_ZIGBEE__CHANNEL: '20' } });
  t.same(fromPrinted, effective, 'every key printed, named as the file names it');

  const bad = await runHubd(['--config', file, '--print-config'], { ZIGBEE_HUBD_LOG__LEVEL: 'loud' });
  t.equal(bad.code, 78, 'a bad config is not printed');
  t.match(bad.stderr, 'log.level: expected one of');
});

t.test('--print-config masks values of keys that name secrets', async (t) => {
  const config = { ...defaultConfig(), cloud: { ...defaultConfig().cloud, apiToken: 'hunter2-secret' } };
  const text = printableConfig(config as never);
  t.match(text, 'api_token: "[redacted]"');
  t.notMatch(text, 'hunter2');
});
