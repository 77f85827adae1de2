// The versions of the Zigbee libraries actually loaded, for the hub's info (LAN API, logs).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function libraryVersions(): { herdsman: string; converters: string } {
  return { herdsman: versionOf('zigbee-herdsman'), converters: versionOf('zigbee-herdsman-converters') };
}

function versionOf(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
