// The Zigbee network as the rest of the daemon sees it: a narrow typed surface over
// zigbee-herdsman (radio, device database) and zigbee-herdsman-converters (device
// definitions, raw ZCL <-> named state). herdsman's events are translated here into typed
// events; no herdsman or converters type leaves this module.
import type { DeviceDescription, DeviceState, Ieee } from '../domain/events.js';
import { DefinitionCache } from './definition-cache.js';
import { DeviceLookup } from './device-lookup.js';
import { DeviceRemoval } from './device-removal.js';
import { DeviceConfigurer } from './device-configurer.js';
import { DeviceFaults, type DeviceActivity, type Quarantine } from './device-faults.js';
import { DeviceInterviewer } from './device-interviewer.js';
import { describeError } from './errors.js';
import { describeExposes, type ExposeDescription } from './expose-description.js';
import type { HerdsmanDevice } from './herdsman-types.js';
import { StateCommands } from './state-commands.js';
import { StateRefresh } from './state-refresh.js';
import { GroupControl } from './group-control.js';
import { SceneControl } from './scene-control.js';
import { BindingControl } from './binding-control.js';
import {
  CONFIGURE_RETRY_DELAYS_MS,
  DEFAULT_INTERVIEW_RETRIES,
  DEFAULT_INTERVIEW_RETRY_DELAYS_MS,
  DEFAULT_MAX_CONFIGURE_ATTEMPTS,
  DEFAULT_MAX_PERMIT_JOIN_SECONDS,
  validateOptions,
} from './network-options.js';
import { TypedEmitter } from '../domain/typed-emitter.js';
import { checkOptions } from './option-validation.js';
import { ControllerGuards } from './controller-guards.js';
import type {
  Clock,
  RemoveOptions,
  StartResult,
  ZigbeeLogger,
  ZigbeeNetworkEvents,
  ZigbeeNetworkOptions,
  ZigbeeNetworkStats,
} from './types.js';
import { NetworkLifecycle } from './network-lifecycle.js';
import { NetworkState } from './network-state.js';
import { PermitJoin } from './permit-join.js';

export interface NetworkParameters {
  panId: number;
  /** As herdsman reports it: "0x" + 16 hex digits. */
  extendedPanId: string;
  channel: number;
}

export class ZigbeeNetwork {
  private readonly log: ZigbeeLogger;
  private readonly clock: Clock;
  private readonly events: TypedEmitter<ZigbeeNetworkEvents>;
  private readonly definitions = new DefinitionCache();
  private readonly lookup = new DeviceLookup(this.definitions);
  private readonly state: NetworkState;
  private readonly faults: DeviceFaults;
  private readonly configurer: DeviceConfigurer;
  private readonly interviewer: DeviceInterviewer;
  private readonly refresher: StateRefresh;
  private readonly removal: DeviceRemoval;
  private readonly stateCommands: StateCommands;
  /** Zigbee groups: herdsman's groups, members told to the devices, group commands through the converters. */
  readonly groups: GroupControl;
  /** Scenes (genScenes) on a group or one endpoint of a device. */
  readonly scenes: SceneControl;
  /** Bindings (a device's output clusters to a device or group) and attribute reporting. */
  readonly bindings: BindingControl;
  private readonly permits: PermitJoin;
  private readonly lifecycle: NetworkLifecycle;
  private readonly guards: ControllerGuards;

