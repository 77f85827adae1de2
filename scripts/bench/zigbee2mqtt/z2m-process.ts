// Zigbee2MQTT as a child process beside the hub, on the same virtual coordinator and the same
// network: its configuration is written from the hub's network.json (key, PAN ID, extended PAN
// ID) and channel, and its device database starts as a copy of the hub's zigbee-herdsman
// database, so it knows the same 200 devices without pairing them. The frontend, Home Assistant
// discovery and availability are off (their defaults, apart from the frontend); everything else
// is Zigbee2MQTT's default.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface Zigbee2mqttSetup {
  /** Zigbee2MQTT's data folder (ZIGBEE2MQTT_DATA). */
  dataDir: string;
  /** The hub's data folder: network.json and herdsman/database.db are taken from it. */
  hubDataDir: string;
  channel: number;
  coordinatorPort: number;
  mqttPort: number;
  /** Zigbee2MQTT's advanced.log_level; at "info" it logs every MQTT publish. */
  logLevel: string;
}

interface HubNetworkFile {
  network_key: string;
  pan_id: string | number;
  extended_pan_id: string;
}

/** Writes configuration.yaml; copies the hub's device database the first time only (Zigbee2MQTT
 * then keeps its own, with what it configured on the devices). */
export function prepareZigbee2mqtt(setup: Zigbee2mqttSetup): void {
  fs.mkdirSync(setup.dataDir, { recursive: true });
  const network = JSON.parse(fs.readFileSync(path.join(setup.hubDataDir, 'network.json'), 'utf8')) as HubNetworkFile;
  const bytes = (hex: string) => [...Buffer.from(hex, 'hex')];
  const panId = typeof network.pan_id === 'number' ? network.pan_id : Number.parseInt(network.pan_id.replace(/^0x/, ''), 16);
  const config = {
    version: 5,
    homeassistant: { enabled: false },
    frontend: { enabled: false },
    availability: { enabled: false },
    mqtt: { base_topic: 'zigbee2mqtt', server: `mqtt://127.0.0.1:${setup.mqttPort}` },
    serial: { port: `tcp://127.0.0.1:${setup.coordinatorPort}`, adapter: 'zstack' },
    advanced: {
      network_key: bytes(network.network_key),
      pan_id: panId,
      ext_pan_id: bytes(network.extended_pan_id),
      channel: setup.channel,
      log_level: setup.logLevel,
      log_output: ['console'],
    },
  };
  // JSON is YAML; mode 0600 as the file holds the network key.
  fs.writeFileSync(path.join(setup.dataDir, 'configuration.yaml'), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  const database = path.join(setup.dataDir, 'database.db');
  if (!fs.existsSync(database)) fs.copyFileSync(path.join(setup.hubDataDir, 'herdsman', 'database.db'), database);
}

/** Zigbee2MQTT's console output goes to <dataDir>/console.log (read it when a start fails). */
export function startZigbee2mqtt(entry: string, dataDir: string, nodeArgs: string[] = []): ChildProcess {
  const out = fs.openSync(path.join(dataDir, 'console.log'), 'a');
  try {
    return spawn(process.execPath, [...nodeArgs, entry], {
      cwd: path.dirname(entry),
      env: { ...process.env, ZIGBEE2MQTT_DATA: dataDir, Z2M_ONBOARD_NO_SERVER: '1', NODE_OPTIONS: '' },
      stdio: ['ignore', out, out],
    });
  } finally {
    fs.closeSync(out);
  }
}

export async function stopZigbee2mqtt(child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

export function consoleTail(dataDir: string, lines = 30): string {
  try {
    return fs.readFileSync(path.join(dataDir, 'console.log'), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no console.log)';
  }
}
