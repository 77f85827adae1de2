// hubctl: the LAN API from a shell. On a client: pair with a hub once, then list, watch and
// control devices. On the hub itself (root or the service user): `hubctl admin ...` over the
// daemon's local admin socket opens pairing windows and manages clients.
//
// Exit codes: 0 ok; 1 the hub refused or failed the request (its message is printed);
// 2 bad command line; 3 not paired / unreadable hubctl config / admin socket refused;
// 4 the hub's certificate does not match the pinned fingerprint; 5 hub (or its coordinator)
// unavailable.
import * as grpc from '@grpc/grpc-js';
import { parseArgs } from 'node:util';
import { fromStruct, toStruct } from '../daemon/cloud/index.js';
import { normaliseFingerprint } from '../daemon/lan/index.js';
import { discoverHubs } from './hubctl/discover.js';
import { AdminSocketError, DEFAULT_ADMIN_SOCKET } from './hubctl/admin-client.js';
import { admin, clientsTable, scopeName } from './hubctl/admin-commands.js';
import { EXIT, UsageError } from './hubctl/exit.js';
import { need, parseAssignments } from './hubctl/args.js';
import { GROUP_USAGE, groupCommand, isGroupCommand } from './hubctl/group-commands.js';
import { watch } from './hubctl/watch.js';
import { LanCallError, unaryCall, type Wire } from './hubctl/calls.js';
import { ConfigFileError, defaultConfigPath, readHubctlConfig, writeHubctlConfig, type HubctlConfig } from './hubctl/config-file.js';
import { deviceDetail, devicesTable, relativeTime, stateText, table } from './hubctl/format.js';
import { FingerprintMismatchError, HubUnreachableError, fetchCertificate, pinnedClient, verifyHubCertificate } from './hubctl/pinned-client.js';

export { EXIT } from './hubctl/exit.js';

export interface HubctlIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** Resolves when the user interrupts (Ctrl-C) a long-running command such as watch. */
  interrupted: Promise<void>;
}


const USAGE = `usage: hubctl [--json] [--config FILE] COMMAND ...
  discover [--timeout SECONDS]
  pair HOST[:PORT] --code CODE --fingerprint FP [--name NAME]
  devices [--room ROOM]            device NAME
  set NAME key=value ...           watch [--count N]
  options NAME key=value ...       (device options, e.g. temperature_calibration=-1.5; key=null removes)
  get NAME [key ...]               (no key: the hub's current state; keys: read from the device)
  read NAME key ...                (from the device itself)
  permit-join [SECONDS] [--via ROUTER]   (only that router opens)
  rename NAME NEW-NAME
  room NAME [ROOM]                 remove NAME [--force]
  reinterview NAME                 reconfigure NAME
${GROUP_USAGE}
  info    health    backup    clients    revoke CLIENT-ID    pair-code [--scope S]
  admin pair [--scope read|control|admin] | admin clients | admin revoke CLIENT-ID   [--socket PATH]`;

export async function runHubctl(argv: string[], io: HubctlIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    return report(error, io);
  }
}