  constructor(options: ZigbeeNetworkOptions) {
    validateOptions(options);
    options.log.addSecret?.(Uint8Array.from(options.network.networkKey));
    this.log = options.log.child('zigbee');
    this.clock = options.clock ?? { now: () => Date.now() };
    this.events = new TypedEmitter((kind, error) =>
      this.log.error('event listener failed', { event: String(kind), error: describeError(error) }),
    );
    this.state = new NetworkState({
      log: this.log,
      deviceOptions: options.deviceOptions,
      ...(options.stateOf ? { source: { get: options.stateOf } } : {}),
      rangesOf: (ieee) => this.definitions.rangesOf(ieee),
      emit: this.emit,
    });
    this.faults = new DeviceFaults({ log: this.log, emit: this.emit });
    const timers = options.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
    this.guards = new ControllerGuards({
      dir: options.dataDir,
      keepCopies: options.herdsmanFileCopies ?? 3,
      adapter: options.serial.adapter,
      log: this.log,
      timers,
      now: () => this.clock.now(),
      emit: (kind, payload) => this.events.emit(kind, payload),
    });
    this.configurer = new DeviceConfigurer({
      coordinatorEndpoint: () => this.lookup.coordinatorEndpoint(),
      maxAttempts: options.maxConfigureAttempts ?? DEFAULT_MAX_CONFIGURE_ATTEMPTS,
      retryDelaysMs: CONFIGURE_RETRY_DELAYS_MS,
      timers,
      log: this.log,
      onReport: (report) => this.emit('device_configured', report),
      faults: this.faults,
    });
    this.groups = new GroupControl({
      controller: () => this.lookup.started(),
      device: (ieee) => this.lookup.device(ieee),
      definitions: this.definitions,
      publish: (ieee, payload) => this.state.publish(ieee, payload),
    });
    this.scenes = new SceneControl({
      controller: () => this.lookup.started(),
      endpointOf: (ieee, name) => this.groups.endpointOf(ieee, name),
      publish: (ieee, payload) => this.state.publish(ieee, payload),
    });
    this.bindings = new BindingControl({
      controller: () => this.lookup.started(),
      endpointOf: (ieee, name) => this.groups.endpointOf(ieee, name),
    });
    this.refresher = new StateRefresh({
      state: (ieee) => this.state.of(ieee),
      options: (ieee) => this.state.optionsOf(ieee),
      publish: (ieee, payload) => this.state.publish(ieee, payload),
      now: () => this.clock.now(),
      log: this.log,
    });
    this.stateCommands = new StateCommands({ lookup: this.lookup, state: this.state });
    this.permits = new PermitJoin({
      lookup: this.lookup,
      maxSeconds: options.maxPermitJoinSeconds ?? DEFAULT_MAX_PERMIT_JOIN_SECONDS,
      log: this.log,
    });
    this.removal = new DeviceRemoval({
      lookup: this.lookup,
      translator: () => this.lifecycle.translator(),
      log: this.log,
      emit: this.emit,
    });
    this.interviewer = new DeviceInterviewer({
      lookup: (ieee) => this.lookup.find(ieee),
      translator: () => this.lifecycle.translator(),
      definitions: this.definitions,
      maxRetries: options.interviewRetry?.maxRetries ?? DEFAULT_INTERVIEW_RETRIES,
      retryDelaysMs: options.interviewRetry?.delaysMs ?? DEFAULT_INTERVIEW_RETRY_DELAYS_MS,
      clock: this.clock,
      timers,
      log: this.log,
    });
    this.lifecycle = new NetworkLifecycle({
      options,
      lookup: this.lookup,
      guards: this.guards,
      definitions: this.definitions,
      configurer: this.configurer,
      interviewer: this.interviewer,
      state: this.state,
      faults: this.faults,
      clock: this.clock,
      log: this.log,
      emit: this.emit,
      announced: (device) => void this.refreshDevice(device, true),
    });
  }

  /**
   * Every event leaves through here. The interview retries hear it first, directly rather than
   * as a listener of our own emitter: every interview's end (herdsman's at join, ours) and
   * every sign of life drive them.
   */
  private readonly emit = <K extends keyof ZigbeeNetworkEvents>(kind: K, payload: ZigbeeNetworkEvents[K]): void => {
    try {
      if (kind === 'device_interview') this.interviewer.onInterviewEvent(payload as ZigbeeNetworkEvents['device_interview']);
      else if (kind === 'seen') this.interviewer.onSeen((payload as ZigbeeNetworkEvents['seen']).ieee);
      else if (kind === 'device_left') {
        this.interviewer.forget((payload as ZigbeeNetworkEvents['device_left']).ieee);
        this.refresher.forget((payload as ZigbeeNetworkEvents['device_left']).ieee);
      }
    } catch (error) {
      this.log.error('interview retry bookkeeping failed', { event: kind, error: describeError(error) });
    }
    this.events.emit(kind, payload);
  };

