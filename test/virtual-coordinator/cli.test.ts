// The CLI as a real child process: ports on stdout, start devices joining when herdsman
// opens permit join, the JSON-lines control port (join, report, set, press, leave, fault,
// errors) and a clean SIGTERM that leaves the state file behind.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import t from 'tap';
import { stateFromMessage } from './converters.js';
import { clearHerdsmanDebouncers, createController, makeTempDir, waitForEvent } from './harness.js';

const CLI = path.resolve(import.meta.dirname, '../../scripts/virtual-coordinator/cli.ts');

class ControlClient {
  private readonly lines: AsyncIterator<string>;
  constructor(private readonly socket: net.Socket) {
    this.lines = readline.createInterface({ input: socket })[Symbol.asyncIterator]();
  }
  static async connect(port: number): Promise<ControlClient> {
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    return new ControlClient(socket);
  }
  async raw(line: string): Promise<Record<string, any>> {  
    this.socket.write(`${line}\n`);
    const { value } = await this.lines.next();
    return JSON.parse(value as string);
  }
  request(body: Record<string, unknown>) {
    return this.raw(JSON.stringify(body));
  }
  close() {
    this.socket.destroy();
  }
}

type InterviewEvent = { status: string; device: { ieeeAddr: string; modelID?: string } };
type Message = { type: string; cluster: string; device: { ieeeAddr: string }; data: Record<string, unknown> };

t.test('CLI process with control port', async (t) => {
  const dir = makeTempDir();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const stateFile = path.join(dir, 'vc.json');
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--control-port', '0', '--state', stateFile, '--devices', 'aqara-weather,ikea-bulb', '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const stdout = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const listening = JSON.parse((await stdout.next()).value as string);
  t.equal(listening.event, 'listening');
  t.ok(listening.port > 0 && listening.controlPort > 0, 'ephemeral ports are reported');
  t.same(listening.pendingDevices, ['aqara-weather', 'ikea-bulb']);

  const control = await ControlClient.connect(listening.controlPort);
  t.teardown(() => control.close());
  const controller = createController(listening.port, dir);
  t.teardown(async () => {
    await controller.stop().catch(() => {});
    clearHerdsmanDebouncers(controller);
  });
  t.equal(await controller.start(), 'reset');

  // The start devices join once permit join opens.
  const seen = new Set<string>();
  const bothInterviewed = waitForEvent(controller, 'deviceInterview', (e: InterviewEvent) => {
    if (e.status === 'successful') seen.add(e.device.modelID ?? '');
    return seen.size === 2;
  }, 60_000);
  await controller.permitJoin(254);
  await bothInterviewed;
  let reply = await control.request({ cmd: 'devices' });
  t.equal(reply.ok, true);
  t.same(reply.devices.map((d: { id: string }) => d.id).sort(), ['aqara-weather', 'ikea-bulb']);
  t.ok(reply.catalogue.some((c: { id: string }) => c.id === 'aqara-door'), 'the catalogue is listed');
  const weather = reply.devices.find((d: { id: string }) => d.id === 'aqara-weather');

  // report: a temperature reaches herdsman and converts to 21.5 °C.
  let message = waitForEvent(controller, 'message', (m: Message) => m.device.ieeeAddr === weather.ieee && m.cluster === 'msTemperatureMeasurement');
  reply = await control.request({ cmd: 'report', ieee: weather.ieee, endpoint: 1, cluster: 'msTemperatureMeasurement', attributes: { measuredValue: 2150 } });
  t.same(reply, { ok: true });
  t.match(await stateFromMessage((await message)[0]), { temperature: 21.5 });

  // set with a numeric cluster id.
  message = waitForEvent(controller, 'message', (m: Message) => m.device.ieeeAddr === weather.ieee && m.cluster === 'msRelativeHumidity');
  t.same(await control.request({ cmd: 'set', ieee: weather.ieee, endpoint: 1, cluster: 1029, attributes: { measuredValue: 6100 } }), { ok: true });
  t.match(await stateFromMessage((await message)[0]), { humidity: 61 });

  // join by catalogue id, then press a button action.
  const known = new Set((await control.request({ cmd: 'devices' })).devices.map((d: { ieee: string }) => d.ieee));
  const interviewed = waitForEvent(controller, 'deviceInterview', (e: InterviewEvent) => e.status === 'successful' && !known.has(e.device.ieeeAddr));
  reply = await control.request({ cmd: 'join', device: 'aqara-switch', id: 7 });
  t.equal(reply.ok, true);
  t.equal(reply.id, 7, 'the request id is echoed');
  const button = reply.device;
  const [done] = (await interviewed) as [InterviewEvent];
  t.equal(done.device.ieeeAddr, button.ieee);
  message = waitForEvent(controller, 'message', (m: Message) => m.device.ieeeAddr === button.ieee && m.cluster === 'genMultistateInput');
  t.same(await control.request({ cmd: 'press', ieee: button.ieee, action: 'double' }), { ok: true });
  t.match(await stateFromMessage((await message)[0]), { action: 'double' });

  // fault through the control port, then leave.
  t.same(await control.request({ cmd: 'fault', type: 'delay', ieee: button.ieee, ms: 10 }), { ok: true });
  const left = waitForEvent(controller, 'deviceLeave', (e: { ieeeAddr: string }) => e.ieeeAddr === button.ieee);
  t.same(await control.request({ cmd: 'leave', ieee: button.ieee }), { ok: true });
  await left;

  // Errors are replies, never crashes.
  t.match(await control.raw('this is not json'), { ok: false, error: /invalid JSON/ });
  t.match(await control.raw('[1,2]'), { ok: false, error: /JSON object/ });
  t.match(await control.request({ cmd: 'explode' }), { ok: false, error: /unknown cmd/ });
  t.match(await control.request({ cmd: 'join', device: 'toaster' }), { ok: false, error: /no catalogue device "toaster"/ });
  t.match(await control.request({ cmd: 'report', ieee: button.ieee, endpoint: 1, cluster: 'genOnOff' }), { ok: false, error: /no device/ });
  t.match(await control.request({ cmd: 'set', ieee: weather.ieee, endpoint: 1, cluster: 'noSuchCluster', attributes: { x: 1 } }), { ok: false, error: /cluster/i });
  t.match(await control.request({ cmd: 'press', ieee: weather.ieee, action: 'single' }), { ok: false, error: /no action/ });
  t.match(await control.request({ cmd: 'fault', type: 'drop' }), { ok: false, error: /IEEE/ });
  t.match(await control.request({ cmd: 'join', definition: { id: 'x' } }), { ok: false, error: /endpoints/ });
  t.equal((await control.request({ cmd: 'devices' })).ok, true, 'still serving');

  await controller.stop();
  clearHerdsmanDebouncers(controller);
  child.kill('SIGTERM');
  const [code] = await exited;
  t.equal(code, 0, 'SIGTERM stops it cleanly');
  const saved = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  t.same(saved.devices.map((d: { definition: { id: string } }) => d.definition.id).sort(), ['aqara-weather', 'ikea-bulb']);
});

t.test('bad command lines fail fast with usage', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--devices', 'toaster'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const [code] = await once(child, 'exit');
  t.equal(code, 2);
  t.match(stderr, /unknown device "toaster"/);
  t.match(stderr, /usage:/);
});

t.test('--members-from names a state file that is not there', async (t) => {
  const missing = path.join(os.tmpdir(), `vc-no-such-stick-${process.pid}.json`);
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--members-from', missing], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const [code] = await once(child, 'exit');
  t.equal(code, 2);
  t.match(stderr, `--members-from: ${missing}: no such state file`);
});
