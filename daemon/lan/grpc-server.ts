// The LAN API's first transport: gRPC over TLS with the hub's own certificate. It only decodes
// requests, hands the token and peer address to the LanService, and maps answers and LanErrors
// to messages and status codes.
import * as grpc from '@grpc/grpc-js';
import { fromStruct, toStruct } from '../cloud/index.js';
import { LanError, type LanErrorCode } from './errors.js';
import { decodeScope, encodeClient, encodeDevice, encodeGroup, encodeHealth, encodeHubInfo, encodeScope, encodeSnapshot } from './grpc-codec.js';
import { GrpcHealth, healthService } from './grpc-health.js';
import { hubLanService } from './proto.js';
import type { LanLogger, LanService, RequestContext } from './service.js';
import type { TlsIdentity } from './certificate.js';
import type { SequencedEvent } from '../domain/events.js';
import type { WatchItem } from './event-watcher.js';
import { WatchFrames } from './watch-frames.js';
import { WriteGate } from './write-gate.js';
import type { BindingCommand, SceneTarget } from '../domain/events.js';
import type { DeviceBindings } from './device-view.js';
import type { SceneRecord } from '../store/index.js';

export interface LanGrpcServerOptions {
  service: LanService;
  tls: TlsIdentity;
  /** e.g. "0.0.0.0" or "::"; port 0 picks a free one. */
  host: string;
  port: number;
  log: LanLogger & { error(message: string, fields?: Record<string, unknown>): void };
  /** Largest request accepted; larger ones get RESOURCE_EXHAUSTED. Default 64 KiB. */
  maxRequestBytes?: number;
}

const STATUS: Record<LanErrorCode, grpc.status> = {
  not_found: grpc.status.NOT_FOUND,
  invalid_argument: grpc.status.INVALID_ARGUMENT,
  failed_precondition: grpc.status.FAILED_PRECONDITION,
  unauthenticated: grpc.status.UNAUTHENTICATED,
  permission_denied: grpc.status.PERMISSION_DENIED,
  resource_exhausted: grpc.status.RESOURCE_EXHAUSTED,
  unavailable: grpc.status.UNAVAILABLE,
  aborted: grpc.status.ABORTED,
  internal: grpc.status.INTERNAL,
};

type Wire = Record<string, any>;
type UnaryHandler = (ctx: RequestContext, request: Wire) => Promise<Wire> | Wire;

export class LanGrpcServer {
  private readonly server: grpc.Server;
  private readonly health = new GrpcHealth();
  private readonly frames = new WatchFrames(hubLanService['WatchEvents']!.responseSerialize);
  private boundPort = 0;

