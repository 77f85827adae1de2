// The reference cloud's server as a process, for the demo and for people:
//
//   npx tsx scripts/reference-cloud/cli.ts [serve] [--port 50051] [--host 127.0.0.1]
//       [--db cloud.db] [--control-port 0] [--quiet]
//       [--tls-cert cert.pem --tls-key key.pem [--tls-ca clients-ca.pem]]
//       [--max-connection-age-ms N]
//       fault modes: [--drop-after-events N] [--stall-after-events N] [--goaway-every-seconds K]
//                    [--refuse-seconds T] [--ack-delay-ms D]
//
// A required gateway token is read from the REFERENCE_CLOUD_TOKEN environment variable (not
// a flag, so it does not show in `ps`). Received events are printed one readable line each
// (--quiet: only problems and faults, no line per event or connection, for many gateways)
// and stored in the --db SQLite file (in memory without one).
// Control (see control.ts): JSON lines on stdin, and on --control-port if given. The first
// line printed is {"listening":{"host":...,"port":...,"controlPort":...}} for scripts.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { listenControl, serveControl } from './control.js';
import { describeFaults, faultsFrom } from './faults.js';
import { startReferenceCloud } from './server.js';

export async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '50051' },
      host: { type: 'string', default: '127.0.0.1' },
      db: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      'control-port': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-ca': { type: 'string' },
      'max-connection-age-ms': { type: 'string' },
      'drop-after-events': { type: 'string' },
      'stall-after-events': { type: 'string' },
      'goaway-every-seconds': { type: 'string' },
      'refuse-seconds': { type: 'string' },
      'ack-delay-ms': { type: 'string' },
    },
    strict: true,
  });
  if (!!values['tls-cert'] !== !!values['tls-key']) throw new Error('--tls-cert and --tls-key go together');
  const token = process.env.REFERENCE_CLOUD_TOKEN || undefined;
  const faults = faultsFrom(
    {
      dropAfterEvents: values['drop-after-events'],
      stallAfterEvents: values['stall-after-events'],
      refuseSeconds: values['refuse-seconds'],
      ackDelayMs: values['ack-delay-ms'],
    },
    Date.now(),
  );
  const goawaySeconds = values['goaway-every-seconds'] !== undefined ? Number(values['goaway-every-seconds']) : undefined;
  if (goawaySeconds !== undefined && !(goawaySeconds > 0)) throw new Error(`--goaway-every-seconds must be a number > 0, got ${values['goaway-every-seconds']}`);
  const cloud = await startReferenceCloud({
    port: Number(values.port),
    host: values.host,
    ...(token ? { token } : {}),
    ...(values.db ? { database: values.db } : {}),
    ...(values['tls-cert'] && values['tls-key']
      ? {
          tls: {
            cert: readFileSync(values['tls-cert']),
            key: readFileSync(values['tls-key']),
            ...(values['tls-ca'] ? { ca: readFileSync(values['tls-ca']) } : {}),
          },
        }
      : {}),
    ...(values['max-connection-age-ms'] ? { maxConnectionAgeMs: Number(values['max-connection-age-ms']) } : {}),
    // A finite grace, as a production load balancer gives: streams end this long after GOAWAY.
    ...(goawaySeconds ? { maxConnectionAgeMs: goawaySeconds * 1000, maxConnectionAgeGraceMs: 5000 } : {}),
    faults,
    log: (line) => process.stdout.write(line + '\n'),
    quiet: values.quiet,
  });
  const control = values['control-port'] !== undefined ? await listenControl(cloud, Number(values['control-port'])) : undefined;
  process.stdout.write(
    JSON.stringify({
      listening: {
        host: values.host,
        port: cloud.port,
        controlPort: control?.port ?? null,
        token: !!token,
        faults: { ...describeFaults(faults, Date.now()), ...(goawaySeconds ? { goawayEverySeconds: goawaySeconds } : {}) },
      },
    }) + '\n',
  );
  serveControl(cloud, process.stdin, process.stdout);

  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    control?.server.close();
    void cloud.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