  /** Subscribes to one kind of event; returns the unsubscribe function. */
  on<K extends keyof ZigbeeNetworkEvents>(kind: K, listener: (event: ZigbeeNetworkEvents[K]) => void): () => void {
    return this.events.on(kind, listener);
  }

  /**
   * Opens the coordinator and forms or resumes the network: 'reset' when it was (re)formed
   * from our credentials, 'resumed' when the coordinator already ran that network,
   * 'restored' when herdsman restored it from its coordinator backup.
   */
  async start(): Promise<StartResult> {
    return this.lifecycle.start();
  }


  /** Stops the network; herdsman saves its database and takes a coordinator backup. */
  async stop(): Promise<void> {
    await this.lifecycle.stop();
  }


  /**
   * Has herdsman write a fresh coordinator backup (network key, frame counters, the stick's
   * device table: what moving to a new stick needs) now, instead of at its next daily one.
   */
  async backupCoordinator(): Promise<void> {
    await this.lookup.started().backup();
  }

  /**
   * Opens the network for joining for at most the configured maximum; 0 closes it (everywhere).
   * `via` (a router's ieee) opens only that router, so a new device joins next to it; the
   * request is addressed to the router alone instead of broadcast.
   */
  async permitJoin(seconds: number, via?: Ieee): Promise<number> {
    return this.permits.open(seconds, via);
  }


  /** Every device herdsman knows (without the coordinator). */
  devices(): DeviceDescription[] {
    return this.lookup.devices();
  }

  /** The parameters the coordinator actually runs with. */
  async networkParameters(): Promise<NetworkParameters> {
    const p = await this.lookup.started().getNetworkParameters();
    return { panId: p.panID, extendedPanId: p.extendedPanID, channel: p.channel };
  }

  /** What the coordinator says it is: stack type (e.g. "zStack3x0"), firmware revision and IEEE address. */
  async coordinatorInfo(): Promise<{ type: string; firmware: string; ieee: string }> {
    return this.lookup.coordinatorInfo();
  }

  /**
   * Sets a device aside (its messages are ignored) until it is re-interviewed or removed;
   * emits `device_quarantined`. Works before start (e.g. for the device the hub died on).
   */
  quarantine(ieee: Ieee, reason: string, stage: string): void {
    this.faults.quarantine(ieee, reason, stage);
  }

  /** A quarantine already recorded (in our store): in force again, without a new event. */
  seedQuarantine(ieee: Ieee, quarantine: Quarantine): void {
    this.faults.seed(ieee, quarantine);
  }

  /**
   * The device whose data is being handled right now, if any: what the hub was doing should
   * it die this instant. Cheap; meant for a crash handler.
   */
  deviceActivity(): DeviceActivity | undefined {
    return this.faults.activity();
  }

  /**
   * Counts a failure that escaped to the process (an unhandled rejection) against the device
   * being handled, when there is one; returns that device, or undefined when it cannot be
   * pinned on a device. Repeats quarantine the device like any failure of its data.
   */
  containEscapedFailure(error: unknown): DeviceActivity | undefined {
    const activity = this.faults.activity();
    if (!activity) return undefined;
    this.faults.failed(activity.ieee, activity.stage, `escaped: ${describeError(error)}`);
    return activity;
  }

  /**
   * Sets named state through the definition's toZigbee converters. Refuses unknown devices,
   * keys without a converter and values outside the definition's exposes before sending.
   * Resolves with the state the converters report (also emitted as a `state` event).
   */
  async setState(ieee: Ieee, request: DeviceState): Promise<DeviceState> {
    return this.stateCommands.set(ieee, request);
  }


