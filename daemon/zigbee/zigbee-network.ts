// The Zigbee network as the rest of the daemon sees it: a narrow typed surface over
// zigbee-herdsman (radio, device database) and zigbee-herdsman-converters (device
// definitions, raw ZCL <-> named state). herdsman's events are translated into typed events
// (herdsman-event-translator.ts); no herdsman or converters type leaves this module. Each job
// has its own file, made and wired by network-assembly.ts; this class is the surface over them.
import type { DeviceDescription, DeviceState, Ieee } from '../domain/events.js';
import type { DeviceActivity, Quarantine } from './device-faults.js';
import { describeError } from './errors.js';
import { describeExposes, type ExposeDescription } from './expose-description.js';
import type { BindingControl } from './binding-control.js';
import type { GroupControl } from './group-control.js';
import type { SceneControl } from './scene-control.js';
import { assembleNetwork, type NetworkParts } from './network-assembly.js';
import { validateOptions } from './network-options.js';
import { checkOptions } from './option-validation.js';
import type { RemoveOptions, StartResult, ZigbeeNetworkEvents, ZigbeeNetworkOptions, ZigbeeNetworkStats } from './types.js';

export interface NetworkParameters {
  panId: number;
  /** As herdsman reports it: "0x" + 16 hex digits. */
  extendedPanId: string;
  channel: number;
}

export class ZigbeeNetwork {
  private readonly parts: NetworkParts;
  /** Zigbee groups: herdsman's groups, members told to the devices, group commands through the converters. */
  readonly groups: GroupControl;
  /** Scenes (genScenes) on a group or one endpoint of a device. */
  readonly scenes: SceneControl;
  /** Bindings (a device's output clusters to a device or group) and attribute reporting. */
  readonly bindings: BindingControl;

  constructor(options: ZigbeeNetworkOptions) {
    validateOptions(options);
    options.log.addSecret?.(Uint8Array.from(options.network.networkKey));
    this.parts = assembleNetwork(options);
    this.groups = this.parts.groups;
    this.scenes = this.parts.scenes;
    this.bindings = this.parts.bindings;
  }

  /** Subscribes to one kind of event; returns the unsubscribe function. */
  on<K extends keyof ZigbeeNetworkEvents>(kind: K, listener: (event: ZigbeeNetworkEvents[K]) => void): () => void {
    return this.parts.events.on(kind, listener);
  }

  /**
   * Opens the coordinator and forms or resumes the network: 'reset' when it was (re)formed
   * from our credentials, 'resumed' when the coordinator already ran that network,
   * 'restored' when herdsman restored it from its coordinator backup.
   */
  async start(): Promise<StartResult> {
    return this.parts.lifecycle.start();
  }

  /** Stops the network; herdsman saves its database and takes a coordinator backup. */
  async stop(): Promise<void> {
    await this.parts.lifecycle.stop();
  }

  /**
   * Has herdsman write a fresh coordinator backup (network key, frame counters, the stick's
   * device table: what moving to a new stick needs) now, instead of at its next daily one.
   */
  async backupCoordinator(): Promise<void> {
    await this.parts.lookup.started().backup();
  }

  /**
   * Opens the network for joining for at most the configured maximum; 0 closes it (everywhere).
   * `via` (a router's ieee) opens only that router, so a new device joins next to it; the
   * request is addressed to the router alone instead of broadcast.
   */
  async permitJoin(seconds: number, via?: Ieee): Promise<number> {
    return this.parts.permits.open(seconds, via);
  }

  /** Every device herdsman knows (without the coordinator). */
  devices(): DeviceDescription[] {
    return this.parts.lookup.devices();
  }

  /** The parameters the coordinator actually runs with. */
  async networkParameters(): Promise<NetworkParameters> {
    const p = await this.parts.lookup.started().getNetworkParameters();
    return { panId: p.panID, extendedPanId: p.extendedPanID, channel: p.channel };
  }

  /** What the coordinator says it is: stack type (e.g. "zStack3x0"), firmware revision and IEEE address. */
  async coordinatorInfo(): Promise<{ type: string; firmware: string; ieee: string }> {
    return this.parts.lookup.coordinatorInfo();
  }

  /**
   * Sets a device aside (its messages are ignored) until it is re-interviewed or removed;
   * emits `device_quarantined`. Works before start (e.g. for the device the hub died on).
   */
  quarantine(ieee: Ieee, reason: string, stage: string): void {
    this.parts.faults.quarantine(ieee, reason, stage);
  }

  /** A quarantine already recorded (in our store): in force again, without a new event. */
  seedQuarantine(ieee: Ieee, quarantine: Quarantine): void {
    this.parts.faults.seed(ieee, quarantine);
  }

