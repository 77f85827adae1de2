// Wires the daemon's parts together and nothing else: the process shell (cli.ts) owns signals
// and exit codes; each concern lives in its own folder behind a narrow interface.
import fs from 'node:fs';
import path from 'node:path';
import type { CloudCredentials, CloudLink } from './cloud/index.js';
import { HealthBoard } from './domain/health.js';
import { AvailabilityMonitor } from './hub/availability.js';
import { HubCommandExecutor } from './hub/command-executor.js';
import { CoordinatorSupervisor } from './hub/coordinator-supervisor.js';
import { syncDevicesToStore } from './hub/device-sync.js';
import { GroupStateFollower } from './hub/group-state.js';
import { GatewayStatusReporter } from './hub/gateway-status.js';
import { sendOwedSnapshots } from './hub/owed-snapshot.js';
import { reconcileDevices } from './hub/reconcile.js';
import { reconcileGroups } from './hub/reconcile-groups.js';
import { SerialCommandExecutor } from './hub/serial-commands.js';
import { startLan } from './hub/start-lan.js';
import type { RunningLanApi } from './lan/index.js';
import type { CloudIdentity } from './ops/cloud-identity.js';
import type { CrashRecorder } from './ops/crash-marker.js';
import type { HubConfig } from './ops/config.js';
import type { Logger } from './ops/logger.js';
import type { StartTimeline } from './ops/start-timeline.js';
import { CoordinatorBackupArchiver } from './ops/coordinator-backups.js';
import { prepareDataDir } from './ops/data-dir.js';
import type { MetricsServer } from './ops/metrics-server.js';
import { loadOrCreateNetworkCredentials } from './ops/network-credentials.js';
import { openStore, systemClock, type Store } from './store/index.js';
import { ZigbeeNetwork } from './zigbee/index.js';

export interface RunningDaemon {
  stop(): Promise<void>;
  /** One line for systemd's STATUS= (`systemctl status`): devices and the cloud link's state. */
  status(): string;
}

export interface DaemonDeps {
  log: Logger;
  /** The cloud link's identity files, read and checked with the config (ops/cloud-identity.ts). */
  cloudIdentity: CloudIdentity;
  /** Reported to the cloud as the gateway's firmware version. */
  version: string;
  /** Crash marker of the last run (taken at start) and the device activity for the next one. */
  crash?: CrashRecorder;
  /** Marks the phases of the start; their lengths go out with the ready line. */
  timeline?: StartTimeline;
}

