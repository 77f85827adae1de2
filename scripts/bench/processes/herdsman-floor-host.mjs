// The floor of any hub built on zigbee-herdsman, as its own process for the side-by-side bench:
// herdsman drives the same coordinator and network as the hub, and each message is turned into
// named state by its definition's fromZigbee converters - and nothing else (no store, no cloud,
// no LAN, no MQTT). Its CPU per report is what the hub and Zigbee2MQTT both pay before any work
// of their own. Plain JavaScript run by plain node (no TypeScript loader), like the compiled hub.
// Stamps each converted message and hands it to the bench as the cloud host does.
//   forked with: <its data folder> <the hub's data folder> <coordinator port> [channel, default 11]
import fs from 'node:fs';
import path from 'node:path';
import { Controller, setLogger } from 'zigbee-herdsman';
import * as zhc from 'zigbee-herdsman-converters';

const [dataDir, hubDataDir, port, channel = '11'] = process.argv.slice(2);
if (!dataDir || !hubDataDir || !port || !process.send) throw new Error('herdsman-floor-host.mjs is forked by the bench');
const wallClockMs = () => performance.timeOrigin + performance.now();

const quiet = () => undefined;
// Both libraries log to stdout by default, which is the bench's output: warnings and errors only, to stderr.
const logger = { debug: quiet, info: quiet, warning: (m, ns) => console.warn(`${ns}: ${m}`), error: (m, ns) => console.error(`${ns}: ${m}`) };
setLogger(logger);
zhc.setLogger(logger);

fs.mkdirSync(dataDir, { recursive: true });
const database = path.join(dataDir, 'database.db');
if (!fs.existsSync(database)) fs.copyFileSync(path.join(hubDataDir, 'herdsman', 'database.db'), database);
const network = JSON.parse(fs.readFileSync(path.join(hubDataDir, 'network.json'), 'utf8'));
const controller = new Controller({
  network: {
    panID: typeof network.pan_id === 'number' ? network.pan_id : Number.parseInt(String(network.pan_id).replace(/^0x/, ''), 16),
    extendedPanID: [...Buffer.from(network.extended_pan_id, 'hex')],
    channelList: [Number(channel)],
    networkKey: [...Buffer.from(network.network_key, 'hex')],
  },
  serialPort: { path: `tcp://127.0.0.1:${port}`, adapter: 'zstack' },
  databasePath: database,
  databaseBackupPath: path.join(dataDir, 'database.db.backup'),
  backupPath: path.join(dataDir, 'coordinator_backup.json'),
  adapter: { disableLED: false },
  acceptJoiningDeviceHandler: async () => false,
});

const definitions = new Map();
let pending = [];
controller.on('message', async (message) => {
  const ieee = message.device.ieeeAddr;
  let definition = definitions.get(ieee);
  if (definition === undefined) {
    definition = (await zhc.findByDevice(message.device)) ?? null;
    definitions.set(ieee, definition);
  }
  if (!definition) return;
  const cluster = String(message.cluster);
  const meta = { device: message.device, state: {}, deviceExposesChanged: quiet };
  let state = {};
  for (const converter of definition.fromZigbee) {
    const types = Array.isArray(converter.type) ? converter.type : [converter.type];
    if (converter.cluster !== cluster || !types.includes(message.type)) continue;
    const converted = await converter.convert(definition, message, quiet, {}, meta);
    if (converted) state = { ...state, ...converted };
  }
  if (Object.keys(state).length === 0) return;
  if (pending.length === 0) setImmediate(flush);
  pending.push([ieee, state, wallClockMs()]);
});
function flush() {
  const events = pending;
  pending = [];
  process.send({ kind: 'arrived', events });
}

process.on('message', (message) => {
  if (message.kind === 'stop') void controller.stop().finally(() => process.exit(0));
});
await controller.start();
process.send({ kind: 'ready' });
