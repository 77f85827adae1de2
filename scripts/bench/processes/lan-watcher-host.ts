// One LAN watcher as its own process for the end-to-end bench, as an app on another machine
// would be: pairs through the daemon's admin socket, watches with batch_events (as hubctl does)
// over gRPC/TLS, and stamps every state_changed event on arrival, handed to the bench in the
// cloud host's shape (one IPC message per event-loop turn). Each phase runs a new daemon, so
// the bench says where to attach each time. Like hubctl watch, a stream the hub ends for falling
// behind (an unpaced burst) resumes from the last seq received.
import * as grpc from '@grpc/grpc-js';
import { fromStruct } from '../../../daemon/cloud/index.js';
import type { HubLanClient } from '../../../daemon/lan/index.js';
import { adminRequest } from '../../hubctl/admin-client.js';
import { unaryCall } from '../../hubctl/calls.js';
import { fetchCertificate, pinnedClient } from '../../hubctl/pinned-client.js';
import { decodeFrame, watchFrames } from '../e2e/frame-watch.js';
import { type FromLanWatcher, type ToLanWatcher, wallClockMs } from './messages.js';

if (!process.send) throw new Error('lan-watcher-host.ts is forked by the bench');
const send = (message: FromLanWatcher) => process.send!(message);

let client: HubLanClient | undefined;
let stream: grpc.ClientReadableStream<Buffer> | undefined;
let pending: FromLanWatcher & { kind: 'arrived' } = { kind: 'arrived', events: [] };

function flush(): void {
  const message = pending;
  pending = { kind: 'arrived', events: [] };
  send(message);
}

async function attach(address: string, adminSocket: string): Promise<void> {
  detach();
  const certificate = await fetchCertificate(address);
  client = pinnedClient(address, { certificate: certificate.pem, fingerprint: certificate.fingerprint });
  const opened = await adminRequest(adminSocket, { cmd: 'pair', scope: 'read' });
  const { token } = await unaryCall(client, 'Pair', { code: opened['code'], client_name: 'bench lan watcher' });
  watch(client, token, { after_seq: 0, epoch: '' });
}

function watch(on: HubLanClient, token: string, resume: { after_seq: number; epoch: string }): void {
  const watching = watchFrames(on, { ...resume, batch_events: true }, token);
  stream = watching;
  let position = resume;
  watching.on('data', (frame: Buffer) => {
    const at = wallClockMs();
    const message = decodeFrame(frame);
    if (message['snapshot']) {
      position = { after_seq: Number(message['snapshot'].seq), epoch: String(message['snapshot'].epoch) };
      send({ kind: 'watching' });
    }
    const events: Array<Record<string, any>> = message['events']?.events ?? (message['event'] ? [message['event']] : []);
    if (events.length > 0) position = { ...position, after_seq: Number(events.at(-1)!['seq']) };
    for (const event of events) {
      const change = event.state_changed;
      if (!change) continue;
      const state = fromStruct(change.state);
      const changed: Record<string, unknown> = {};
      for (const key of change.changed ?? []) changed[key] = state[key];
      if (pending.events.length === 0) setImmediate(flush);
      pending.events.push([change.ieee, changed, at]);
    }
  });
  watching.on('error', (error: grpc.ServiceError) => {
    if (watching !== stream || error.code === grpc.status.CANCELLED) return;
    send({ kind: 'ended', reason: `${grpc.status[error.code]}: ${error.details}` });
    if (error.code === grpc.status.RESOURCE_EXHAUSTED) watch(on, token, position);
  });
}

function detach(): void {
  stream?.cancel();
  stream = undefined;
  client?.close();
  client = undefined;
}

process.on('message', (message: ToLanWatcher) => {
  if (message.kind === 'attach') {
    attach(message.address, message.adminSocket).catch((error: unknown) => send({ kind: 'ended', reason: String(error) }));
  } else if (message.kind === 'detach') detach();
  else {
    detach();
    process.exit(0);
  }
});
send({ kind: 'listening', port: 0 });