  /**
   * The device whose data is being handled right now, if any: what the hub was doing should
   * it die this instant. Cheap; meant for a crash handler.
   */
  deviceActivity(): DeviceActivity | undefined {
    return this.parts.faults.activity();
  }

  /**
   * Counts a failure that escaped to the process (an unhandled rejection) against the device
   * being handled, when there is one; returns that device, or undefined when it cannot be
   * pinned on a device. Repeats quarantine the device like any failure of its data.
   */
  containEscapedFailure(error: unknown): DeviceActivity | undefined {
    const activity = this.parts.faults.activity();
    if (!activity) return undefined;
    this.parts.faults.failed(activity.ieee, activity.stage, `escaped: ${describeError(error)}`);
    return activity;
  }

  /**
   * Sets named state through the definition's toZigbee converters. Refuses unknown devices,
   * keys without a converter and values outside the definition's exposes before sending.
   * Resolves with the state the converters report (also emitted as a `state` event).
   */
  async setState(ieee: Ieee, request: DeviceState): Promise<DeviceState> {
    return this.parts.stateCommands.set(ieee, request);
  }

  /**
   * Checks option changes (null removes one) against the device definition's options. Throws
   * ZigbeeError naming the option and the problem; the caller stores what passes, and the
   * converters get it through `deviceOptions`.
   */
  async checkOptions(ieee: Ieee, changes: Record<string, unknown>): Promise<void> {
    checkOptions(await this.parts.lookup.definitionOf(this.parts.lookup.device(ieee)), changes);
  }

  /**
   * Reads named state from the device itself (the converters' convertGet), with the same
   * policy as setState (exposed keys with the get access bit only). The answers arrive as
   * ordinary messages, so they are screened and emitted as `state` events like any report.
   * Resolves with the fresh values of the requested keys once all arrived, or with those that
   * did within `settleMs` after the reads were answered; rejects when none did.
   */
  async readState(ieee: Ieee, keys: string[], settleMs = 2000): Promise<DeviceState> {
    return this.parts.stateCommands.read(ieee, keys, settleMs);
  }

  /**
   * Asks the device to leave and forgets it. With `force`, forgets it without asking (for a
   * device that is gone for good). Emits `device_left`.
   */
  async remove(ieee: Ieee, options: RemoveOptions = {}): Promise<void> {
    await this.parts.removal.remove(ieee, options);
  }

  /**
   * Interviews the device again (descriptors, basic attributes), then re-resolves it. A
   * failure is also retried automatically, like any failed interview.
   */
  async reinterview(ieee: Ieee): Promise<DeviceDescription> {
    return this.parts.interviewer.reinterview(this.parts.lookup.device(ieee));
  }

  /** Runs the definition's configure (bindings, reporting) now, even if done before. */
  async reconfigure(ieee: Ieee): Promise<void> {
    const device = this.parts.lookup.device(ieee);
    await this.parts.configurer.configure(device, await this.parts.lookup.definitionOf(device), true);
  }

  /**
   * What the device's definition exposes (keys, access, units, ranges). Empty while the device
   * is being interviewed. Throws ZigbeeError for an unknown device or a lost coordinator.
   */
  async exposes(ieee: Ieee): Promise<ExposeDescription[]> {
    const device = this.parts.lookup.device(ieee);
    const definition = await this.parts.definitions.resolve(device);
    return definition ? describeExposes(definition, device) : [];
  }

  /**
   * Re-reads the device's state (on/off, then brightness and colour when on) through its
   * converters: for a device that comes back after being unavailable. The answers arrive as
   * `state` events. Never throws for a device that cannot be read now; throws ZigbeeError for
   * an unknown device or a lost coordinator.
   */
  async refreshState(ieee: Ieee): Promise<void> {
    await this.parts.stateCommands.refresh(this.parts.lookup.device(ieee), false);
  }

  /**
   * Whether a (mains powered) device answers a basic read: for availability checks. With
   * `recovery`, a ping that gets no answer lets the coordinator look for a new route to the
   * device (route discovery, herdsman's recovery); without, it is one frame, nothing more.
   */
  async ping(ieee: Ieee, options: { recovery?: boolean } = {}): Promise<boolean> {
    const device = this.parts.lookup.device(ieee);
    try {
      await device.ping(options.recovery !== true);
      return true;
    } catch (error) {
      this.parts.log.debug('ping failed', { ieee, error: describeError(error) });
      return false;
    }
  }

  stats(): ZigbeeNetworkStats {
    const faults = this.parts.faults.stats();
    return {
      ...this.parts.state.stats(),
      deviceFailures: faults.failures,
      deviceFailuresByStage: faults.failuresByStage,
      quarantined: faults.quarantined,
      ignoredMessages: faults.ignoredMessages,
      serialDropped: this.parts.guards.serialDropStats(),
    };
  }
}
