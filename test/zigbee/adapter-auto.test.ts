// serial.adapter: auto, through zigbee-herdsman's real discovery. Without hardware: a TCP
// coordinator (the virtual one) cannot be discovered and is refused before herdsman opens it,
// naming what to set; no stick anywhere (or one missing at a path) is a clear error, not a hang
// or herdsman's wording; the config and the real daemon say the same.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { parseConfig } from '../../daemon/ops/config.js';
import { ZigbeeError } from '../../daemon/zigbee/errors.js';
import { ZigbeeNetwork } from '../../daemon/zigbee/zigbee-network.js';
import type { SerialOptions } from '../../daemon/zigbee/types.js';
import { startVirtualCoordinator } from '../../scripts/virtual-coordinator/coordinator.js';
import { startExpectingFailure } from '../e2e/start-failure.js';
import { recordingLogger, tempDir, TEST_CREDENTIALS } from './network-fixture.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const KEY_HEX = Buffer.from(TEST_CREDENTIALS.networkKey).toString('hex');

async function startError(t: Parameters<typeof tempDir>[0], serial: SerialOptions): Promise<{ error: ZigbeeError; lines: string[] }> {
  const log = recordingLogger();
  const network = new ZigbeeNetwork({ serial, network: { ...TEST_CREDENTIALS }, dataDir: tempDir(t), log });
  const error = await network.start().then(
    () => {
      throw new Error('the network started');
    },
    (e: unknown) => e,
  );
  if (!(error instanceof ZigbeeError)) throw error;
  return { error, lines: log.lines.map((l) => JSON.stringify(l)) };
}

t.test('a TCP coordinator with adapter auto: refused before herdsman connects, naming the stack to set', async (t) => {
  const coordinator = await startVirtualCoordinator();
  t.teardown(() => coordinator.stop());
  let connected = false;
  coordinator.on('connected', () => (connected = true));
  const { error } = await startError(t, { path: `tcp://127.0.0.1:${coordinator.port}`, adapter: 'auto' });
  t.equal(error.code, 'invalid_options');
  t.match(error.message, `serial.adapter "auto" cannot tell which stack answers at tcp://127.0.0.1:${coordinator.port}`);
  t.match(error.message, /"zstack" for a TI CC2652\/CC1352 \(and the virtual coordinator\)/);
  t.notMatch(error.message, /Specify valid 'adapter' and 'port'/, 'in our settings\' words, not herdsman\'s');
  t.notOk(connected, 'the coordinator was never opened');
});

t.test('no stick on any serial port: a clear error naming what to set, and start can be tried again', async (t) => {
  const log = recordingLogger();
  const network = new ZigbeeNetwork({ serial: { path: '', adapter: 'auto' }, network: { ...TEST_CREDENTIALS }, dataDir: tempDir(t), log });
  for (const attempt of [1, 2]) {
    const error = await network.start().then(() => undefined, (e: unknown) => e);
    t.type(error, ZigbeeError, `attempt ${attempt} fails`);
    const { code, message } = error as ZigbeeError;
    t.equal(code, 'device_error');
    // Which of the two depends on the machine: a gateway has udevadm to list ports, a slim container may not.
    t.match(message, /^serial\.adapter "auto": (no Zigbee coordinator found|could not look for a Zigbee coordinator) on any serial port/);
    t.match(message, /Plug the stick in, or set serial\.path and serial\.adapter \(e\.g\. \/dev\/ttyUSB0 and "zstack"\)$/);
  }
  t.notMatch(JSON.stringify(log.lines), KEY_HEX, 'the key is in no log line');
});

t.test('a path with adapter auto: only that port is looked at, and named', async (t) => {
  const { error } = await startError(t, { path: '/dev/ttyNOPE0', adapter: 'auto' });
  t.equal(error.code, 'device_error');
  t.match(error.message, /^serial\.adapter "auto": (no Zigbee coordinator found|could not look for a Zigbee coordinator) at \/dev\/ttyNOPE0/);
});

t.test('config: auto with no path looks everywhere; with a tcp:// path it is refused; mdns:// only with auto', async (t) => {
  t.same(parseConfig({ serial: { adapter: 'auto' } }, '/c.yaml').serial, { path: '', adapter: 'auto', baudRate: 115200, rtscts: false });
  t.equal(parseConfig({ serial: { adapter: 'auto', path: '/dev/serial/by-id/usb-ITead_Sonoff' } }, '/c.yaml').serial.path, '/dev/serial/by-id/usb-ITead_Sonoff');
  t.equal(parseConfig({ serial: { adapter: 'auto', path: 'mdns://slzb-06' } }, '/c.yaml').serial.path, 'mdns://slzb-06');
  t.equal(parseConfig({}, '/c.yaml').serial.path, '/dev/ttyUSB0', 'the default stays for a named stack');
  t.throws(() => parseConfig({ serial: { adapter: 'auto', path: 'tcp://127.0.0.1:6638' } }, '/c.yaml'), /serial\.adapter: "auto" cannot tell which stack answers at tcp:\/\/127\.0\.0\.1:6638/);
  t.throws(() => parseConfig({ serial: { adapter: 'zstack', path: 'mdns://slzb-06' } }, '/c.yaml'), /serial\.path: an mdns:\/\/ path needs serial\.adapter: auto/);
  t.throws(() => parseConfig({ serial: { adapter: 'auto', path: 'mdns://' } }, '/c.yaml'), /serial\.path: expected mdns:\/\/<service type>/);
});

t.test('the real daemon: --check-config refuses auto over tcp (exit 78); a start with no stick ends with the message', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-auto-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const tcpConfig = path.join(dir, 'tcp.yaml');
  fs.writeFileSync(tcpConfig, 'serial:\n  adapter: auto\n  path: tcp://127.0.0.1:6638\n');
  const checked = await promisify(execFile)(process.execPath, [path.join(REPO, 'bin/zigbee-hubd.js'), '--config', tcpConfig, '--check-config'], { cwd: REPO }).then(
    () => ({ code: 0, stderr: '' }),
    (e: { code: number; stderr: string }) => e,
  );
  t.equal(checked.code, 78);
  t.match(checked.stderr, `config ${tcpConfig}: serial.adapter: "auto" cannot tell which stack answers at tcp://127.0.0.1:6638`);

  const outcome = await startExpectingFailure(dir, {
    data_dir: './data',
    serial: { adapter: 'auto' },
    cloud: { enabled: false },
    lan: { enabled: false },
    log: { level: 'info', format: 'json' },
  });
  t.equal(outcome.code, 1, 'exit 1, no crash loop of retries');
  t.match(outcome.error, /serial\.adapter "auto": (no Zigbee coordinator found|could not look for a Zigbee coordinator) on any serial port/);
});
