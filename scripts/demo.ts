// `npm run demo`: the whole product on one machine, no stick, no config. Starts the virtual
// coordinator (a simulated CC2652 with its device catalogue), the reference cloud and the real
// daemon as a child process in a temporary data dir; opens permit join from the cloud, joins
// the devices, shows what arrives at the cloud, then switches the bulb from the cloud.
// Ctrl-C stops everything cleanly. `--exit` ends after the walk-through (used by the tests).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { HubEvent } from '../daemon/domain/events.js';
import { DaemonProcess } from './lib/daemon-process.js';
import { startReferenceCloud, type ReferenceCloud } from './reference-cloud/server.js';
import { formatEvent } from './reference-cloud/format.js';
import { startVirtualCoordinator, type VirtualCoordinator } from './virtual-coordinator/coordinator.js';

const GATEWAY = 'demo-gateway';
const say = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { exit: { type: 'boolean' }, verbose: { type: 'boolean' } }, strict: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zigbee-hubd-demo-'));
  let coordinator: VirtualCoordinator | undefined;
  let cloud: ReferenceCloud | undefined;
  let daemon: DaemonProcess | undefined;
  let stopping: Promise<void> | undefined;

  const stopAll = (): Promise<void> =>
    (stopping ??= (async () => {
      say('\n== stopping: daemon (SIGTERM), reference cloud, virtual coordinator');
      const exit = await daemon?.stop();
      if (exit) say(`   daemon exited with code ${exit.code}${exit.signal ? ` (signal ${exit.signal})` : ''}`);
      await cloud?.stop();
      await coordinator?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    })());
  let poll: NodeJS.Timeout | undefined;
  // Ctrl-C is the normal way to end the demo: exit 0, unless the walk-through had already failed.
  const onSignal = (): void => void stopAll().then(() => process.exit(process.exitCode ?? 0));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    say(`== zigbee-hubd demo (data in ${dir})`);
    coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: path.join(dir, 'virtual-stick.json') });
    say(`   virtual CC2652 coordinator on tcp://127.0.0.1:${coordinator.port} (catalogue: ${coordinator.catalogueIds().join(', ')})`);
    cloud = await startReferenceCloud({ port: 0 });
    say(`   reference cloud on 127.0.0.1:${cloud.port}`);

    daemon = DaemonProcess.start({
      dir,
      config: {
        data_dir: './data',
        serial: { path: `tcp://127.0.0.1:${coordinator.port}`, adapter: 'zstack' },
        cloud: { enabled: true, target: `127.0.0.1:${cloud.port}`, insecure: true, gateway_id: GATEWAY },
        log: { level: 'info', format: 'json' },
      },
      onLog: (line) => {
        if (values.verbose || line.level === 'warn' || line.level === 'error') say(`   daemon ${line.level}: ${line.msg}`);
      },
    });
    say('\n== starting the daemon (forms a new Zigbee network with a random key on first start)');
    const started = await daemon.waitForLog((l) => l.msg === 'zigbee network started', 120_000);
    say(`   zigbee network ${String(started.result)}`);
    await daemon.ready();
    await cloud.waitForConnection(GATEWAY, 30_000);
    say('   daemon connected to the cloud');

    // Everything the cloud receives from here on is printed as it arrives.
    const printed = new Set<number>();
    const printNew = (): void => {
      for (const stored of cloud!.events(GATEWAY)) {
        if (printed.has(stored.seq)) continue;
        printed.add(stored.seq);
        if (interesting(stored.event)) say(`   cloud <- ${formatEvent(stored)}`);
      }
    };
    poll = setInterval(printNew, 100);

    say('\n== cloud -> hub: permit join for 120 s');
    const permit = await cloud.sendCommand(GATEWAY, { kind: 'permit_join', seconds: 120 });
    say(`   result: ${permit.ok ? 'ok' : permit.error}`);

    say('\n== devices join (simulated radios behind the virtual coordinator)');
    const joined = coordinator.catalogueIds().map((id) => coordinator!.join(id));
    for (const device of joined) {
      await cloud.waitForEvent(
        (e) => e.gatewayId === GATEWAY && e.event.kind === 'device_interview' && e.event.ieee === device.ieee && e.event.status === 'successful',
        90_000,
      );
    }
    printNew();
    say(`   all ${joined.length} devices interviewed`);

    say('\n== devices report');
    const weather = joined.find((d) => d.id === 'aqara-weather')!;
    coordinator.set(weather.ieee, 1, 'msTemperatureMeasurement', { measuredValue: 2150 });
    coordinator.set(weather.ieee, 1, 'msRelativeHumidity', { measuredValue: 4630 });
    const door = joined.find((d) => d.id === 'aqara-door')!;
    coordinator.press(door.ieee, 'open');
    await cloud.waitForEvent((e) => e.event.kind === 'state_changed' && e.event.ieee === weather.ieee && e.event.state.temperature === 21.5, 30_000);
    await cloud.waitForEvent((e) => e.event.kind === 'state_changed' && e.event.ieee === door.ieee && 'contact' in e.event.state, 30_000);
    printNew();

    say('\n== cloud -> hub: switch the IKEA bulb on at brightness 200, then off');
    const bulb = joined.find((d) => d.id === 'ikea-bulb')!;
    const on = await cloud.sendCommand(GATEWAY, { kind: 'set_state', ieee: bulb.ieee, state: { state: 'ON', brightness: 200 } }, 30_000);
    say(`   result: ${on.ok ? 'ok ' + JSON.stringify(on.state) : on.error}`);
    const off = await cloud.sendCommand(GATEWAY, { kind: 'set_state', ieee: bulb.ieee, state: { state: 'OFF' } }, 30_000);
    say(`   result: ${off.ok ? 'ok ' + JSON.stringify(off.state) : off.error}`);
    await new Promise((r) => setTimeout(r, 500));
    printNew();
    clearInterval(poll);
    poll = undefined;

    if (values.exit) {
      await stopAll();
      say('== demo finished');
      return;
    }
    say('\n== running: the daemon keeps going; press Ctrl-C to stop everything');
    poll = setInterval(printNew, 250);
  } catch (error) {
    say(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
    if (daemon) say(daemon.tail(15));
    process.exitCode = 1;
    clearInterval(poll);
    await stopAll();
  }
}

function interesting(event: HubEvent): boolean {
  return event.kind !== 'availability_changed';
}

await main();
