// Wires the daemon's parts together and nothing else: the process shell (cli.ts) owns signals
// and exit codes; each concern lives in its own folder behind a narrow interface.
import fs from 'node:fs';
import path from 'node:path';
import { CloudLink, type CloudCredentials } from './cloud/index.js';
import { HealthBoard } from './domain/health.js';
import { AvailabilityMonitor } from './hub/availability.js';
import { HubCommandExecutor } from './hub/command-executor.js';
import { CoordinatorSupervisor } from './hub/coordinator-supervisor.js';
import { syncDevicesToStore } from './hub/device-sync.js';
import { reconcileDevices } from './hub/reconcile.js';
import type { CloudIdentity } from './ops/cloud-identity.js';
import type { HubConfig } from './ops/config.js';
import type { Logger } from './ops/logger.js';
import { loadOrCreateNetworkCredentials } from './ops/network-credentials.js';
import { openStore, systemClock } from './store/index.js';
import { ZigbeeNetwork } from './zigbee/index.js';

export interface RunningDaemon {
  stop(): Promise<void>;
}

export interface DaemonDeps {
  log: Logger;
  /** The cloud link's identity files, read and checked with the config (ops/cloud-identity.ts). */
  cloudIdentity: CloudIdentity;
  /** Reported to the cloud as the gateway's firmware version. */
  version: string;
}

export async function startDaemon(config: HubConfig, deps: DaemonDeps): Promise<RunningDaemon> {
  const { log } = deps;
  const credentials = loadOrCreateNetworkCredentials(config.dataDir, log.child('ops'));
  const herdsmanDir = path.join(config.dataDir, 'herdsman');
  // Owner-only: herdsman's files hold the network key.
  fs.mkdirSync(herdsmanDir, { recursive: true, mode: 0o700 });

  // Every component reports its health here; each change is logged once and sent to the cloud.
  const health = new HealthBoard(Date.now, (error) => log.error('health listener failed', { error: String(error) }));
  const store = openStore({
    path: path.join(config.dataDir, 'hub.db'),
    log: log.child('store'),
    commitIntervalMs: config.store.commitIntervalMs,
    outboxBounds: {
      maxEvents: config.store.outboxMaxEvents,
      maxBytes: config.store.outboxMaxMegabytes * 1024 * 1024,
      maxAgeMs: config.store.outboxMaxAgeHours * 3600_000,
    },
    backup: { dir: path.join(config.dataDir, 'backups'), keep: config.store.backupKeep },
  });

  const network = new ZigbeeNetwork({
    serial: { path: config.serial.path, adapter: config.serial.adapter, baudRate: config.serial.baudRate, rtscts: config.serial.rtscts },
    network: {
      panId: credentials.panId,
      extendedPanId: [...credentials.extendedPanId],
      networkKey: [...credentials.networkKey],
      channel: config.zigbee.channel,
    },
    dataDir: herdsmanDir,
    log,
    maxPermitJoinSeconds: config.zigbee.permitJoinMaxSeconds,
    herdsmanFileCopies: config.store.backupKeep,
  });
  const sync = syncDevicesToStore(network, store, log.child('hub'));
  health.on('changed', ({ component, status, reason }) => {
    const line = status === 'ok' ? log.info : log.warn;
    line.call(log, 'health changed', { component, status, ...(reason !== undefined ? { reason } : {}) });
    store.events.append({ kind: 'health_changed', component, status, ...(reason !== undefined ? { reason } : {}) });
  });
  // Degraded until the next start: what changed since the good copy (a device paired since) may be missing.
  network.on('herdsman_files_repaired', ({ repairs }) => {
    const what = repairs.map((r) => `${r.file} ${r.problem}, ${r.restoredFrom ? 'restored from a good copy' : 'no good copy'}`);
    health.report('herdsman_files', 'degraded', `damaged at start and set aside: ${what.join('; ')}`);
  });

  let cloud: CloudLink | undefined;
  let availability: AvailabilityMonitor | undefined;
  // Pings of a lost coordinator would mark every router unavailable: pause them until it is back.
  const supervisor = new CoordinatorSupervisor({
    network,
    log: log.child('coordinator'),
    health,
    onDown: () => availability?.stop(),
    // A fresh monitor: results of pings sent to the lost coordinator must not count.
    onUp: () => {
      availability = createAvailabilityMonitor();
      availability.start();
    },
  });
  const createAvailabilityMonitor = () =>
    new AvailabilityMonitor({
      store,
      network,
      clock: systemClock,
      log: log.child('availability'),
      mainsTimeoutMs: config.availability.mainsTimeoutSeconds * 1000,
      batteryTimeoutMs: config.availability.batteryTimeoutSeconds * 1000,
      checkIntervalMs: config.availability.checkIntervalSeconds * 1000,
    });
  try {
    const started = await network.start();
    log.info('zigbee network started', { result: started });
    for (const device of store.devices.list()) network.seedState(device.ieee, store.state.get(device.ieee) ?? {});
    reconcileDevices(network.devices(), store, log.child('hub'));
    availability = createAvailabilityMonitor();
    availability.start();
    supervisor.start();
    if (store.recovered) {
      log.warn('database was corrupt and rebuilt from the coordinator; asking the cloud to resync', { movedTo: store.recovered.movedTo });
      const { restoredFrom, restoredDevices, restoredStates } = store.recovered;
      if (restoredFrom) log.info('device names, rooms and state restored from a backup', { from: restoredFrom, devices: restoredDevices, states: restoredStates });
      store.events.append({ kind: 'resync_requested', reason: `local database rebuilt: ${store.recovered.reason}` });
    }

    if (config.cloud.enabled) {
      cloud = new CloudLink({
        target: config.cloud.target!,
        gatewayId: config.cloud.gatewayId,
        firmwareVersion: deps.version,
        credentials: cloudCredentials(deps.cloudIdentity),
        outbox: store.outbox,
        commands: new HubCommandExecutor(network, store),
        emit: (event) => store.events.append(event),
        seenCommandIds: store.seenCommands,
        log: log.child('cloud'),
      });
      cloud.start();
    }
  } catch (error) {
    await supervisor.stop();
    availability?.stop();
    sync.stop();
    await network.stop().catch(() => undefined);
    await store.close();
    throw error;
  }
  log.info('zigbee-hubd ready', { devices: store.devices.list().length, cloud: config.cloud.enabled ? config.cloud.target : 'disabled' });

  return {
    async stop() {
      log.info('zigbee-hubd stopping');
      await supervisor.stop();
      availability?.stop();
      await cloud?.stop();
      sync.stop();
      await network.stop();
      await store.close();
      log.info('zigbee-hubd stopped');
    },
  };
}

/** No identity and plaintext allowed: the link's loopback development mode. */
function cloudCredentials(identity: CloudIdentity): CloudCredentials {
  const { insecureLoopback, ...files } = identity;
  if (insecureLoopback && Object.keys(files).length === 0) return 'insecure-loopback';
  return { ...files, ...(insecureLoopback ? { insecureLoopback: true } : {}) };
}