async function dispatch(argv: string[], io: HubctlIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        config: { type: 'string' },
        socket: { type: 'string' },
        code: { type: 'string' },
        fingerprint: { type: 'string' },
        name: { type: 'string' },
        scope: { type: 'string' },
        room: { type: 'string' },
        force: { type: 'boolean', default: false },
        count: { type: 'string' },
        timeout: { type: 'string' },
        via: { type: 'string' },
        group: { type: 'string' },
        device: { type: 'string' },
        endpoint: { type: 'string' },
        to: { type: 'string' },
        'to-endpoint': { type: 'string' },
        cluster: { type: 'string', multiple: true },
        id: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || !command) {
    io.stdout(USAGE);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const configFile = values.config ?? defaultConfigPath(io.env);
  const print = (human: string, json: unknown) => io.stdout(values.json ? JSON.stringify(json, null, 2) : human);

  if (command === 'discover') {
    const seconds = values.timeout === undefined ? 3 : Number(values.timeout);
    if (!(seconds > 0 && seconds <= 60)) throw new UsageError('--timeout must be 1-60 seconds');
    const hubs = await discoverHubs(seconds * 1000);
    const rows = [['HUB', 'ADDRESS', 'VERSION', 'FINGERPRINT'], ...hubs.map((h) => [h.hubId || h.name, `${h.addresses[0] ?? '?'}:${h.port}`, h.version, h.fingerprint])];
    print(hubs.length === 0 ? 'no hub answered' : table(rows), hubs);
    return EXIT.ok;
  }
  if (command === 'admin') return admin(args, values.socket ?? DEFAULT_ADMIN_SOCKET, values.scope, print);
  if (command === 'pair') {
    const [address] = need(args, 1, 'pair HOST[:PORT] --code CODE --fingerprint FP');
    if (!values.code || !values.fingerprint) throw new UsageError('pair needs --code and --fingerprint (both printed by `hubctl admin pair` on the hub)');
    const fingerprint = normaliseFingerprint(values.fingerprint);
    if (!fingerprint) throw new UsageError(`--fingerprint must be sha256: and 64 hex digits, got ${JSON.stringify(values.fingerprint)}`);
    const certificate = await verifyHubCertificate(address!, fingerprint);
    const client = pinnedClient(address!, { certificate: certificate.pem, fingerprint });
    try {
      const name = values.name ?? `hubctl@${io.env['HOSTNAME'] ?? 'client'}`;
      const paired = await unaryCall(client, 'Pair', { code: values.code, client_name: name });
      const config: HubctlConfig = { address: address!, fingerprint, certificate: certificate.pem, token: paired['token'], clientId: paired['client_id'], clientName: name };
      writeHubctlConfig(configFile, config);
      print(`paired with ${address} (certificate ${fingerprint}) as "${name}" (${scopeName(paired['scope'])}); saved to ${configFile}`, { client_id: paired['client_id'], scope: paired['scope'], config: configFile });
      return EXIT.ok;
    } finally {
      client.close();
    }
  }

  const config = readHubctlConfig(configFile);
  const client = pinnedClient(config.address, config);
  const call = (method: string, request: Wire = {}) => unaryCall(client, method, request, config.token);
  const readFromDevice = async (name: string, keys: string[]) => {
    const reply = await call('ReadState', { device: name, keys });
    const fresh = fromStruct(reply['state']);
    print(`${name}: ${stateText(fresh)}`, fresh);
    return EXIT.ok;
  };
  try {
    return await withFingerprintCheck(config, async () => {
      if (isGroupCommand(command)) return await groupCommand(command, args, values, call, print);
      switch (command) {
        case 'devices': {
          const { devices } = await call('ListDevices', { room: values.room ?? '' });
          print(devicesTable(devices), devices);
          return EXIT.ok;
        }
        case 'device': {
          const device = await call('GetDevice', { device: need(args, 1, 'device NAME')[0] });
          print(deviceDetail(device), device);
          return EXIT.ok;
        }
        case 'set': {
          const [name, ...pairs] = need(args, 2, 'set NAME key=value ...');
          const state = parseAssignments(pairs);
          const reply = await call('SetState', { device: name, state: toStruct(state) });
          const after = fromStruct(reply['state']);
          print(`${name}: ${stateText(after) || 'sent'}`, after);
          return EXIT.ok;
        }
        case 'options': {
          const [name, ...pairs] = need(args, 2, 'options NAME key=value ...');
          const reply = await call('SetDeviceOptions', { device: name, options: toStruct(parseAssignments(pairs)) });
          const options = fromStruct(reply['options']);
          print(`${name} options: ${stateText(options) || 'none'}`, options);
          return EXIT.ok;
        }
        case 'get': {
          const [name, ...keys] = need(args, 1, 'get NAME [key ...]');
          if (keys.length > 0) return await readFromDevice(name!, keys);
          const device = await call('GetDevice', { device: name });
          const state = fromStruct(device['state']);
          print(`${device['name']}: ${stateText(state, device['exposes']) || 'no state yet'}`, state);
          return EXIT.ok;
        }
        case 'read': {
          const [name, ...keys] = need(args, 2, 'read NAME key ...');
          return await readFromDevice(name!, keys);
        }
        case 'permit-join': {
          const seconds = args[0] === undefined ? 60 : Number(args[0]);
          if (!Number.isInteger(seconds) || seconds < 0) throw new UsageError(`permit-join SECONDS must be a whole number >= 0, got ${JSON.stringify(args[0])}`);
          if (values.via !== undefined && values.via.trim() === '') throw new UsageError('--via needs a router name or IEEE address');
          const reply = await call('PermitJoin', { seconds, ...(values.via !== undefined ? { via: values.via } : {}) });
          const through = reply['via'] ? ` through ${values.via === reply['via'] ? reply['via'] : `${values.via} (${reply['via']})`} only` : '';
          print(reply['seconds'] > 0 ? `permit join open for ${reply['seconds']} s${through}` : 'permit join closed', reply);
          return EXIT.ok;
        }
        case 'rename': {
          const [name, newName] = need(args, 2, 'rename NAME NEW-NAME');
          const device = await call('RenameDevice', { device: name, name: newName });
          print(`${device['ieee']} is now "${device['name']}"`, device);
          return EXIT.ok;
        }
        case 'room': {
          const [name, room] = need(args, 1, 'room NAME [ROOM]');
          const device = await call('SetRoom', { device: name, ...(room !== undefined ? { room } : {}) });
          print(room ? `"${device['name']}" is in ${room}` : `"${device['name']}" is in no room`, device);
          return EXIT.ok;
        }
        case 'remove': {
          const [name] = need(args, 1, 'remove NAME [--force]');
          await call('RemoveDevice', { device: name, force: values.force });
          print(`removed ${name}`, {});
          return EXIT.ok;
        }
        case 'reinterview':
        case 'reconfigure': {
          const [name] = need(args, 1, `${command} NAME`);
          const device = await call(command === 'reinterview' ? 'ReinterviewDevice' : 'ReconfigureDevice', { device: name });
          print(`${command === 'reinterview' ? 're-interviewed' : 're-configured'} "${device['name']}"`, device);
          return EXIT.ok;
        }
        case 'info': {
          const info = await call('GetHubInfo');
          print(
            table([
              ['hub', `${info['hub_id']} (zigbee-hubd ${info['version']}, API ${info['api_version']})`],
              ['libraries', `node ${info['node_version']}, zigbee-herdsman ${info['herdsman_version']}, converters ${info['converters_version']}`],
              ['coordinator', `${info['coordinator'].adapter} at ${info['coordinator'].path}, ${info['coordinator'].available ? 'up' : 'DOWN'}${info['coordinator'].firmware ? ` (${info['coordinator'].type} firmware ${info['coordinator'].firmware}, ${info['coordinator'].ieee})` : ''}`],
              ['network', info['network'] ? `channel ${info['network'].channel}, PAN 0x${info['network'].pan_id.toString(16).padStart(4, '0')}, ext ${info['network'].extended_pan_id}` : 'unknown'],
              ['uptime', `${info['uptime_seconds']} s (since ${new Date(info['started_at_ms']).toISOString()})`],
              ['devices', `${info['devices'].total} (${info['devices'].available} available, ${info['devices'].unavailable} unavailable, ${info['devices'].left} left)`],
              ['cloud', info['cloud'].enabled ? `${info['cloud'].state}, ${info['cloud'].outbox_events} events waiting` : 'disabled'],
              ['certificate', info['certificate_fingerprint']],
            ]),
            info,
          );
          return EXIT.ok;
        }
        case 'health': {
          const health = await call('GetHealth');
          const rows = [['COMPONENT', 'STATUS', 'SINCE', 'REASON'], ...health['components'].map((c: Wire) => [c['component'], c['status'], relativeTime(c['since_ms']), c['reason'] ?? ''])];
          print(`overall: ${health['overall']}\n${table(rows)}`, health);
          return EXIT.ok;
        }
        case 'backup': {
          const reply = await call('Backup');
          const coordinator = reply['coordinator_backup_path'] ? `\ncoordinator backup (network key, frame counters): ${reply['coordinator_backup_path']}` : '';
          print(`backup written on the hub: ${reply['path']}${coordinator}`, reply);
          return EXIT.ok;
        }
        case 'clients': {
          const { clients } = await call('ListClients');
          print(clientsTable(clients), clients);
          return EXIT.ok;
        }
        case 'revoke': {
          const [id] = need(args, 1, 'revoke CLIENT-ID');
          await call('RevokeClient', { client_id: id });
          print(`revoked ${id}`, {});
          return EXIT.ok;
        }
        case 'pair-code': {
          const reply = await call('CreatePairingCode', { scope: `SCOPE_${(values.scope ?? 'control').toUpperCase()}` });
          print(`code ${reply['code']} (until ${new Date(reply['expires_at_ms']).toLocaleTimeString()}), fingerprint ${reply['certificate_fingerprint']}`, reply);
          return EXIT.ok;
        }
        case 'watch':
          return await watch(client, config, values.count === undefined ? Infinity : Number(values.count), values.json, io);
        default:
          throw new UsageError(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
      }
    });
  } finally {
    client.close();
  }
}

/** On UNAVAILABLE, a changed certificate is the likelier story: say so rather than "unreachable". */
async function withFingerprintCheck(config: HubctlConfig, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof LanCallError && error.code === grpc.status.UNAVAILABLE) {
      const presented = await fetchCertificate(config.address).catch(() => undefined);
      if (presented && presented.fingerprint !== config.fingerprint) {
        throw new FingerprintMismatchError(
          `the hub at ${config.address} presents certificate ${presented.fingerprint}, not the pinned ${config.fingerprint}: refusing to talk to it (another hub, or someone in between); pair again if the hub was reset`,
        );
      }
    }
    throw error;
  }
}

function report(error: unknown, io: HubctlIo): number {
  const say = (message: string, code: number) => {
    io.stderr(`hubctl: ${message}`);
    return code;
  };
  if (error instanceof UsageError) return say(error.message, EXIT.usage);
  if (error instanceof ConfigFileError || error instanceof AdminSocketError) return say(error.message, EXIT.config);
  if (error instanceof FingerprintMismatchError) return say(error.message, EXIT.fingerprint);
  if (error instanceof HubUnreachableError) return say(error.message, EXIT.unavailable);
  if (error instanceof LanCallError) {
    return say(`${grpc.status[error.code]}: ${error.details}`, error.code === grpc.status.UNAVAILABLE ? EXIT.unavailable : EXIT.refused);
  }
  return say(error instanceof Error ? error.message : String(error), EXIT.refused);
}

// Run as a program (bin/hubctl.js, `npm run hubctl`), not when imported by tests.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const interrupted = new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  const code = await runHubctl(process.argv.slice(2), {
    stdout: (line) => process.stdout.write(line + '\n'),
    stderr: (line) => process.stderr.write(line + '\n'),
    env: process.env,
    interrupted,
  });
  process.exit(code);
}
