// Restart to ready, phase by phase: the compiled daemon as a real process on the virtual
// coordinator (a formed network with `--devices` known devices, as after a first start), from
// spawn to its ready line, whose `start_ms` splits the start into node's own start, module
// loading, config, store open, zigbee-herdsman's start, reconcile and the services after it.
// Every build (`--bin`, from snapshot-build.sh) runs on every node (`--node`), interleaved
// round by round so a drift in the machine's load touches them all alike.
//   tsx scripts/bench/start-phases.ts [--runs 5] [--devices 200]
//     [--node 20=node,24=~/.cache/zigbee-hubd/node-v24.22.3/bin/node] [--bin a=DIR/bin/zigbee-hubd.js,...]
//     [--env nocache=NODE_DISABLE_COMPILE_CACHE=1,...]  each build also with this environment
//     [--lan]        the LAN API on as by default (TLS, gRPC server, mDNS); off otherwise
//     [--trace-znp]   one more start with herdsman's debug log: the waits between its ZNP frames
// A node whose ABI differs from this one's runs with the better-sqlite3 scripts/ci/node24.sh
// built for it (run that once first); everything else is this checkout's node_modules.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DaemonProcess, type LogLine } from '../lib/daemon-process.js';
import { cloneHerdsmanDevice } from './processes/clone-known-devices.js';
import { startReferenceCloud } from '../reference-cloud/server.js';
import { startVirtualCoordinator } from '../virtual-coordinator/coordinator.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    devices: { type: 'string', default: '200' },
    node: { type: 'string', default: `${process.versions.node.split('.')[0]}=${process.execPath}` },
    bin: { type: 'string', default: `this=${path.join(ROOT, 'bin/zigbee-hubd.js')}` },
    env: { type: 'string', default: '' },
    lan: { type: 'boolean', default: false },
    'trace-znp': { type: 'boolean', default: false },
  },
});
const labelled = (list: string) => list.split(',').map((item) => item.split('=') as [string, string]);
const runs = Number(args.runs);
const knownDevices = Number(args.devices);
const GATEWAY = 'bench-gateway';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-start-phases-'));
const coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: path.join(dir, 'stick.json') });
const cloud = await startReferenceCloud({ port: 0 });
const config = {
  data_dir: './data',
  serial: { path: `tcp://127.0.0.1:${coordinator.port}`, adapter: 'zstack' },
  cloud: { enabled: true, target: `127.0.0.1:${cloud.port}`, insecure: true, gateway_id: GATEWAY },
  lan: args.lan ? { enabled: true, listen: '127.0.0.1', port: 0, mdns: true } : { enabled: false },
  log: { level: 'info', format: 'json' },
};

interface Variant {
  label: string;
  bin: string;
  node: string;
  env?: NodeJS.ProcessEnv;
}

/** The build at `bin` with node_modules for `node`: its own tree when node's ABI is not ours. */
function variantFor(buildLabel: string, bin: string, nodeLabel: string, node: string): Variant {
  const label = `${buildLabel}@node${nodeLabel}`;
  const abi = execFileSync(node, ['-p', 'process.versions.modules + " " + process.versions.node'], { encoding: 'utf8' }).trim().split(' ');
  if (abi[0] === process.versions.modules) return { label, bin, node };
  const cache = path.join(process.env.NODE24_CACHE ?? path.join(os.homedir(), '.cache/zigbee-hubd'));
  const bs3Root = fs.readdirSync(cache).find((name) => name.startsWith('better-sqlite3-') && name.endsWith(`-node-v${abi[1]}`));
  if (!bs3Root) throw new Error(`no better-sqlite3 built for node ${abi[1]} in ${cache}: run scripts/ci/node24.sh once`);
  const from = path.resolve(path.dirname(bin), '..');
  const tree = path.join(dir, `tree-${buildLabel}-${nodeLabel}`);
  fs.mkdirSync(path.join(tree, 'node_modules'), { recursive: true });
  for (const part of ['package.json', 'bin', 'dist', 'proto', 'sqlite-migrations']) fs.cpSync(path.join(from, part), path.join(tree, part), { recursive: true });
  const modules = fs.realpathSync(path.join(from, 'node_modules'));
  for (const name of fs.readdirSync(modules)) {
    const target = name === 'better-sqlite3' ? path.join(cache, bs3Root, 'node_modules/better-sqlite3') : path.join(modules, name);
    fs.symlinkSync(target, path.join(tree, 'node_modules', name));
  }
  return { label, bin: path.join(tree, 'bin/zigbee-hubd.js'), node };
}

interface Run {
  ms: number;
  /** The daemon's CPU (user + system) from its start to ready: far less moved by the machine's load than wall time. */
  cpuMs: number;
  phases: Record<string, number>;
  devices: number;
}

