// The reference cloud as its own process for the end-to-end bench: every state_changed event it
// accepts (new, in order, as the platform stores it) is stamped on arrival and handed to the
// bench in batches, one IPC message per event-loop turn rather than one per event.
//   forked with: [gateway id] [port, default 0: any free one]
import { startReferenceCloud } from '../../reference-cloud/server.js';
import { ArrivalCountingStore } from '../e2e/cloud-arrivals.js';
import { type FromCloud, type ToCloud, wallClockMs } from './messages.js';

if (!process.send) throw new Error('cloud-host.ts is forked by the bench');
const send = (message: FromCloud) => process.send!(message);
const gatewayId = process.argv[2] ?? 'bench-gateway';
// A fixed port (backlog-replay.ts: the daemon was configured with it while no cloud listened).
const port = Number(process.argv[3] ?? 0);

const arrivals = new ArrivalCountingStore();
let pending: Array<[string, Record<string, unknown>, number]> = [];
arrivals.onStateChanged = (event) => {
  if (pending.length === 0) setImmediate(flush);
  // Only the keys this event changed: every state_changed carries the device's full state.
  const changed: Record<string, unknown> = {};
  for (const key of event.changed) changed[key] = event.state[key];
  pending.push([event.ieee, changed, wallClockMs()]);
};
function flush(): void {
  const events = pending;
  pending = [];
  send({ kind: 'arrived', events });
}

const cloud = await startReferenceCloud({ port, store: arrivals });
process.on('message', (message: ToCloud) => {
  if (message.kind === 'stop') void cloud.stop().then(() => process.exit(0));
});
send({ kind: 'listening', port: cloud.port });
// Each phase runs a new daemon process: say when a connection of the gateway starts.
let wasConnected = false;
setInterval(() => {
  const connected = cloud.connectedGateways().some((g) => g.gatewayId === gatewayId);
  if (connected && !wasConnected) send({ kind: 'connected', gatewayId });
  wasConnected = connected;
}, 20).unref();
