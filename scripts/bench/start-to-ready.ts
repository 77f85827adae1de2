// Start to ready: the daemon as a real process on the virtual coordinator (an already formed
// network, as after the first start), from spawn to its "zigbee-hubd ready" line, compiled
// (dist/, `npm run build` first) against TypeScript through tsx. Runs alternate so a drift in
// the machine's speed touches both. RSS is read from /proc at ready.
//   tsx scripts/bench/start-to-ready.ts [runs]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DaemonProcess } from '../lib/daemon-process.js';
import { startVirtualCoordinator } from '../virtual-coordinator/coordinator.js';

const runs = Number(process.argv[2] ?? 5);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-start-bench-'));
const coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: path.join(dir, 'stick.json') });
const config = {
  data_dir: './data',
  serial: { path: `tcp://127.0.0.1:${coordinator.port}`, adapter: 'zstack' },
  cloud: { enabled: false },
  lan: { enabled: false },
  log: { level: 'warn', format: 'json' },
};

async function once(runtime: 'dist' | 'source'): Promise<{ ms: number; rssMb: number }> {
  const started = performance.now();
  const daemon = DaemonProcess.start({ dir, config: { ...config, log: { level: 'info', format: 'json' } }, env: { ZIGBEE_HUBD_RUNTIME: runtime } });
  await daemon.ready(180_000);
  const ms = performance.now() - started;
  const status = fs.readFileSync(`/proc/${daemon.child.pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  const { code } = await daemon.stop();
  if (code !== 0) throw new Error(`daemon exited ${code}: ${daemon.tail()}`);
  return { ms, rssMb: rssKb / 1024 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  await once('source'); // forms the network: every later start resumes it
  const results = { dist: [] as { ms: number; rssMb: number }[], source: [] as { ms: number; rssMb: number }[] };
  for (let i = 0; i < runs; i++) {
    results.dist.push(await once('dist'));
    results.source.push(await once('source'));
  }
  for (const [runtime, list] of Object.entries(results)) {
    const ms = list.map((r) => r.ms);
    console.log(
      `${runtime.padEnd(6)} start to ready: median ${median(ms).toFixed(0)} ms (min ${Math.min(...ms).toFixed(0)}, max ${Math.max(...ms).toFixed(0)}), ` +
        `RSS at ready median ${median(list.map((r) => r.rssMb)).toFixed(0)} MiB, ${list.length} runs`,
    );
  }
} finally {
  await coordinator.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
