// The LAN API, implemented once and independent of its transport: the gRPC transport (and
// later a browser one) only decodes a request, passes the caller's token and address in a
// RequestContext, and encodes the answer or the LanError. Every method authenticates and checks
// the scope itself, so no transport can forget to.
import crypto from 'node:crypto';
import type { CommandExecution, CommandExecutor, CommandFailure } from '../cloud/index.js';
import type { BindingCommand, DeviceState, GroupCommand, HubCommand, SceneCommand } from '../domain/events.js';
import type { ComponentHealth, HealthBoard, HealthStatus } from '../domain/health.js';
import type { DeviceRecord, LanClientRecord, SceneRecord, Store } from '../store/index.js';
import type { Authenticator } from './authenticator.js';
import { viewDevice, type BindingLookup, type DeviceBindings, type ExposeLookup, type LanDevice } from './device-view.js';
import { LanError, type LanErrorCode } from './errors.js';
import type { LanEventFeed } from './event-feed.js';
import type { EventWatcher, LanGroup } from './event-watcher.js';
import { readHubInfo, type HubInfo, type HubInfoSources } from './hub-info.js';
import type { PairingResult, PairingWindow } from './pairing.js';
import { requireScope, type Caller, type LanScope } from './scopes.js';

export interface RequestContext {
  /** The bearer token, if the request carried one. Never logged. */
  token?: string;
  /** The client's address, e.g. "192.168.1.20" (rate limits, logs). */
  peer: string;
}

export interface LanLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface LanServiceDeps {
  store: Pick<Store, 'devices' | 'state' | 'lanClients' | 'backupNow' | 'groups' | 'groupState' | 'scenes'>;
  /** The hub's one command path (also the cloud's). */
  commands: CommandExecutor;
  exposes: ExposeLookup;
  /** Absent: ListBindings is unavailable (a LAN API without a radio, in tests). */
  bindings?: BindingLookup;
  health: Pick<HealthBoard, 'list' | 'overall'>;
  feed: LanEventFeed;
  auth: Authenticator;
  pairing: PairingWindow;
  hubInfo: HubInfoSources;
  certificateFingerprint: string;
  log: LanLogger;
  /**
   * Writes a fresh coordinator backup and archives a copy beside the database backups; resolves
   * with the copy's path (undefined: the coordinator keeps none). Absent: Backup is the database only.
   */
  coordinatorBackup?: () => Promise<string | undefined>;
}

const MAX_DEVICE_REF = 128;
const MAX_STATE_KEYS = 32;
const MAX_PERMIT_JOIN_SECONDS = 254;
/** Open event streams per client: an app needs one or two; more is a bug or an attack. */
const MAX_STREAMS_PER_CLIENT = 8;

const FAILURE_CODES: Record<CommandFailure, LanErrorCode> = {
  unknown_device: 'not_found',
  left_network: 'failed_precondition',
  invalid: 'invalid_argument',
  unavailable: 'unavailable',
  busy: 'unavailable',
  device_error: 'aborted',
};

export class LanService {
  /** Open event streams per client, so revoking a client ends them at once. */
  private readonly watchersByClient = new Map<string, Set<EventWatcher>>();

  constructor(private readonly deps: LanServiceDeps) {}

  // --- pairing (no token) ---

  pair(ctx: RequestContext, request: { code: string; clientName: string }): Promise<PairingResult> {
    if (typeof request.code !== 'string' || request.code.trim() === '') throw new LanError('invalid_argument', 'code is required');
    return this.deps.pairing.pair(request.code, request.clientName ?? '', ctx.peer);
  }

  // --- read ---

  async listDevices(ctx: RequestContext, request: { room?: string }): Promise<LanDevice[]> {
    this.admit(ctx, 'read', 'ListDevices');
    const records = this.deps.store.devices.list().filter((d) => !request.room || d.room === request.room);
    return Promise.all(records.map((record) => this.view(record)));
  }

  /** Each group with its state as derived from its members. */
  listGroups(ctx: RequestContext): LanGroup[] {
    this.admit(ctx, 'read', 'ListGroups');
    return this.groupsNow();
  }

  private groupsNow(): LanGroup[] {
    return this.deps.store.groups.list().map((g) => ({ ...g, state: this.deps.store.groupState.get(g.id) }));
  }

  /**
   * A group command (create, delete, rename, add/remove a member, set state), control scope; resolves
   * with the command's result state. `command` carries no id yet: one is made here.
   */
  async groupCommand(ctx: RequestContext, method: string, command: DistributiveOmit<GroupCommand, 'id'>): Promise<DeviceState> {
    const caller = this.admit(ctx, 'control', method);
    const result = await this.run(caller, { ...command, id: commandId() } as GroupCommand);
    return result.state ?? {};
  }

