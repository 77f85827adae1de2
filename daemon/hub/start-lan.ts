// Starts the LAN API from the hub's parts. A LAN API that cannot start (port taken, bad
// address) must not take the hub down: Zigbee and the cloud keep running, the failure is
// logged and reported as the "lan" component's health.
import type { CommandExecutor } from '../cloud/index.js';
import type { HealthBoard } from '../domain/health.js';
import type { RunningLanApi } from '../lan/index.js';
import type { HubConfig } from '../ops/config.js';
import type { Logger } from '../ops/logger.js';
import type { Store } from '../store/index.js';
import { libraryVersions, type ZigbeeNetwork } from '../zigbee/index.js';

export interface LanParts {
  config: HubConfig;
  version: string;
  network: ZigbeeNetwork;
  store: Store;
  commands: CommandExecutor;
  health: HealthBoard;
  /** undefined when no cloud link is configured. */
  cloudState: () => string | undefined;
  /** Copies herdsman's coordinator backup beside the database backups (ops/coordinator-backups.ts). */
  archiveCoordinatorBackup: () => string | undefined;
  log: Logger;
}

export async function startLan(parts: LanParts): Promise<RunningLanApi | undefined> {
  const { config, network, store, log } = parts;
  if (!config.lan.enabled) return undefined;
  try {
    // Loaded only when enabled: gRPC, the TLS identity and mDNS cost a start that has no LAN API.
    const { startLanApi } = await import('../lan/index.js');
    const lan = await startLanApi({
      dataDir: config.dataDir,
      host: config.lan.listen,
      port: config.lan.port,
      adminSocket: config.lan.adminSocket,
      pairingWindowSeconds: config.lan.pairingWindowSeconds,
      mdns: config.lan.mdns,
      store,
      commands: parts.commands,
      exposes: (ieee) => network.exposes(ieee),
      coordinatorBackup: async () => {
        await network.backupCoordinator();
        return parts.archiveCoordinatorBackup();
      },
      bindings: (ieee) => network.bindings.describe(ieee),
      health: parts.health,
      hubInfo: {
        hubId: config.cloud.gatewayId,
        version: parts.version,
        libraries: libraryVersions(),
        coordinator: { path: config.serial.path, adapter: config.serial.adapter },
        networkParameters: () => network.networkParameters(),
        coordinatorInfo: () => network.coordinatorInfo(),
        cloudState: parts.cloudState,
        outboxEvents: () => store.outbox.stats().events,
        devices: () => store.devices.list(),
        startedAt: Date.now(),
      },
      log,
    });
    parts.health.report('lan', 'ok');
    return lan;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log.error('lan api not started; the hub runs without local control', { error: reason });
    parts.health.report('lan', 'bad', reason);
    return undefined;
  }
}
