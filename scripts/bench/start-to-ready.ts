// Start to ready: the daemon as a real process on the virtual coordinator (an already formed
// network, as after the first start), from spawn to its "zigbee-hubd ready" line, compiled
// (dist/, `npm run build` first) against TypeScript through tsx. Runs alternate so a drift in
// the machine's speed touches both. RSS is read from /proc at ready.
//   tsx scripts/bench/start-to-ready.ts [runs] [known devices]
// With known devices > 0, one Aqara weather sensor is paired for real (permit join from the
// reference cloud) and its herdsman database entry cloned under new addresses; one start then
// imports the clones into the store, so every measured start knows them all.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DaemonProcess } from '../lib/daemon-process.js';
import { cloneHerdsmanDevice } from './processes/clone-known-devices.js';
import { startReferenceCloud } from '../reference-cloud/server.js';
import { startVirtualCoordinator } from '../virtual-coordinator/coordinator.js';

const runs = Number(process.argv[2] ?? 5);
const knownDevices = Number(process.argv[3] ?? 0);
const GATEWAY = 'bench-gateway';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-start-bench-'));
const coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: path.join(dir, 'stick.json') });
const cloud = await startReferenceCloud({ port: 0 });
const config = {
  data_dir: './data',
  serial: { path: `tcp://127.0.0.1:${coordinator.port}`, adapter: 'zstack' },
  cloud: { enabled: true, target: `127.0.0.1:${cloud.port}`, insecure: true, gateway_id: GATEWAY },
  lan: { enabled: false },
  log: { level: 'info', format: 'json' },
};

async function once(runtime: 'dist' | 'source'): Promise<{ ms: number; rssMb: number; devices: number }> {
  const started = performance.now();
  const daemon = DaemonProcess.start({ dir, config, env: { ZIGBEE_HUBD_RUNTIME: runtime } });
  const ready = await daemon.ready(180_000);
  const ms = performance.now() - started;
  const status = fs.readFileSync(`/proc/${daemon.child.pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  const { code } = await daemon.stop();
  if (code !== 0) throw new Error(`daemon exited ${code}: ${daemon.tail()}`);
  return { ms, rssMb: rssKb / 1024, devices: Number(ready.devices) };
}

/** Pairs one real device, then clones its herdsman entry until `count` devices are known. */
async function makeKnownDevices(count: number): Promise<void> {
  const daemon = DaemonProcess.start({ dir, config });
  await daemon.ready(180_000);
  const permit = await cloud.sendCommand(GATEWAY, { kind: 'permit_join', seconds: 60 }, 60_000);
  if (!permit.ok) throw new Error(`permit join failed: ${permit.error}`);
  const { ieee } = coordinator.join('aqara-weather');
  await cloud.waitForEvent((e) => e.event.kind === 'device_interview' && e.event.ieee === ieee && e.event.status === 'successful', 120_000);
  await daemon.stop();
  cloneHerdsmanDevice(path.join(dir, 'data', 'herdsman', 'database.db'), ieee, count);
  await once('source'); // imports the clones into the store
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  await once('source'); // forms the network: every later start resumes it
  if (knownDevices > 0) await makeKnownDevices(knownDevices);
  type Run = Awaited<ReturnType<typeof once>>;
  const results = { dist: [] as Run[], source: [] as Run[] };
  for (let i = 0; i < runs; i++) {
    results.dist.push(await once('dist'));
    results.source.push(await once('source'));
  }
  for (const [runtime, list] of Object.entries(results)) {
    const ms = list.map((r) => r.ms);
    console.log(
      `${runtime.padEnd(6)} ${list[0]!.devices} known devices: start to ready median ${median(ms).toFixed(0)} ms (min ${Math.min(...ms).toFixed(0)}, max ${Math.max(...ms).toFixed(0)}), ` +
        `RSS at ready median ${median(list.map((r) => r.rssMb)).toFixed(0)} MiB, ${list.length} runs`,
    );
  }
} finally {
  await cloud.stop();
  await coordinator.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