  listScenes(ctx: RequestContext): SceneRecord[] {
    this.admit(ctx, 'read', 'ListScenes');
    return this.deps.store.scenes.list();
  }

  /** The device's bindings and reporting configuration (what the hub told it). */
  listBindings(ctx: RequestContext, request: { device: string }): DeviceBindings {
    this.admit(ctx, 'read', 'ListBindings');
    const device = this.resolve(request.device);
    if (!this.deps.bindings) throw new LanError('unavailable', 'bindings cannot be listed: the hub has no radio here');
    try {
      return this.deps.bindings(device.ieee);
    } catch (error) {
      // herdsman does not know it (it left, or the coordinator is down): said so, not a crash.
      throw new LanError('unavailable', `bindings of ${device.ieee} cannot be listed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** A binding or reporting command, control scope; resolves with the device's bindings or reporting afterwards. */
  async bindingCommand(ctx: RequestContext, method: string, command: DistributiveOmit<BindingCommand, 'id'>): Promise<DeviceState> {
    const caller = this.admit(ctx, 'control', method);
    const result = await this.run(caller, { ...command, id: commandId() } as BindingCommand);
    return result.state ?? {};
  }

  /** A scene command (store, recall, remove), control scope; resolves with the command's result state. */
  async sceneCommand(ctx: RequestContext, method: string, command: DistributiveOmit<SceneCommand, 'id'>): Promise<DeviceState> {
    const caller = this.admit(ctx, 'control', method);
    const result = await this.run(caller, { ...command, id: commandId() } as SceneCommand);
    return result.state ?? {};
  }

  async getDevice(ctx: RequestContext, request: { device: string }): Promise<LanDevice> {
    this.admit(ctx, 'read', 'GetDevice');
    return this.view(this.resolve(request.device));
  }

  /**
   * A live stream: a snapshot (unless resuming), then every event. The snapshot is read in the
   * same tick as the watcher is registered, so no event falls between the two.
   */
  async watchEvents(ctx: RequestContext, request: { afterSeq?: number; epoch?: string }): Promise<EventWatcher> {
    const caller = this.admit(ctx, 'read', 'WatchEvents');
    if ((this.watchersByClient.get(caller.clientId)?.size ?? 0) >= MAX_STREAMS_PER_CLIENT) {
      throw new LanError('resource_exhausted', `this client already has ${MAX_STREAMS_PER_CLIENT} event streams open`);
    }
    const resume = request.afterSeq ? { afterSeq: request.afterSeq, epoch: request.epoch ?? '' } : undefined;
    const position = this.deps.feed.position();
    const records = this.deps.store.devices.list();
    const states = records.map((r) => this.deps.store.state.get(r.ieee));
    const groups = this.groupsNow();
    const { watcher, resumed } = this.deps.feed.watch(resume);
    this.track(caller.clientId, watcher);
    if (!resumed) {
      // Exposes need the converters (async): the state was captured above, the events queue meanwhile.
      const devices = await Promise.all(records.map((record, i) => viewDevice(record, states[i], this.deps.exposes)));
      watcher.pushFirst({ kind: 'snapshot', devices, groups, seq: position.seq, epoch: position.epoch });
    }
    return watcher;
  }

  async hubInfo(ctx: RequestContext): Promise<HubInfo> {
    this.admit(ctx, 'read', 'GetHubInfo');
    return readHubInfo(this.deps.hubInfo, this.deps.certificateFingerprint);
  }

  health(ctx: RequestContext): { overall: HealthStatus; components: ComponentHealth[] } {
    this.admit(ctx, 'read', 'GetHealth');
    return { overall: this.deps.health.overall(), components: this.deps.health.list() };
  }

  // --- control ---

  async setState(ctx: RequestContext, request: { device: string; state: DeviceState }): Promise<DeviceState | undefined> {
    const caller = this.admit(ctx, 'control', 'SetState');
    const device = this.resolve(request.device);
    const state = request.state;
    if (!state || typeof state !== 'object' || Array.isArray(state) || Object.keys(state).length === 0) {
      throw new LanError('invalid_argument', 'state must name at least one key, e.g. {"state": "ON"}');
    }
    if (Object.keys(state).length > MAX_STATE_KEYS) throw new LanError('invalid_argument', `state has more than ${MAX_STATE_KEYS} keys`);
    const result = await this.run(caller, { kind: 'set_state', id: commandId(), ieee: device.ieee, state });
    return result.state;
  }

  async readState(ctx: RequestContext, request: { device: string; keys: string[] }): Promise<DeviceState> {
    const caller = this.admit(ctx, 'control', 'ReadState');
    const device = this.resolve(request.device);
    const keys = request.keys;
    if (!Array.isArray(keys) || keys.length === 0) throw new LanError('invalid_argument', 'keys must name at least one key, e.g. ["state"]');
    if (keys.length > MAX_STATE_KEYS) throw new LanError('invalid_argument', `more than ${MAX_STATE_KEYS} keys`);
    const result = await this.run(caller, { kind: 'read_state', id: commandId(), ieee: device.ieee, keys });
    return result.state ?? {};
  }

  async renameDevice(ctx: RequestContext, request: { device: string; name: string }): Promise<LanDevice> {
    const caller = this.admit(ctx, 'control', 'RenameDevice');
    const device = this.resolve(request.device);
    if (typeof request.name !== 'string' || request.name.trim() === '') throw new LanError('invalid_argument', 'name is required');
    await this.run(caller, { kind: 'rename_device', id: commandId(), ieee: device.ieee, name: request.name });
    return this.view(this.resolve(device.ieee));
  }

  async setRoom(ctx: RequestContext, request: { device: string; room: string | null }): Promise<LanDevice> {
    const caller = this.admit(ctx, 'control', 'SetRoom');
    const device = this.resolve(request.device);
    await this.run(caller, { kind: 'set_room', id: commandId(), ieee: device.ieee, room: request.room });
    return this.view(this.resolve(device.ieee));
  }

  async reinterviewDevice(ctx: RequestContext, request: { device: string }): Promise<LanDevice> {
    const caller = this.admit(ctx, 'control', 'ReinterviewDevice');
    const device = this.resolve(request.device);
    await this.run(caller, { kind: 'reinterview_device', id: commandId(), ieee: device.ieee });
    return this.view(this.resolve(device.ieee));
  }

  async reconfigureDevice(ctx: RequestContext, request: { device: string }): Promise<LanDevice> {
    const caller = this.admit(ctx, 'control', 'ReconfigureDevice');
    const device = this.resolve(request.device);
    await this.run(caller, { kind: 'reconfigure_device', id: commandId(), ieee: device.ieee });
    return this.view(this.resolve(device.ieee));
  }

  /** Merges option changes (null removes one); resolves with the device's options afterwards. */
  async setDeviceOptions(ctx: RequestContext, request: { device: string; options: Record<string, unknown> }): Promise<Record<string, unknown>> {
    const caller = this.admit(ctx, 'control', 'SetDeviceOptions');
    const device = this.resolve(request.device);
    const options = request.options;
    if (!options || typeof options !== 'object' || Array.isArray(options) || Object.keys(options).length === 0) {
      throw new LanError('invalid_argument', 'options must name at least one option, e.g. {"temperature_calibration": -1.5}');
    }
    if (Object.keys(options).length > MAX_STATE_KEYS) throw new LanError('invalid_argument', `options has more than ${MAX_STATE_KEYS} keys`);
    const result = await this.run(caller, { kind: 'set_options', id: commandId(), ieee: device.ieee, options });
    return result.state ?? {};
  }

  // --- admin ---

  /** `via` (a router's name or ieee; empty = the whole network) opens only that router. */
  async permitJoin(ctx: RequestContext, request: { seconds: number; via?: string }): Promise<{ seconds: number; via?: string }> {
    const caller = this.admit(ctx, 'admin', 'PermitJoin');
    const seconds = request.seconds;
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_PERMIT_JOIN_SECONDS) {
      throw new LanError('invalid_argument', `seconds must be 0 (close) to ${MAX_PERMIT_JOIN_SECONDS}, got ${seconds}`);
    }
    const via = request.via ? this.resolve(request.via).ieee : undefined;
    const result = await this.run(caller, { kind: 'permit_join', id: commandId(), seconds, ...(via !== undefined ? { via } : {}) });
    return { seconds: Number(result.state?.['seconds'] ?? seconds), ...(via !== undefined ? { via } : {}) };
  }

  async removeDevice(ctx: RequestContext, request: { device: string; force: boolean }): Promise<void> {
    const caller = this.admit(ctx, 'admin', 'RemoveDevice');
    const device = this.resolve(request.device);
    await this.run(caller, { kind: 'remove_device', id: commandId(), ieee: device.ieee, force: request.force === true });
  }

  /** The database and the coordinator (network key, frame counters): what a restore on new hardware needs. */
  async backup(ctx: RequestContext): Promise<{ path: string; coordinatorBackupPath?: string }> {
    const caller = this.admit(ctx, 'admin', 'Backup');
    let file: string;
    try {
      file = await this.deps.store.backupNow();
    } catch (error) {
      throw new LanError('failed_precondition', `backup failed: ${(error as Error).message}`);
    }
    let coordinatorBackupPath: string | undefined;
    try {
      coordinatorBackupPath = await this.deps.coordinatorBackup?.();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const code = (error as { code?: unknown }).code === 'not_started' ? 'unavailable' : 'failed_precondition';
      this.deps.log.warn('lan backup: coordinator backup failed', { client: caller.clientName, file, error: reason });
      throw new LanError(code, `database backup written to ${file}; coordinator backup failed: ${reason}`);
    }
    this.deps.log.info('lan backup written', { client: caller.clientName, file, coordinatorBackup: coordinatorBackupPath });
    return { path: file, ...(coordinatorBackupPath !== undefined ? { coordinatorBackupPath } : {}) };
  }

  createPairingCode(ctx: RequestContext, request: { scope?: LanScope }): { code: string; expiresAt: number; fingerprint: string } {
    const caller = this.admit(ctx, 'admin', 'CreatePairingCode');
    return this.openPairingWindow(request.scope ?? 'control', `client ${caller.clientName} (${caller.clientId})`);
  }

  listClients(ctx: RequestContext): LanClientRecord[] {
    this.admit(ctx, 'admin', 'ListClients');
    return this.deps.store.lanClients.list();
  }

  revokeClient(ctx: RequestContext, request: { clientId: string }): void {
    const caller = this.admit(ctx, 'admin', 'RevokeClient');
    this.revoke(request.clientId, `client ${caller.clientName} (${caller.clientId})`);
  }

  // --- the hub's own admin socket (trusted by file permissions, no token) ---

  openPairingWindow(scope: LanScope, openedBy: string): { code: string; expiresAt: number; fingerprint: string } {
    return { ...this.deps.pairing.open(scope, openedBy), fingerprint: this.deps.certificateFingerprint };
  }

  localClients(): LanClientRecord[] {
    return this.deps.store.lanClients.list();
  }

  revoke(clientId: string, by: string): void {
    if (typeof clientId !== 'string' || clientId === '') throw new LanError('invalid_argument', 'client_id is required');
    if (!this.deps.store.lanClients.remove(clientId)) throw new LanError('not_found', `no client ${JSON.stringify(clientId)}`);
    this.deps.log.info('lan client revoked', { clientId, by });
    for (const watcher of this.watchersByClient.get(clientId) ?? []) watcher.fail(new LanError('unauthenticated', 'this client was revoked'));
    this.watchersByClient.delete(clientId);
  }

  // ---

  private admit(ctx: RequestContext, scope: LanScope, what: string): Caller {
    const caller = this.deps.auth.authenticate(ctx.token, ctx.peer);
    requireScope(caller, scope, what);
    return caller;
  }

  private resolve(ref: unknown): DeviceRecord {
    if (typeof ref !== 'string' || ref.trim() === '') throw new LanError('invalid_argument', 'device is required (an IEEE address or a name)');
    if (ref.length > MAX_DEVICE_REF) throw new LanError('invalid_argument', `device reference is longer than ${MAX_DEVICE_REF} characters`);
    const found = this.deps.store.devices.get(ref.toLowerCase()) ?? this.deps.store.devices.getByName(ref);
    if (!found) throw new LanError('not_found', `no device ${JSON.stringify(ref)}`);
    return found;
  }

  private view(record: DeviceRecord): Promise<LanDevice> {
    return viewDevice(record, this.deps.store.state.get(record.ieee), this.deps.exposes);
  }

  private async run(caller: Caller, command: HubCommand): Promise<CommandExecution> {
    const target = 'ieee' in command ? command.ieee : undefined;
    this.deps.log.info('lan command', { client: caller.clientName, kind: command.kind, ...(target ? { ieee: target } : {}) });
    const result = await this.deps.commands.execute(command);
    if (!result.ok) {
      const code = result.failure ? FAILURE_CODES[result.failure] : 'internal';
      throw new LanError(code, result.error ?? `${command.kind} failed`);
    }
    return result;
  }

  private track(clientId: string, watcher: EventWatcher): void {
    let set = this.watchersByClient.get(clientId);
    if (!set) this.watchersByClient.set(clientId, (set = new Set()));
    set.add(watcher);
    watcher.onEnd(() => {
      set.delete(watcher);
      if (set.size === 0 && this.watchersByClient.get(clientId) === set) this.watchersByClient.delete(clientId);
    });
  }
}

function commandId(): string {
  return `lan-${crypto.randomUUID()}`;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