  constructor(private readonly options: LanGrpcServerOptions) {
    this.server = new grpc.Server({
      'grpc.max_receive_message_length': options.maxRequestBytes ?? 64 * 1024,
      // Idle LAN clients (a tablet on a wall) keep their connection; dead ones are noticed.
      'grpc.keepalive_time_ms': 60_000,
      'grpc.keepalive_timeout_ms': 20_000,
    });
    this.server.addService(healthService, this.health.handlers());
    const s = options.service;
    const unary = (handler: UnaryHandler) => this.unary(handler);
    this.server.addService(serviceWithSharedEventEncoding(), {
      Pair: unary(async (ctx, r) => {
        const paired = await s.pair(ctx, { code: r.code, clientName: r.client_name });
        return { token: paired.token, client_id: paired.clientId, scope: encodeScope(paired.scope) };
      }),
      ListDevices: unary(async (ctx, r) => ({ devices: (await s.listDevices(ctx, { room: r.room })).map(encodeDevice) })),
      GetDevice: unary(async (ctx, r) => encodeDevice(await s.getDevice(ctx, { device: r.device }))),
      WatchEvents: (call: grpc.ServerWritableStream<Wire, Wire>) => void this.watch(call),
      GetHubInfo: unary(async (ctx) => encodeHubInfo(await s.hubInfo(ctx))),
      GetHealth: unary((ctx) => encodeHealth(s.health(ctx))),
      SetState: unary(async (ctx, r) => {
        const state = await s.setState(ctx, { device: r.device, state: r.state ? fromStruct(r.state) : {} });
        return { state: state ? toStruct(state) : null };
      }),
      SetDeviceOptions: unary(async (ctx, r) => ({
        options: toStruct(await s.setDeviceOptions(ctx, { device: r.device, options: r.options ? fromStruct(r.options) : {} })),
      })),
      ListGroups: unary((ctx) => ({
        groups: s.listGroups(ctx).map(encodeGroup),
      })),
      CreateGroup: unary(async (ctx, r) => {
        const state = await s.groupCommand(ctx, 'CreateGroup', { kind: 'create_group', name: r.name ?? '', ...(r.group_id ? { groupId: r.group_id } : {}) });
        return { group_id: state['group_id'] };
      }),
      DeleteGroup: unary(async (ctx, r) => {
        await s.groupCommand(ctx, 'DeleteGroup', { kind: 'delete_group', group: groupRef(r.group) });
        return {};
      }),
      RenameGroup: unary(async (ctx, r) => {
        await s.groupCommand(ctx, 'RenameGroup', { kind: 'rename_group', group: groupRef(r.group), name: r.name ?? '' });
        return {};
      }),
      AddGroupMember: unary(async (ctx, r) => {
        await s.groupCommand(ctx, 'AddGroupMember', { kind: 'add_group_member', group: groupRef(r.group), ieee: r.device, ...(r.endpoint ? { endpoint: r.endpoint } : {}) });
        return {};
      }),
      RemoveGroupMember: unary(async (ctx, r) => {
        await s.groupCommand(ctx, 'RemoveGroupMember', { kind: 'remove_group_member', group: groupRef(r.group), ieee: r.device, ...(r.endpoint ? { endpoint: r.endpoint } : {}) });
        return {};
      }),
      SetGroupState: unary(async (ctx, r) => ({
        state: toStruct(await s.groupCommand(ctx, 'SetGroupState', { kind: 'set_group_state', group: groupRef(r.group), state: r.state ? fromStruct(r.state) : {} })),
      })),
      ListScenes: unary((ctx) => ({ scenes: s.listScenes(ctx).map(encodeScene) })),
      StoreScene: unary(async (ctx, r) => {
        const state = await s.sceneCommand(ctx, 'StoreScene', { kind: 'store_scene', target: sceneTarget(r), sceneId: r.scene_id ?? 0, name: r.name ?? '' });
        return sceneFromResult(state);
      }),
      RecallScene: unary(async (ctx, r) => sceneFromResult(await s.sceneCommand(ctx, 'RecallScene', { kind: 'recall_scene', target: sceneTarget(r), scene: groupRef(r.scene) }))),
      RemoveScene: unary(async (ctx, r) => {
        await s.sceneCommand(ctx, 'RemoveScene', { kind: 'remove_scene', target: sceneTarget(r), scene: groupRef(r.scene) });
        return {};
      }),
      ListBindings: unary((ctx, r) => encodeBindings(s.listBindings(ctx, { device: r.device }))),
      Bind: unary(async (ctx, r) => encodeBindings(await s.bindingCommand(ctx, 'Bind', bindCommand(r, false)))),
      Unbind: unary(async (ctx, r) => encodeBindings(await s.bindingCommand(ctx, 'Unbind', bindCommand(r, true)))),
      ConfigureReporting: unary(async (ctx, r) =>
        encodeBindings(
          await s.bindingCommand(ctx, 'ConfigureReporting', {
            kind: 'configure_reporting',
            ieee: r.device ?? '',
            ...(r.endpoint ? { endpoint: r.endpoint } : {}),
            cluster: r.cluster ?? '',
            attribute: r.attribute ?? '',
            minimumInterval: r.minimum_interval ?? 0,
            maximumInterval: r.maximum_interval ?? 0,
            reportableChange: r.reportable_change ?? 0,
          }),
        ),
      ),
      ReadState: unary(async (ctx, r) => ({ state: toStruct(await s.readState(ctx, { device: r.device, keys: r.keys ?? [] })) })),
      RenameDevice: unary(async (ctx, r) => encodeDevice(await s.renameDevice(ctx, { device: r.device, name: r.name }))),
      SetRoom: unary(async (ctx, r) => encodeDevice(await s.setRoom(ctx, { device: r.device, room: r.room ?? null }))),
      ReinterviewDevice: unary(async (ctx, r) => encodeDevice(await s.reinterviewDevice(ctx, { device: r.device }))),
      ReconfigureDevice: unary(async (ctx, r) => encodeDevice(await s.reconfigureDevice(ctx, { device: r.device }))),
      PermitJoin: unary(async (ctx, r) => s.permitJoin(ctx, { seconds: r.seconds, via: r.via })),
      RemoveDevice: unary(async (ctx, r) => {
        await s.removeDevice(ctx, { device: r.device, force: r.force === true });
        return {};
      }),
      Backup: unary(async (ctx) => {
        const written = await s.backup(ctx);
        return { path: written.path, coordinator_backup_path: written.coordinatorBackupPath ?? '' };
      }),
      CreatePairingCode: unary((ctx, r) => {
        const scope = decodeScope(r.scope);
        const opened = s.createPairingCode(ctx, scope ? { scope } : {});
        return { code: opened.code, expires_at_ms: opened.expiresAt, certificate_fingerprint: opened.fingerprint };
      }),
      ListClients: unary((ctx) => ({ clients: s.listClients(ctx).map(encodeClient) })),
      RevokeClient: unary((ctx, r) => {
        s.revokeClient(ctx, { clientId: r.client_id });
        return {};
      }),
    });
  }

