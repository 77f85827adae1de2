// The reference cloud's command line against the real daemon: `send` switches a bulb that the
// daemon (a child process on the virtual coordinator) really switches, and `events` finds the
// results and the bulb's new state in the cloud's SQLite file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { DaemonProcess } from '../../scripts/lib/daemon-process.js';
import { startVirtualCoordinator } from '../../scripts/virtual-coordinator/coordinator.js';
import type { SimulatedDevice } from '../../scripts/virtual-coordinator/devices/simulated-device.js';
import { CloudProcess, runTool } from '../../scripts/lib/reference-cloud-process.js';
import { daemonOnFormedStick } from '../zigbee/formed-stick.js';
import { daemonConfig, GATEWAY } from './stack.js';

const ON_OFF = 0x0006;
const LEVEL = 0x0008;

t.test('cloud send: a command the real daemon executes; cloud events: what was stored', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zigbee-hubd-cloud-tool-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = path.join(dir, 'cloud.db');
  // A stick that already holds the test network: this test is about the tool, not forming (3 s less).
  const formed = await daemonOnFormedStick(path.join(dir, 'data'));
  const coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: path.join(dir, 'stick.json'), ...formed });
  t.teardown(() => coordinator.stop());
  const cloud = await CloudProcess.start(['--port', '0', '--db', db, '--control-port', '0']);
  t.teardown(() => cloud.stop());
  const daemon = DaemonProcess.start({ dir, config: daemonConfig(coordinator.port, cloud.port) });
  t.teardown(() => daemon.stop());
  await daemon.ready();
  await cloud.nextLine(new RegExp(`^\\[${GATEWAY}\\] connected`), 60_000);

  const send = (...words: string[]) => runTool(['send', '--control-port', String(cloud.controlPort), '--gateway', GATEWAY, '--timeout-ms', '60000', ...words], 90_000);

  const permit = await send('permit-join', '60');
  t.equal(permit.code, 0, `permit-join exits 0 ${permit.stderr}`);
  t.match(JSON.parse(permit.stdout[0]!), { kind: 'command_result', ok: true });
  const bulb = coordinator.join('ikea-bulb').ieee;
  await cloud.nextLine(new RegExp(`device_interview ${bulb} successful`), 90_000);
  const attribute = (cluster: number) => (coordinator.device(bulb) as SimulatedDevice).get(1, cluster, 0);
  t.equal(attribute(ON_OFF), true, 'the simulated bulb starts on');

  const off = await send('set-state', bulb, 'state=OFF');
  t.equal(off.code, 0, `set-state OFF exits 0 ${off.stderr}`);
  t.equal(attribute(ON_OFF), false, 'the simulated bulb is off: the daemon sent it the frame');

  const switched = await send('--id', 'cli-on-1', 'set-state', bulb, 'state=ON', 'brightness=200');
  t.equal(switched.code, 0, `set-state exits 0 ${switched.stderr}`);
  t.match(JSON.parse(switched.stdout[0]!), { kind: 'command_result', commandId: 'cli-on-1', ok: true, state: { state: 'ON', brightness: 200 } });
  t.same([attribute(ON_OFF), attribute(LEVEL)], [true, 200], 'on again, at brightness 200');

  const refused = await send('set-state', bulb, 'write=1');
  t.equal(refused.code, 1, 'a command the gateway refuses exits 1');
  t.match(refused.stderr, /answered: .*cannot set 'write'/, 'with the gateway\'s reason');

  // What the cloud stored, through the query side of the tool (a separate process on the file).
  const results = await runTool(['events', '--db', db, '--gateway', GATEWAY, '--kind', 'command_result', '--json']);
  t.equal(results.code, 0, results.stderr);
  const stored = results.stdout.map((line) => JSON.parse(line) as { seq: number; event: { commandId: string; ok: boolean } });
  t.match(stored.map((e) => e.event), [{ ok: true }, { ok: true }, { commandId: 'cli-on-1', ok: true }, { ok: false }], 'the four results, in order');
  // The bulb's report of its new state may land just after the result: wait for it in the cloud's output.
  await cloud.nextLine(new RegExp(`state_changed ${bulb} .*"state":"ON"`), 30_000);
  const changes = await runTool(['events', '--db', db, '--gateway', GATEWAY, '--kind', 'state_changed', '--json']);
  const states = changes.stdout.map((line) => JSON.parse(line) as { event: { ieee: string; state: Record<string, unknown> } });
  t.ok(states.some((e) => e.event.ieee === bulb && e.event.state.state === 'ON' && e.event.state.brightness === 200), "the bulb's new state is stored");
});
