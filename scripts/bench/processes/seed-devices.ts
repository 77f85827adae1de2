// Gives the bench a network of many known devices without pairing each one (an interview takes
// seconds): one Aqara weather sensor and one Aqara plug are paired for real, then both sides'
// records are cloned under new addresses - the emulator's state file (the simulated devices)
// and zigbee-herdsman's database (what the hub knows). The daemon's next start imports the
// clones into its store, as it does for any device only herdsman knows.
import fs from 'node:fs';
import path from 'node:path';
import { DaemonProcess } from '../../lib/daemon-process.js';
import { startReferenceCloud } from '../../reference-cloud/server.js';
import { startVirtualCoordinator } from '../../virtual-coordinator/coordinator.js';
import { readStateFile, writeStateFile } from '../../virtual-coordinator/state-file.js';
import type { BenchDevice } from './messages.js';

export interface SeedOptions {
  dir: string;
  stateFile: string;
  gatewayId: string;
  daemonConfig: (coordinatorPort: number, cloudPort: number) => Record<string, unknown>;
  devices: number;
  /** Share of plugs (routers) among the devices; the rest are weather sensors. */
  plugShare: number;
}

export async function seedDevices(options: SeedOptions): Promise<BenchDevice[]> {
  const coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: options.stateFile });
  const cloud = await startReferenceCloud({ port: 0 });
  const daemon = DaemonProcess.start({ dir: options.dir, config: options.daemonConfig(coordinator.port, cloud.port) });
  const real: Record<string, string> = {};
  try {
    await daemon.ready(180_000);
    await cloud.waitForConnection(options.gatewayId, 60_000);
    const permit = await cloud.sendCommand(options.gatewayId, { kind: 'permit_join', seconds: 120 }, 60_000);
    if (!permit.ok) throw new Error(`permit join failed: ${permit.error}`);
    for (const id of ['aqara-weather', 'aqara-plug']) {
      const { ieee } = coordinator.join(id);
      real[id] = ieee;
      await cloud.waitForEvent((e) => e.event.kind === 'device_interview' && e.event.ieee === ieee && e.event.status === 'successful', 120_000);
    }
  } finally {
    await daemon.stop();
    await cloud.stop();
    await coordinator.stop();
  }

  const plugs = Math.round(options.devices * options.plugShare);
  const wanted: BenchDevice[] = [
    { ieee: real['aqara-weather']!, catalogueId: 'aqara-weather' },
    { ieee: real['aqara-plug']!, catalogueId: 'aqara-plug' },
  ];
  for (let i = 1; wanted.length < options.devices; i++) {
    const catalogueId = i < plugs ? 'aqara-plug' : 'aqara-weather';
    wanted.push({ ieee: `0x00158d00be${i.toString(16).padStart(6, '0')}`, catalogueId });
  }

  const state = readStateFile(options.stateFile)!;
  const herdsmanFile = path.join(options.dir, 'data', 'herdsman', 'database.db');
  const entries = fs.readFileSync(herdsmanFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  let id = Math.max(...entries.map((e) => Number(e.id)));
  const usedNwk = new Set(state.devices.map((d) => d.definition.nwk));
  let nwk = 0x2000;
  for (const device of wanted.slice(2)) {
    while (usedNwk.has(nwk)) nwk++;
    usedNwk.add(nwk);
    const source = real[device.catalogueId]!;
    const node = state.devices.find((d) => d.definition.ieee === source)!;
    state.devices.push({ ...node, parent: undefined, definition: { ...node.definition, ieee: device.ieee, nwk } });
    const entry = entries.find((e) => e.ieeeAddr === source)!;
    entries.push({ ...entry, id: ++id, ieeeAddr: device.ieee, nwkAddr: nwk });
  }
  writeStateFile(options.stateFile, state);
  fs.writeFileSync(herdsmanFile, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return wanted;
}
