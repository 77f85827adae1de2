// The virtual coordinator as a process:
//   npx tsx scripts/virtual-coordinator/cli.ts --port PORT --control-port CPORT
//       [--host 127.0.0.1] [--state FILE] [--devices id,id|all] [--ieee 0x...] [--log-level info]
//       [--members-from OLD_STATE_FILE]
// Prints one JSON line on stdout once listening (ports included, so port 0 works for a
// parent process); logs go to stderr. SIGINT/SIGTERM stop it cleanly (state file saved).
import { parseArgs } from 'node:util';
import { catalogue } from './devices/catalogue.js';
import { startVirtualCoordinator, type VirtualCoordinator } from './coordinator.js';
import { type ControlServer, startControlServer } from './control-server.js';
import type { Log } from './firmware/mt-dispatcher.js';
import { membersOfStick, type NetworkMembers } from './network/network-members.js';

const LEVELS = ['error', 'warn', 'info', 'debug'] as const;
type Level = (typeof LEVELS)[number];

const USAGE = `usage: cli.ts --port PORT --control-port CPORT [--host HOST] [--state FILE] [--devices id,id|all] [--ieee 0x...] [--members-from OLD_STATE_FILE] [--log-level ${LEVELS.join('|')}]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function port(value: string | undefined, name: string): number {
  const n = Number(value ?? 0);
  if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`--${name} must be a port number (0 = any free port), got ${JSON.stringify(value)}`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'control-port': { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        state: { type: 'string' },
        devices: { type: 'string' },
        ieee: { type: 'string' },
        'members-from': { type: 'string' },
        'log-level': { type: 'string', default: 'info' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const level = values['log-level'] as Level;
  if (!LEVELS.includes(level)) fail(`--log-level must be one of ${LEVELS.join(', ')}`);
  const devices = values.devices === undefined ? [] : values.devices === 'all' ? Object.keys(catalogue) : values.devices.split(',').map((s) => s.trim()).filter(Boolean);
  for (const id of devices) if (!catalogue[id]) fail(`unknown device ${JSON.stringify(id)} (catalogue: ${Object.keys(catalogue).join(', ')})`);

  let members: NetworkMembers | undefined;
  try {
    members = values['members-from'] === undefined ? undefined : membersOfStick(values['members-from']);
  } catch (error) {
    fail(`--members-from: ${(error as Error).message}`);
  }

  const log: Log = (lvl, message) => {
    if (LEVELS.indexOf(lvl) <= LEVELS.indexOf(level)) process.stderr.write(`${new Date().toISOString()} ${lvl} ${message}\n`);
  };

  let coordinator: VirtualCoordinator | undefined;
  let control: ControlServer | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(code || 1), 5000);
    force.unref();
    try {
      await control?.close();
      await coordinator?.stop();
    } catch (error) {
      log('error', `stop failed: ${(error as Error).message}`);
      code = code || 1;
    }
    process.stdout.write(`${JSON.stringify({ event: 'stopped' })}\n`);
    process.exit(code);
  };
  const onSignal = (signal: string) => {
    if (stopping) {
      log('warn', `second ${signal}: exiting now`);
      process.exit(1);
    }
    log('info', `${signal}: stopping`);
    void stop(0);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('uncaughtException', (error) => {
    log('error', `uncaught: ${error.stack ?? error.message}`);
    void stop(1);
  });

  coordinator = await startVirtualCoordinator({
    port: port(values.port, 'port'),
    host: values.host,
    nvStateFile: values.state,
    devices,
    ieee: values.ieee,
    ...(members ? { members } : {}),
    log,
  });
  control = await startControlServer(coordinator, { port: port(values['control-port'], 'control-port'), host: values.host });
  coordinator.on('connected', () => log('info', 'host connected'));
  coordinator.on('disconnected', () => log('info', 'host disconnected'));
  coordinator.on('joined', (d) => log('info', `joined ${d.id} ${d.ieee} nwk 0x${d.nwk.toString(16)}`));
  coordinator.on('left', (ieee) => log('info', `left ${ieee}`));
  process.stdout.write(
    `${JSON.stringify({ event: 'listening', host: values.host, port: coordinator.port, controlPort: control.port, ieee: coordinator.ieee, pendingDevices: devices })}\n`,
  );
}

main().catch((error: Error) => {
  process.stderr.write(`virtual coordinator failed to start: ${error.message}\n`);
  process.exit(1);
});
