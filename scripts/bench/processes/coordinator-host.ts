// The virtual coordinator as its own process for the end-to-end bench (scripts/bench/
// end-to-end-processes.ts forks it): the radio side gets its own event loop and core, so what
// the bench measures of the daemon is the daemon. It sends reports when told to and stamps each
// as its frame leaves for the host.
//   forked with: <state file>
import { startVirtualCoordinator } from '../../virtual-coordinator/coordinator.js';
import type { DeviceBehaviour } from '../../virtual-coordinator/network/device-behaviour.js';
import { reportKind, type ReportKind } from '../e2e/report-kinds.js';
import { type FromCoordinator, type ToCoordinator, wallClockMs } from './messages.js';

const stateFile = process.argv[2];
if (!stateFile || !process.send) throw new Error('coordinator-host.ts is forked by the bench with a state file');
const send = (message: FromCoordinator) => process.send!(message);

const coordinator = await startVirtualCoordinator({ port: 0, nvStateFile: stateFile });
let devices: Array<{ kind: ReportKind; device: DeviceBehaviour; n: number }> = [];
let next = 0;

function sendOne(records: Array<[number, number, number]>): void {
  const index = next;
  next = (next + 1) % devices.length;
  const d = devices[index]!;
  const n = d.n++;
  records.push([index, n, wallClockMs()]);
  d.device.set(d.kind.endpoint, d.kind.cluster, { [d.kind.attribute]: d.kind.value(n) });
}

async function pace(rate: number, seconds: number): Promise<void> {
  const t0 = performance.now();
  const total = Math.round(rate * seconds);
  let sent = 0;
  while (sent < total) {
    const due = Math.min(Math.floor(((performance.now() - t0) / 1000) * rate), total);
    const records: Array<[number, number, number]> = [];
    for (; sent < due; sent++) sendOne(records);
    if (records.length > 0) send({ kind: 'sent', records });
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  send({ kind: 'paced', sent });
}

process.on('message', (message: ToCoordinator) => {
  switch (message.kind) {
    case 'devices':
      devices = message.devices.map((d) => ({ kind: reportKind(d.catalogueId), device: coordinator.device(d.ieee), n: 0 }));
      break;
    case 'send': {
      const records: Array<[number, number, number]> = [];
      for (let i = 0; i < message.count; i++) sendOne(records);
      send({ kind: 'sent', records });
      break;
    }
    case 'pace':
      void pace(message.rate, message.seconds);
      break;
    case 'stop':
      void coordinator.stop().then(() => process.exit(0));
      break;
  }
});
send({ kind: 'listening', port: coordinator.port });
