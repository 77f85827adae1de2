import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DaemonProcess } from '../lib/daemon-process.js';
import { startVirtualCoordinator } from '../virtual-coordinator/coordinator.js';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-trace-'));
const coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: path.join(dir, 'stick.json') });
const config = { data_dir: './data', serial: { path: `tcp://127.0.0.1:${coordinator.port}`, adapter: 'zstack' }, cloud: { enabled: false }, lan: { enabled: false }, log: { level: 'info', format: 'json', levels: { 'zigbee:herdsman': 'debug' } } };
for (let i = 0; i < 2; i++) {
  const d = DaemonProcess.start({ dir, config, env: { ZIGBEE_HUBD_RUNTIME: 'dist' } });
  await d.ready(120000);
  await d.stop();
  if (i === 1) {
    const t0 = Date.parse(String(d.lines[0]!.time));
    for (const l of d.lines.slice(0, 140)) console.log(String(Date.parse(String(l.time)) - t0).padStart(5), String(l.msg).slice(0, 150));
  }
}
await coordinator.stop();