export async function startDaemon(config: HubConfig, deps: DaemonDeps): Promise<RunningDaemon> {
  const { log } = deps;
  // Optional parts load only when configured: prom-client, gRPC and the LAN's TLS and mDNS code
  // cost a start that does not use them (docs/BENCHMARKS.md, restart to ready).
  const metricsApi = config.metrics.enabled ? await import('./ops/metrics.js') : undefined;
  prepareDataDir(config.dataDir);
  const credentials = loadOrCreateNetworkCredentials(config.dataDir, log.child('ops'));
  const herdsmanDir = path.join(config.dataDir, 'herdsman');
  // Owner-only: herdsman's files hold the network key.
  fs.mkdirSync(herdsmanDir, { recursive: true, mode: 0o700 });
  // herdsman rewrites its coordinator backup in place: copies of it are kept with the database backups.
  const coordinatorBackups = new CoordinatorBackupArchiver({
    source: path.join(herdsmanDir, 'coordinator_backup.json'),
    dir: path.join(config.dataDir, 'backups'),
    keep: config.store.backupKeep,
    now: Date.now,
    intervalMs: 3600_000,
    log,
  });

  // Every component reports its health here; each change is logged once and sent to the cloud.
  const health = new HealthBoard(Date.now, (error) => log.error('health listener failed', { error: String(error) }));
  const store = openStore({
    path: path.join(config.dataDir, 'hub.db'),
    log: log.child('store'),
    commitIntervalMs: config.store.commitIntervalMs,
    seenFlushMs: config.store.lastSeenFlushSeconds * 1000,
    outboxBounds: {
      maxEvents: config.store.outboxMaxEvents,
      maxBytes: config.store.outboxMaxMegabytes * 1024 * 1024,
      maxAgeMs: config.store.outboxMaxAgeHours * 3600_000,
    },
    backup: { dir: path.join(config.dataDir, 'backups'), keep: config.store.backupKeep },
    // While commits fail the health_changed event below cannot be stored either: the store
    // holds it (and command results) in memory and stores them once commits work again.
    health,
  });
  deps.timeline?.mark('store_open');

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
    // The store's state cache is the only one: converters read the last state from it.
    stateOf: (ieee) => store.state.get(ieee),
    // Checked against the definition when set (set_options); read for every converter call.
    deviceOptions: (ieee) => store.deviceOptions.get(ieee),
    herdsmanFileCopies: config.store.backupKeep,
  });
  // Groups follow their members' state (and set it optimistically after a group command).
  const groupState = new GroupStateFollower({ store, memberKey: (ieee, key) => network.groups.memberKey(ieee, key) });
  const sync = syncDevicesToStore(network, store, { stateChanged: (ieee, changed) => groupState.memberChanged(ieee, changed) });
  quarantineBeforeStart(network, store, deps, log);
  // From here on a crash inside a device's handling (also during start) is pinned on it.
  deps.crash?.watch({
    activity: () => network.deviceActivity(),
    containFailure: (error) => void network.containEscapedFailure(error),
  });
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
  let lan: RunningLanApi | undefined;
  let gatewayStatus: GatewayStatusReporter | undefined;
  let stopOwedSnapshots: (() => void) | undefined;
  const startedAt = Date.now();
  let metricsServer: MetricsServer | undefined;
  const metrics = metricsApi
    ? new metricsApi.HubMetrics({
        outbox: () => store.outbox.stats(),
        cloudLink: () => cloud?.status(),
        coordinatorReconnects: () => supervisor.reconnectCount,
        commits: () => store.commitStats(),
        now: Date.now,
      })
    : undefined;
  if (metrics) network.on('message_received', ({ cluster }) => metrics.messageReceived(cluster));
  // The one command path: cloud and LAN commands share validation and per-device ordering.
  const serialCommands = new SerialCommandExecutor(new HubCommandExecutor(network, store, groupState));
  const commands = metricsApi && metrics ? metricsApi.meteredExecutor(serialCommands, metrics) : serialCommands;
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
      // Back after being unavailable (e.g. a bulb after a power cut): read its real state.
      onBack: (ieee) => {
        network.refreshState(ieee).catch((error) => log.debug('state not re-read', { ieee, error: String(error) }));
      },
    });
  // Every sign of life goes to the monitor in charge now (it decides availability, both ways).
  availability = createAvailabilityMonitor();
  const stopHearing = network.on('seen', ({ ieee }) => availability?.heard(ieee));
  try {
    deps.timeline?.mark('wiring');
    await network.start();
    deps.timeline?.mark('zigbee_start');
    coordinatorBackups.start();
    reconcileDevices(network.devices(), store, log.child('hub'));
    reconcileGroups(network, store, log.child('hub'));
    deps.timeline?.mark('reconcile');
    availability.start();
    supervisor.start();
    if (store.recovered) {
      log.warn('database was corrupt and rebuilt from the coordinator; asking the cloud to resync', { movedTo: store.recovered.movedTo });
      // Which backup names, rooms and state came from: the store logged it when it restored them.
      store.events.append({ kind: 'resync_requested', reason: `local database rebuilt: ${store.recovered.reason}` });
    }

    gatewayStatus = new GatewayStatusReporter({
      firmwareVersion: deps.version,
      startedAt,
      now: Date.now,
      coordinator: () => network.coordinatorInfo(),
      network: () => network.networkParameters(),
      devices: () => store.devices.list(),
      outbox: () => store.outbox.stats(),
      health,
      append: (event) => store.events.append(event),
      log: log.child('status'),
    });
    gatewayStatus.start();

    if (metrics) {
      const { startMetricsServerOrWarn } = await import('./ops/metrics-server.js');
      metricsServer = await startMetricsServerOrWarn({ registry: metrics.registry, listen: config.metrics.listen, port: config.metrics.port, log: log.child('metrics') });
    }
    lan = await startLan({ config, version: deps.version, network, store, commands, health, cloudState: () => cloud?.status().state ?? (config.cloud.enabled ? 'idle' : undefined), archiveCoordinatorBackup: () => coordinatorBackups.archiveNow(), log: log.child('lan') });
  } catch (error) {
    deps.crash?.watch(undefined);
    coordinatorBackups.stop();
    await metricsServer?.close();
    await lan?.stop().catch(() => undefined);
    await gatewayStatus?.stop();
    await supervisor.stop();
    availability?.stop();
    stopHearing();
    sync.stop();
    await network.stop().catch(() => undefined);
    await store.close();
    throw error;
  }
  deps.timeline?.mark('services');
  log.info('zigbee-hubd ready', {
    devices: store.devices.list().length,
    cloud: config.cloud.enabled ? config.cloud.target : 'disabled',
    ...(deps.timeline ? { start_ms: deps.timeline.summary() } : {}),
  });

  // The cloud link starts after ready: nothing before ready needs it (events wait in the
  // outbox, and it only ever connects in the background), while loading it (gRPC, protobufjs,
  // the .proto) was a fifth of restart to ready. Its settings were checked with the config.
  let stopping = false;
  const reporter = gatewayStatus;
  const startCloudLink = async (): Promise<void> => {
    const { CloudLink } = await import('./cloud/index.js');
    if (stopping) return;
    cloud = new CloudLink({
      target: config.cloud.target!,
      gatewayId: config.cloud.gatewayId,
      firmwareVersion: deps.version,
      credentials: cloudCredentials(deps.cloudIdentity),
      outbox: store.outbox,
      commands,
      emit: (event) => store.events.append(event),
      seenCommandIds: store.seenCommands,
      log: log.child('cloud'),
    });
    cloud.on('connected', () => void reporter.connected());
    // After a gap or resync_requested the platform's copy is stale: the owed snapshot goes
    // once it can be delivered (it follows whatever the outbox still holds).
    stopOwedSnapshots = sendOwedSnapshots(store, cloud, log.child('cloud'));
    cloud.start();
  };
  const cloudStarted = config.cloud.enabled
    ? startCloudLink().catch((error: unknown) => log.error('cloud link not started', { error: error instanceof Error ? error.message : String(error) }))
    : undefined;

  return {
    status() {
      return `${store.devices.list().length} devices, cloud link ${cloud ? cloud.status().state : config.cloud.enabled ? 'idle' : 'disabled'}`;
    },
    async stop() {
      deps.crash?.watch(undefined);
      log.info('zigbee-hubd stopping');
      stopping = true;
      await cloudStarted;
      // Every step runs even when one fails (a full disk can fail herdsman's files and the
      // store): the database is closed whatever happened before; the failures are reported together.
      const failures: string[] = [];
      const step = async (what: string, run: () => Promise<void> | void) => {
        try {
          await run();
        } catch (error) {
          failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
        }
      };
      await step('coordinator supervisor', () => supervisor.stop());
      availability?.stop();
      await step('metrics endpoint', () => metricsServer?.close());
      await step('LAN API', () => lan?.stop());
      stopOwedSnapshots?.();
      await step('cloud link', () => cloud?.stop());
      stopHearing();
      await step('gateway status', () => gatewayStatus?.stop());
      sync.stop();
      coordinatorBackups.stop();
      await step('zigbee network', () => network.stop());
      coordinatorBackups.archive();
      await step('store', () => store.close());
      if (failures.length > 0) throw new Error(`stopped, but not cleanly: ${failures.join('; ')}`);
      log.info('zigbee-hubd stopped');
    },
  };
}

/**
 * Before the radio starts (so none of their frames is handled): devices quarantined in our
 * store stay so, and the device the last run died on (crash marker) is quarantined now.
 */
function quarantineBeforeStart(network: ZigbeeNetwork, store: Store, deps: DaemonDeps, log: Logger): void {
  for (const device of store.devices.list()) {
    if (device.quarantine) network.seedQuarantine(device.ieee, device.quarantine);
  }
  const taken = deps.crash?.take() ?? {};
  if (taken.problem) log.warn(taken.problem);
  const marker = taken.marker;
  if (!marker) return;
  log.warn('the hub stopped while handling this device last time: quarantined', { ieee: marker.ieee, stage: marker.stage, error: marker.error });
  network.quarantine(marker.ieee, `the hub stopped while handling it: ${marker.error}`, marker.stage);
}

/** No identity and plaintext allowed: the link's loopback development mode. */
function cloudCredentials(identity: CloudIdentity): CloudCredentials {
  const { insecureLoopback, ...files } = identity;
  if (insecureLoopback && Object.keys(files).length === 0) return 'insecure-loopback';
  return { ...files, ...(insecureLoopback ? { insecureLoopback: true } : {}) };
}
