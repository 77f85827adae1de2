// Zigbee2MQTT for the side-by-side bench, installed on demand into a cache folder beside the
// project (never a dependency of the hub): the release the issue measured, and aedes as its MQTT
// broker. npm installs it once (about 15 s, 90 MiB); later runs find it there.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The release issue 13 compared against (it pins zigbee-herdsman 10.9.2, converters 26.105). */
export const ZIGBEE2MQTT_VERSION = '2.14.1';
const AEDES_VERSION = '0.51.3';

export interface Zigbee2mqttInstall {
  /** Folder whose node_modules holds zigbee2mqtt and aedes. */
  dir: string;
  /** Zigbee2MQTT's entry point, as its own docs start it (`node index.js`). */
  entry: string;
}

export function ensureZigbee2mqtt(progress: (line: string) => void): Zigbee2mqttInstall {
  const cache = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  const dir = path.join(cache, 'zigbee-hubd', `zigbee2mqtt-${ZIGBEE2MQTT_VERSION}`);
  const entry = path.join(dir, 'node_modules', 'zigbee2mqtt', 'index.js');
  const done = path.join(dir, '.installed');
  if (fs.existsSync(done) && fs.existsSync(entry)) return { dir, entry };
  fs.mkdirSync(dir, { recursive: true });
  const manifest = { name: 'zigbee-hubd-bench-zigbee2mqtt', private: true, dependencies: { zigbee2mqtt: ZIGBEE2MQTT_VERSION, aedes: AEDES_VERSION } };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  progress(`installing zigbee2mqtt ${ZIGBEE2MQTT_VERSION} and aedes ${AEDES_VERSION} into ${dir} (once)`);
  try {
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', '--loglevel=error'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (error) {
    throw new Error(`could not install zigbee2mqtt ${ZIGBEE2MQTT_VERSION} from the npm registry into ${dir}: ${(error as Error).message}`, { cause: error });
  }
  if (!fs.existsSync(entry)) throw new Error(`npm install in ${dir} did not give ${entry}`);
  fs.writeFileSync(done, `${new Date().toISOString()}\n`);
  return { dir, entry };
}
