// daemon/lan: the LAN API (service + gRPC/TLS transport), pairing, the admin socket and mDNS.
//
//   const lan = await startLanApi({ dataDir, host: '0.0.0.0', port: 8443, store, commands, ... });
//   lan.port; lan.fingerprint; await lan.stop();
import path from 'node:path';
import type { CommandExecutor } from '../cloud/index.js';
import type { HealthBoard } from '../domain/health.js';
import type { Store } from '../store/index.js';
import { AdminSocket } from './admin-socket.js';
import { Authenticator } from './authenticator.js';
import { loadOrCreateTlsIdentity } from './certificate.js';
import type { BindingLookup, ExposeLookup } from './device-view.js';
import { LanEventFeed } from './event-feed.js';
import { FailureLimiter } from './failure-limiter.js';
import { LanGrpcServer } from './grpc-server.js';
import type { HubInfoSources } from './hub-info.js';
import type { Advertisement } from './mdns.js';
import { PairingWindow } from './pairing.js';
import { LanService } from './service.js';

export { certificateFingerprint, normaliseFingerprint, createSelfSigned, loadOrCreateTlsIdentity } from './certificate.js';
export { LanError, type LanErrorCode } from './errors.js';
export { createHubLanClient, hubLanService, type HubLanClient } from './proto.js';
export { LanService, type RequestContext } from './service.js';
export { LAN_SCOPES, parseScope, type LanScope } from './scopes.js';

export interface LanLog {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface LanApiOptions {
  /** lan-key.pem and lan-cert.pem live here (key 0600). */
  dataDir: string;
  host: string;
  port: number;
  /** Unix socket for `hubctl admin ...`; its folder is made 0700. */
  adminSocket: string;
  pairingWindowSeconds: number;
  mdns: boolean;
  store: Store;
  commands: CommandExecutor;
  exposes: ExposeLookup;
  /** A device's bindings and reporting, for ListBindings. */
  bindings?: BindingLookup;
  health: HealthBoard;
  hubInfo: HubInfoSources;
  log: LanLog;
  /** See LanServiceDeps.coordinatorBackup. */
  coordinatorBackup?: () => Promise<string | undefined>;
  /** Failed pairing codes / unknown tokens per address before it is refused for a while. Default 10 a minute. */
  maxFailuresPerMinute?: number;
  now?: () => number;
}

export interface RunningLanApi {
  port: number;
  fingerprint: string;
  adminSocket: string;
  stop(): Promise<void>;
}

export async function startLanApi(options: LanApiOptions): Promise<RunningLanApi> {
  const { log } = options;
  const now = options.now ?? Date.now;
  const tls = loadOrCreateTlsIdentity(path.join(options.dataDir, 'lan'), `zigbee-hubd ${options.hubInfo.hubId}`);
  if (tls.created) log.info('lan certificate created', { fingerprint: tls.fingerprint });
  const limiter = new FailureLimiter({ maxFailures: options.maxFailuresPerMinute ?? 10, windowMs: 60_000, now });
  const feed = new LanEventFeed(options.store.outbox, { onListenerError: (error) => log.error('lan event feed failed', { error: String(error) }) });
  const service = new LanService({
    ...(options.coordinatorBackup ? { coordinatorBackup: options.coordinatorBackup } : {}),
    store: options.store,
    commands: options.commands,
    exposes: options.exposes,
    ...(options.bindings ? { bindings: options.bindings } : {}),
    health: options.health,
    feed,
    auth: new Authenticator(options.store.lanClients, limiter, now),
    pairing: new PairingWindow({
      clients: options.store.lanClients,
      flush: () => options.store.flush(),
      limiter,
      windowMs: options.pairingWindowSeconds * 1000,
      now,
      onEvent: (message, fields) => log.info(message, fields),
    }),
    hubInfo: options.hubInfo,
    certificateFingerprint: tls.fingerprint,
    log,
  });
  const server = new LanGrpcServer({ service, tls, host: options.host, port: options.port, log });
  const admin = new AdminSocket(options.adminSocket, service, () => server.port());
  feed.start();
  let advertisement: Advertisement | undefined;
  try {
    const port = await server.start();
    await admin.start();
    if (options.mdns) {
      // Loaded only to advertise: bonjour-service is not needed with mDNS off.
      const { advertise } = await import('./mdns.js');
      advertisement = advertise({
        name: `zigbee-hubd ${options.hubInfo.hubId}`,
        port,
        hubId: options.hubInfo.hubId,
        version: options.hubInfo.version,
        fingerprint: tls.fingerprint,
        onError: (error) => log.warn('lan mdns advertisement failed', { error: String(error) }),
      });
    }
    log.info('lan api listening', { host: options.host, port, fingerprint: tls.fingerprint, adminSocket: options.adminSocket, mdns: options.mdns });
    let stopping: Promise<void> | undefined;
    const stop = async () => {
      await advertisement?.stop();
      feed.stop();
      await admin.stop().catch(() => undefined);
      await server.stop();
    };
    return { port, fingerprint: tls.fingerprint, adminSocket: options.adminSocket, stop: () => (stopping ??= stop()) };
  } catch (error) {
    feed.stop();
    await server.stop();
    await admin.stop().catch(() => undefined);
    throw new Error(`cannot start the LAN API on ${options.host}:${options.port}: ${(error as Error).message}`, { cause: error });
  }
}