  /**
   * Checks option changes (null removes one) against the device definition's options. Throws
   * ZigbeeError naming the option and the problem; the caller stores what passes, and the
   * converters get it through `deviceOptions`.
   */
  async checkOptions(ieee: Ieee, changes: Record<string, unknown>): Promise<void> {
    checkOptions(await this.lookup.definitionOf(this.lookup.device(ieee)), changes);
  }

  /**
   * Reads named state from the device itself (the converters' convertGet), with the same
   * policy as setState (exposed keys with the get access bit only). The answers arrive as
   * ordinary messages, so they are screened and emitted as `state` events like any report.
   * Resolves with the fresh values of the requested keys once all arrived, or with those that
   * did within `settleMs` after the reads were answered; rejects when none did.
   */
  async readState(ieee: Ieee, keys: string[], settleMs = 2000): Promise<DeviceState> {
    return this.stateCommands.read(ieee, keys, settleMs);
  }


  /**
   * Asks the device to leave and forgets it. With `force`, forgets it without asking (for a
   * device that is gone for good). Emits `device_left`.
   */
  async remove(ieee: Ieee, options: RemoveOptions = {}): Promise<void> {
    await this.removal.remove(ieee, options);
  }


  /**
   * Interviews the device again (descriptors, basic attributes), then re-resolves it. A
   * failure is also retried automatically, like any failed interview.
   */
  async reinterview(ieee: Ieee): Promise<DeviceDescription> {
    return this.interviewer.reinterview(this.lookup.device(ieee));
  }

  /** Runs the definition's configure (bindings, reporting) now, even if done before. */
  async reconfigure(ieee: Ieee): Promise<void> {
    const device = this.lookup.device(ieee);
    await this.configurer.configure(device, await this.lookup.definitionOf(device), true);
  }

  /**
   * What the device's definition exposes (keys, access, units, ranges). Empty while the device
   * is being interviewed. Throws ZigbeeError for an unknown device or a lost coordinator.
   */
  async exposes(ieee: Ieee): Promise<ExposeDescription[]> {
    const device = this.lookup.device(ieee);
    const definition = await this.definitions.resolve(device);
    return definition ? describeExposes(definition, device) : [];
  }

  /**
   * Re-reads the device's state (on/off, then brightness and colour when on) through its
   * converters: for a device that comes back after being unavailable. The answers arrive as
   * `state` events. Never throws for a device that cannot be read now; throws ZigbeeError for
   * an unknown device or a lost coordinator.
   */
  async refreshState(ieee: Ieee): Promise<void> {
    await this.refreshDevice(this.lookup.device(ieee), false);
  }

  /**
   * Whether a (mains powered) device answers a basic read: for availability checks. With
   * `recovery`, a ping that gets no answer lets the coordinator look for a new route to the
   * device (route discovery, herdsman's recovery); without, it is one frame, nothing more.
   */
  async ping(ieee: Ieee, options: { recovery?: boolean } = {}): Promise<boolean> {
    const device = this.lookup.device(ieee);
    try {
      await device.ping(options.recovery !== true);
      return true;
    } catch (error) {
      this.log.debug('ping failed', { ieee, error: describeError(error) });
      return false;
    }
  }

  stats(): ZigbeeNetworkStats {
    const faults = this.faults.stats();
    return {
      ...this.state.stats(),
      deviceFailures: faults.failures,
      deviceFailuresByStage: faults.failuresByStage,
      quarantined: faults.quarantined,
      ignoredMessages: faults.ignoredMessages,
      serialDropped: this.guards.serialDropStats(),
    };
  }

  private async refreshDevice(device: HerdsmanDevice, debounce: boolean): Promise<void> {
    if (this.faults.isQuarantined(device.ieeeAddr)) return;
    const definition = await this.definitions.resolve(device).catch(() => undefined);
    if (!definition || !this.lookup.current()) return;
    await this.refresher.refresh(device, definition, debounce);
  }
}
