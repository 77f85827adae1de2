// An MQTT broker (aedes) as its own process for the side-by-side bench: Zigbee2MQTT publishes
// each device's state to <base topic>/<friendly name>; every such publish is stamped on arrival
// at the broker and handed to the bench as the cloud host hands its events (one IPC message per
// event-loop turn). Friendly names are the IEEE addresses (Zigbee2MQTT's default).
//   forked with: <folder holding node_modules/aedes> [base topic, default zigbee2mqtt]
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { type FromMqtt, type ToMqtt, wallClockMs } from './messages.js';

const installDir = process.argv[2];
if (!installDir || !process.send) throw new Error('mqtt-host.ts is forked by the bench with the folder holding aedes');
const baseTopic = process.argv[3] ?? 'zigbee2mqtt';
const send = (message: FromMqtt) => process.send!(message);

interface Packet {
  topic: string;
  payload: Buffer | string;
}
interface Broker {
  handle: (socket: net.Socket) => void;
  on(event: 'publish', listener: (packet: Packet, client: unknown) => void): void;
  close(done: () => void): void;
}
// aedes 0.51's factory; loaded from the bench's own install, not the project's dependencies.
const createBroker = createRequire(path.join(installDir, 'package.json'))('aedes') as () => Broker;
const broker = createBroker();

let pending: Array<[string, Record<string, unknown>, number]> = [];
const devicePrefix = `${baseTopic}/0x`;
broker.on('publish', (packet, client) => {
  if (!client) return; // the broker's own $SYS messages
  const at = wallClockMs();
  if (packet.topic === `${baseTopic}/bridge/state`) {
    const text = packet.payload.toString();
    const state = text.startsWith('{') ? (JSON.parse(text) as { state?: string }).state : text;
    send({ kind: 'bridge', state: String(state) });
    return;
  }
  if (!packet.topic.startsWith(devicePrefix) || packet.topic.indexOf('/', devicePrefix.length) >= 0) return;
  if (pending.length === 0) setImmediate(flush);
  pending.push([packet.topic.slice(baseTopic.length + 1), JSON.parse(packet.payload.toString()) as Record<string, unknown>, at]);
});
function flush(): void {
  const events = pending;
  pending = [];
  send({ kind: 'arrived', events });
}

const server = net.createServer((socket) => broker.handle(socket));
server.listen(0, '127.0.0.1', () => send({ kind: 'listening', port: (server.address() as net.AddressInfo).port }));
process.on('message', (message: ToMqtt) => {
  if (message.kind === 'stop') server.close(() => broker.close(() => process.exit(0)));
});