  /** Binds and starts serving; resolves with the port. */
  async start(): Promise<number> {
    const { tls, host, port } = this.options;
    const credentials = grpc.ServerCredentials.createSsl(null, [{ private_key: Buffer.from(tls.keyPem), cert_chain: Buffer.from(tls.certPem) }], false);
    const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    this.boundPort = await new Promise<number>((resolve, reject) => {
      this.server.bindAsync(address, credentials, (error, bound) =>
        // grpc-js says "No address added out of total 1 resolved": say what that means here.
        error ? reject(new Error(`cannot listen on ${address}: the port is in use, or ${host} is not an address of this machine (${error.message})`)) : resolve(bound),
      );
    });
    return this.boundPort;
  }

  port(): number {
    return this.boundPort;
  }

  /** Stops accepting calls; open streams are ended by the feed, stragglers after `graceMs`. */
  async stop(graceMs = 2000): Promise<void> {
    this.health.shutdown();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private unary(handler: UnaryHandler): grpc.handleUnaryCall<Wire, Wire> {
    return (call, callback) => {
      let ctx: RequestContext;
      try {
        ctx = contextOf(call);
      } catch (error) {
        callback(this.toStatus(error));
        return;
      }
      Promise.resolve()
        .then(() => handler(ctx, call.request))
        .then(
          (response) => callback(null, response),
          (error: unknown) => callback(this.toStatus(error)),
        );
    };
  }

  private async watch(call: grpc.ServerWritableStream<Wire, Wire>): Promise<void> {
    let ended = false;
    call.on('cancelled', () => (ended = true));
    try {
      const ctx = contextOf(call);
      const batched = call.request.batch_events === true;
      const watcher = await this.options.service.watchEvents(ctx, { afterSeq: Number(call.request.after_seq ?? 0), epoch: String(call.request.epoch ?? '') });
      call.on('cancelled', () => watcher.end());
      if (ended) watcher.end();
      const gate = new WriteGate(call);
      for await (const item of watcher) {
        // grpc-js sends a stream's next message only after the previous one's write callback,
        // a turn of the event loop later; a burst commits hundreds of events in a turn. So a
        // batching client gets, in each message, everything that queued meanwhile.
        for (const message of this.messagesFor(item, batched, watcher)) {
          if (ended) break;
          // Back-pressure: stop pulling while the socket is full; the watcher's bounded queue
          // then fills and ends a client that cannot keep up.
          if (!call.write(message)) await gate.writable();
        }
        if (ended) break;
      }
      if (!ended) call.end();
    } catch (error) {
      if (!ended) call.emit('error', this.toStatus(error));
    }
  }

  private messagesFor(item: WatchItem, batched: boolean, watcher: { takeQueuedEvents(): Array<readonly SequencedEvent[]> }): Array<Buffer | Wire> {
    if (item.kind === 'snapshot') return [encodeSnapshot(item)];
    if (!batched) return this.frames.singles(item.events);
    return this.frames.batches([item.events, ...watcher.takeQueuedEvents()]);
  }

  private toStatus(error: unknown): Partial<grpc.StatusObject> {
    if (error instanceof LanError) return { code: STATUS[error.code], details: error.message };
    this.options.log.error('lan request failed unexpectedly', { error: error instanceof Error ? error.message : String(error) });
    return { code: grpc.status.INTERNAL, details: 'internal error (see the hub log)' };
  }
}

/** WatchEvents' serializer, wrapped to pass through messages WatchFrames encoded already. */
function serviceWithSharedEventEncoding(): grpc.ServiceDefinition {
  const watch = hubLanService['WatchEvents']!;
  const serialize = watch.responseSerialize;
  return { ...hubLanService, WatchEvents: { ...watch, responseSerialize: (value: object) => (Buffer.isBuffer(value) ? value : serialize(value)) } };
}

function contextOf(call: { metadata: grpc.Metadata; getPeer(): string }): RequestContext {
  const header = call.metadata.get('authorization')[0];
  const peer = peerAddress(call.getPeer());
  if (header === undefined) return { peer };
  const match = /^Bearer\s+(\S+)$/i.exec(String(header));
  if (!match) throw new LanError('unauthenticated', 'the authorization header must be "Bearer <token>"');
  return { token: match[1]!, peer };
}

/** "ipv4:192.168.1.20:51234" / "ipv6:[::1]:51234" / "192.168.1.20:51234" -> the address. */
export function peerAddress(peer: string): string {
  const text = peer.replace(/^ipv[46]:/, '');
  const bracketed = /^\[([^\]]+)\]/.exec(text);
  if (bracketed) return bracketed[1]!;
  const lastColon = text.lastIndexOf(':');
  return lastColon > 0 && text.indexOf(':') === lastColon ? text.slice(0, lastColon) : text;
}