async function once(variant: Variant, extra: Partial<typeof config> = {}, onLog?: (line: LogLine) => void): Promise<Run> {
  const started = performance.now();
  const env = { ZIGBEE_HUBD_RUNTIME: 'dist', ...variant.env };
  const daemon = DaemonProcess.start({ dir, config: { ...config, ...extra }, bin: variant.bin, node: variant.node, env, ...(onLog ? { onLog } : {}) });
  const ready = await daemon.ready(180_000);
  const ms = performance.now() - started;
  // /proc/<pid>/stat fields 14 and 15 (after the parenthesised name): utime and stime in clock ticks (100/s).
  const stat = fs.readFileSync(`/proc/${daemon.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const cpuMs = (Number(stat[11]) + Number(stat[12])) * 10;
  const { code } = await daemon.stop();
  if (code !== 0) throw new Error(`daemon exited ${code}: ${daemon.tail()}`);
  return { ms, cpuMs, phases: (ready.start_ms ?? {}) as Record<string, number>, devices: Number(ready.devices) };
}

/** Pairs one real device, then clones its herdsman entry until `count` devices are known. */
async function makeKnownDevices(variant: Variant, count: number): Promise<void> {
  const daemon = DaemonProcess.start({ dir, config, bin: variant.bin, node: variant.node, env: { ZIGBEE_HUBD_RUNTIME: 'dist' } });
  await daemon.ready(180_000);
  const permit = await cloud.sendCommand(GATEWAY, { kind: 'permit_join', seconds: 60 }, 60_000);
  if (!permit.ok) throw new Error(`permit join failed: ${permit.error}`);
  const { ieee } = coordinator.join('aqara-weather');
  await cloud.waitForEvent((e) => e.event.kind === 'device_interview' && e.event.ieee === ieee && e.event.status === 'successful', 120_000);
  await daemon.stop();
  cloneHerdsmanDevice(path.join(dir, 'data', 'herdsman', 'database.db'), ieee, count);
  await once(variant); // imports the clones into the store
}

/** One start with herdsman's debug log: every gap of 20 ms or more between its lines, and the line after it. */
async function traceZnp(variant: Variant): Promise<void> {
  const lines: LogLine[] = [];
  await once(variant, { log: { level: 'info', format: 'json', levels: { 'zigbee:herdsman': 'debug' } } } as Partial<typeof config>, (l) => lines.push(l));
  const herdsman = lines.filter((l) => l.ns === 'zigbee:herdsman' || l.msg === 'zigbee-hubd ready' || l.msg === 'zigbee-hubd starting');
  console.error(`ZNP trace (${variant.label}): gaps >= 20 ms between herdsman's log lines`);
  for (let i = 1; i < herdsman.length; i++) {
    const gap = Date.parse(String(herdsman[i]!.time)) - Date.parse(String(herdsman[i - 1]!.time));
    if (gap >= 20) console.error(`  after:  ${String(herdsman[i - 1]!.msg).slice(0, 140)}\n  ${String(gap).padStart(5)} ms, then: ${String(herdsman[i]!.msg).slice(0, 140)}`);
  }
  const first = Date.parse(String(herdsman[0]!.time));
  const last = Date.parse(String(herdsman.at(-1)!.time));
  console.error(`  starting -> ready ${last - first} ms, ${herdsman.length} lines`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const figure = (xs: number[]) => `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)})`;
try {
  const builds = labelled(args.bin).flatMap(([b, bin]) => labelled(args.node).map(([n, node]) => variantFor(b, bin, n, node)));
  const envs = args.env ? args.env.split(',').map((item) => /^([^=]+)=([^=]+)=(.*)$/.exec(item)!) : [];
  const variants = builds.flatMap((v) => [v, ...envs.map(([, label, key, value]) => ({ ...v, label: `${v.label}+${label}`, env: { [key!]: value } }))]);
  // The first start forms the network: every later start resumes it.
  await once(variants[0]!);
  if (knownDevices > 0) await makeKnownDevices(variants[0]!, knownDevices);
  const results = new Map<string, Run[]>(variants.map((v) => [v.label, []]));
  for (let i = 0; i < runs; i++) {
    for (const variant of variants) {
      const run = await once(variant);
      results.get(variant.label)!.push(run);
      console.error(`${variant.label} run ${i + 1}: ${run.ms.toFixed(0)} ms, CPU ${run.cpuMs} ms ${JSON.stringify(run.phases)}`);
    }
  }
  if (args['trace-znp']) for (const variant of variants) await traceZnp(variant);
  const summary: Array<{ metric: string; value: string }> = [];
  for (const [label, list] of results) {
    const phases = Object.keys(list[0]!.phases);
    console.log(
      `${label}: ${list[0]!.devices} devices, ${list.length} runs, median (min-max) ms: spawn to ready line ${figure(list.map((r) => r.ms))}, ` +
        `daemon CPU to ready ${figure(list.map((r) => r.cpuMs))}`,
    );
    for (const phase of phases) console.log(`  ${phase.padEnd(16)} ${figure(list.map((r) => r.phases[phase] ?? NaN))}`);
    summary.push({ metric: `start to ready, ${label}, ${list[0]!.devices} devices (ms)`, value: figure(list.map((r) => r.ms)) });
  }
  console.log(JSON.stringify({ bench: 'start-phases', load: os.loadavg().map((l) => l.toFixed(2)).join(' '), summary }));
} finally {
  await cloud.stop();
  await coordinator.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
