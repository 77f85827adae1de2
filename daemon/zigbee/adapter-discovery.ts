// `serial.adapter: auto`: which stack the coordinator runs, and where it is, found by
// zigbee-herdsman's own discovery (the USB ids of the sticks it knows; mdns:// for networked
// coordinators that advertise their radio type). Run at every start of the network, so a stick
// that comes back under another /dev/ttyUSB number after a replug is found again.
//
// herdsman's messages name its own options ("Specify valid 'adapter' and 'port'"); ours name
// the daemon's settings and say what to do.

// Not exported from herdsman's root (10.9.5); the package has no exports map, so the path resolves.
import { discoverAdapter } from 'zigbee-herdsman/dist/adapter/adapterDiscovery.js';
import { ZigbeeError } from './errors.js';
import type { SerialAdapter, SerialOptions, ZigbeeLogger } from './types.js';

export type KnownAdapter = Exclude<SerialAdapter, 'auto'>;
/** Where the coordinator is and what it runs, as herdsman will open it. */
export type ResolvedSerial = SerialOptions & { adapter: KnownAdapter };

const KNOWN: readonly KnownAdapter[] = ['zstack', 'ember', 'deconz', 'zigate', 'zboss', 'ezsp', 'zoh'];

/** `serial` as given, or with adapter and path found when the adapter is `auto`. */
export async function resolveSerial(serial: SerialOptions, log: ZigbeeLogger): Promise<ResolvedSerial> {
  if (serial.adapter !== 'auto') return serial as ResolvedSerial;
  const path = serial.path;
  if (/^(tcp|socket):\/\//.test(path)) throw new ZigbeeError('invalid_options', tcpCannotBeDiscovered(path));
  let found: { adapter?: string; path?: string; baudRate?: number; rtscts?: boolean };
  try {
    found = await discoverAdapter(undefined, path === '' ? undefined : path);
  } catch (error) {
    throw new ZigbeeError('device_error', notFound(path, error), { cause: error });
  }
  if (found.path === undefined) throw new ZigbeeError('device_error', notFound(path, new Error('No valid USB adapter found')));
  const adapter = KNOWN.find((known) => known === found.adapter);
  if (!adapter) {
    throw new ZigbeeError('device_error', `serial.adapter "auto": the coordinator found at ${found.path} runs ${JSON.stringify(found.adapter)}, which zigbee-herdsman has no adapter for`);
  }
  const resolved: ResolvedSerial = { ...serial, adapter, path: found.path };
  // A baud rate or flow control the stick is known to need wins over the defaults.
  if (found.baudRate !== undefined) resolved.baudRate = found.baudRate;
  if (found.rtscts !== undefined) resolved.rtscts = found.rtscts;
  log.info('coordinator found by discovery', {
    adapter,
    path: found.path,
    ...(found.baudRate !== undefined ? { baud_rate: found.baudRate } : {}),
    ...(found.rtscts !== undefined ? { rtscts: found.rtscts } : {}),
  });
  return resolved;
}

function tcpCannotBeDiscovered(path: string): string {
  return (
    `serial.adapter "auto" cannot tell which stack answers at ${path}: zigbee-herdsman discovers USB sticks (by their USB ids) ` +
    'and mdns:// coordinators, not a TCP address. Set serial.adapter to its stack: "zstack" for a TI CC2652/CC1352 ' +
    '(and the virtual coordinator), "ember" for a Silicon Labs EFR32, "deconz" for a ConBee/RaspBee, "zigate", "zboss" or "zoh"'
  );
}

function notFound(path: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // herdsman: "USB adapter discovery error (<why>). Specify valid 'adapter' and 'port' ..."
  const why = (/^USB adapter discovery error \((.*)\)\. Specify/s.exec(message)?.[1] ?? message).replace(/\s*Specify valid 'adapter'.*$/s, '');
  const where = path === '' ? 'on any serial port' : `at ${path}`;
  const what =
    why === 'No valid USB adapter found'
      ? `no Zigbee coordinator found ${where}: none of the USB sticks zigbee-herdsman knows is plugged in`
      : /udevadm ENOENT/.test(why)
        ? `could not look for a Zigbee coordinator ${where}: listing the serial ports needs udevadm (the udev package), which is missing (${why})`
        : `no Zigbee coordinator found ${where} (${why})`;
  return `serial.adapter "auto": ${what}. Plug the stick in, or set serial.path and serial.adapter (e.g. /dev/ttyUSB0 and "zstack")`;
}