function bindCommand(r: Wire, unbind: boolean): Extract<BindingCommand, { kind: 'bind' }> {
  const group = typeof r.target_group === 'string' ? r.target_group.trim() : '';
  const device = typeof r.target_device === 'string' ? r.target_device.trim() : '';
  if ((group === '') === (device === '')) throw new LanError('invalid_argument', 'a binding needs either target_group or target_device (exactly one)');
  const endpoint = typeof r.target_endpoint === 'string' ? r.target_endpoint.trim() : '';
  const target = group !== '' ? { group: groupRef(group) } : { ieee: device, ...(endpoint !== '' ? { endpoint } : {}) };
  const clusters = Array.isArray(r.clusters) ? (r.clusters as string[]) : [];
  return { kind: 'bind', ieee: r.device ?? '', ...(r.endpoint ? { endpoint: r.endpoint } : {}), target, ...(clusters.length > 0 ? { clusters } : {}), ...(unbind ? { unbind } : {}) } as Extract<BindingCommand, { kind: 'bind' }>;
}

/** DeviceBindings from a ListBindings answer or a command's result state (either list may be absent). */
function encodeBindings(state: Partial<DeviceBindings> | Record<string, unknown>): Wire {
  const { bindings = [], reporting = [] } = state as Partial<DeviceBindings>;
  return {
    bindings: bindings.map((b) => ({
      endpoint: b.endpoint,
      cluster: b.cluster,
      ...('group' in b.target ? { target_group_id: b.target.group } : { target_ieee: b.target.ieee, target_endpoint: b.target.endpoint }),
    })),
    reporting: reporting.map((r) => ({
      endpoint: r.endpoint,
      cluster: r.cluster,
      attribute: r.attribute,
      minimum_interval: r.minimumInterval,
      maximum_interval: r.maximumInterval,
      reportable_change: r.reportableChange,
    })),
  };
}

/** Exactly one of group and device. */
function sceneTarget(r: Wire): SceneTarget {
  const group = typeof r.group === 'string' ? r.group.trim() : '';
  const device = typeof r.device === 'string' ? r.device.trim() : '';
  if ((group === '') === (device === '')) throw new LanError('invalid_argument', 'a scene needs either group or device (exactly one)');
  if (group !== '') return { group: groupRef(group) };
  const endpoint = typeof r.endpoint === 'string' ? r.endpoint.trim() : '';
  return { ieee: device, ...(endpoint !== '' ? { endpoint } : {}) };
}

function encodeScene(scene: SceneRecord): Wire {
  const target = 'groupId' in scene.target ? { group_id: scene.target.groupId } : { ieee: scene.target.ieee, endpoint: scene.target.endpoint };
  return { ...target, scene_id: scene.sceneId, name: scene.name };
}

/** The executor's result state for a scene ({scene_id, name, group_id | ieee, endpoint}) as a Scene. */
function sceneFromResult(state: Record<string, unknown>): Wire {
  return { group_id: state['group_id'] ?? 0, ieee: state['ieee'] ?? '', endpoint: state['endpoint'] ?? 0, scene_id: state['scene_id'] ?? 0, name: state['name'] ?? '' };
}

/** A group (or a scene) is named by its id ("3") or its name. */
function groupRef(value: unknown): number | string {
  const text = typeof value === 'string' ? value.trim() : '';
  return /^\d+$/.test(text) ? Number(text) : text;
}
