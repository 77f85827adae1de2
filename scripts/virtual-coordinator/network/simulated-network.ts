// The radio side of the emulator: which devices are on the network, who is whose parent,
// permit join, joins and leaves, and the path of frames between the coordinator and each
// simulated device (with the faults applied on the way).
import { EventEmitter } from 'node:events';
import { ByteWriter, type IeeeAddress, normalizeIeee } from '../firmware/bytes.js';
import type { Log } from '../firmware/mt-dispatcher.js';
import type { ZnpFirmware } from '../firmware/znp-firmware.js';
import type { DeviceDefinition, ZclFrame } from '../devices/definition.js';
import { Subsystem } from '../transport/unpi.js';
import { addAddressEntry, generateIeee, generateNwk, removeAddressEntry } from './addressing.js';
import type { DeviceBehaviour, DeviceFactory } from './device-behaviour.js';
import type { FaultBook } from './faults.js';
import { routeBound } from './bound-routing.js';
import { Scheduler } from './scheduler.js';
import { type BindingEntry, ZdoCallback } from './zdo-frames.js';
import { isZclResponse } from './zcl-peek.js';

export interface NetworkNode {
  ieee: IeeeAddress;
  nwk: number;
  /** Network address of the parent (0x0000 = the coordinator). */
  parent: number;
  definition: DeviceDefinition;
  device: DeviceBehaviour;
  lqi: number;
  bindings: BindingEntry[];
  /** APS counter of frames the device sends. */
  apsCounter: number;
  /** > 0 while the device handles a frame: what it sends then is a response. */
  receiving: number;
}

export interface JoinOptions {
  /** IEEE address of the router the device joins through (default: the coordinator). */
  parent?: string;
  /** Link quality the coordinator sees for this device (default: derived from the address). */
  lqi?: number;
}

export interface PersistedNode {
  definition: DeviceDefinition;
  parent?: IeeeAddress;
  lqi: number;
}

export interface NetworkEvents {
  joined: [node: NetworkNode];
  left: [ieee: IeeeAddress];
  permitJoin: [seconds: number];
  /** A ZCL frame the coordinator delivered to a device. */
  delivered: [node: NetworkNode, frame: ZclFrame];
}

export interface NetworkOptions {
  firmware: ZnpFirmware;
  faults: FaultBook;
  createDevice: DeviceFactory;
  log: Log;
}

/** Largest ZCL payload that fits an AF incomingMsg inside one 250-byte MT frame. */
const MAX_INCOMING_DATA = 250 - 17;

export function isRxOnWhenIdle(definition: DeviceDefinition): boolean {
  return definition.logicalType === 'router' || definition.powerSource === 'mains';
}

export function macCapabilities(definition: DeviceDefinition): number {
  const router = definition.logicalType === 'router';
  return (
    0x80 | // allocate address
    (isRxOnWhenIdle(definition) ? 0x08 : 0) |
    (definition.powerSource === 'mains' ? 0x04 : 0) |
    (router ? 0x02 : 0)
  );
}

export class SimulatedNetwork extends EventEmitter<NetworkEvents> {
  private readonly byIeeeMap = new Map<IeeeAddress, NetworkNode>();
  private readonly byNwkMap = new Map<number, NetworkNode>();
  private readonly pendingJoins: Array<{ definition: DeviceDefinition; options: JoinOptions }> = [];
  private permitJoinUntil = 0;
  private permitJoinTimer: NodeJS.Timeout | undefined;
  private readonly startedAt = Date.now();
  readonly scheduler = new Scheduler();
  readonly fw: ZnpFirmware;
  readonly faults: FaultBook;
  private readonly createDevice: DeviceFactory;
  private readonly log: Log;
  /** Frames devices tried to send while the coordinator was not on the network. */
  droppedWhileDown = 0;

  constructor(options: NetworkOptions) {
    super();
    this.fw = options.firmware;
    this.faults = options.faults;
    this.createDevice = options.createDevice;
    this.log = options.log;
  }

  /** The coordinator's own IEEE address (a binding to it means "to the host"). */
  get coordinatorIeee(): string {
    return this.fw.ieee;
  }

  nodes(): NetworkNode[] {
    return [...this.byIeeeMap.values()];
  }

  byIeee(ieee: string): NetworkNode | undefined {
    return this.byIeeeMap.get(normalizeIeee(ieee));
  }

  byNwk(nwk: number): NetworkNode | undefined {
    return this.byNwkMap.get(nwk);
  }

  /** Network addresses of the coordinator's direct children. */
  directChildren(): number[] {
    return this.nodes().filter((n) => n.parent === 0x0000).map((n) => n.nwk);
  }

  childrenOf(nwk: number): NetworkNode[] {
    return this.nodes().filter((n) => n.parent === nwk);
  }

  depthOf(node: NetworkNode): number {
    let depth = 1;
    for (let p = this.byNwk(node.parent); p && depth < 16; p = this.byNwk(p.parent)) depth++;
    return depth;
  }

  isSleepy(node: NetworkNode): boolean {
    return !isRxOnWhenIdle(node.definition);
  }

  get permitJoinSeconds(): number {
    return Math.max(0, Math.ceil((this.permitJoinUntil - Date.now()) / 1000));
  }

  // --- permit join ---------------------------------------------------------------------------

  permitJoin(seconds: number): void {
    clearTimeout(this.permitJoinTimer);
    this.permitJoinTimer = undefined;
    this.permitJoinUntil = seconds > 0 ? Date.now() + seconds * 1000 : 0;
    this.fw.dispatcher.areq(Subsystem.ZDO, ZdoCallback.permitJoinInd, Buffer.from([Math.min(seconds, 0xff)]));
    this.emit('permitJoin', seconds);
    if (seconds <= 0) return;
    if (seconds < 0xff) {
      this.permitJoinTimer = setTimeout(() => {
        this.permitJoinUntil = 0;
        this.permitJoinTimer = undefined;
        this.emit('permitJoin', 0);
      }, seconds * 1000);
    } else {
      this.permitJoinUntil = Number.MAX_SAFE_INTEGER; // 0xFF: open until closed
    }
    // Devices waiting to join come in one after another, the way a pairing session goes.
    const waiting = this.pendingJoins.splice(0);
    waiting.forEach((p, i) => this.scheduler.after(100 * (i + 1), () => this.tryJoin(p.definition, p.options)));
  }

  get isPermitJoinOpen(): boolean {
    return this.permitJoinUntil > Date.now();
  }

  /** Join now if permit join is open, otherwise as soon as it opens. */
  joinWhenPermitted(definition: DeviceDefinition, options: JoinOptions = {}): void {
    if (this.isPermitJoinOpen && this.fw.isCoordinator) this.tryJoin(definition, options);
    else this.pendingJoins.push({ definition, options });
  }

  private tryJoin(definition: DeviceDefinition, options: JoinOptions): void {
    try {
      this.join(definition, options);
    } catch (error) {
      this.log('warn', `queued join of '${definition.id}' failed: ${(error as Error).message}`);
    }
  }

  // --- join / leave ----------------------------------------------------------------------------

  join(definition: DeviceDefinition, options: JoinOptions = {}): NetworkNode {
    if (!this.fw.isCoordinator) throw new Error('cannot join: the coordinator has not started a network');
    if (!this.isPermitJoinOpen) throw new Error('cannot join: permit join is closed (open it from the host first)');
    const ieee = definition.ieee ? normalizeIeee(definition.ieee) : undefined;
    if (ieee && this.byIeeeMap.has(ieee)) throw new Error(`cannot join: ${ieee} is already on the network`);
    const node = this.addNode(definition, options);
    const caps = macCapabilities(node.definition);
    const ind = new ByteWriter().u16(node.nwk).ieee(node.ieee).u16(node.parent).done();
    this.fw.dispatcher.areq(Subsystem.ZDO, ZdoCallback.tcDeviceInd, ind);
    // The device announces itself once it has the network key.
    this.scheduler.after(50, () => {
      if (this.byIeeeMap.get(node.ieee) !== node) return;
      this.announce(node, caps);
      node.device.start();
    });
    this.log('info', `device ${node.definition.id} ${node.ieee} joined as 0x${node.nwk.toString(16).padStart(4, '0')}`);
    this.emit('joined', node);
    return node;
  }

  announce(node: NetworkNode, capabilities = macCapabilities(node.definition)): void {
    const annce = new ByteWriter().u16(node.nwk).u16(node.nwk).ieee(node.ieee).u8(capabilities).done();
    this.fw.dispatcher.areq(Subsystem.ZDO, ZdoCallback.endDeviceAnnceInd, annce);
  }

  private addNode(definition: DeviceDefinition, options: JoinOptions, nwkHint?: number): NetworkNode {
    const ieee = definition.ieee
      ? normalizeIeee(definition.ieee)
      : generateIeee(definition.manufacturerCode, (i) => this.byIeeeMap.has(i) || i === this.fw.ieee);
    const wanted = nwkHint ?? definition.nwk;
    const nwk = wanted !== undefined && wanted > 0 && wanted < 0xfff8 && !this.byNwkMap.has(wanted) ? wanted : generateNwk((n) => this.byNwkMap.has(n));
    let parent = 0x0000;
    if (options.parent) {
      const router = this.byIeee(options.parent);
      if (!router || router.definition.logicalType !== 'router') throw new Error(`parent ${options.parent} is not a router on the network`);
      parent = router.nwk;
    }
    const full: DeviceDefinition = { ...definition, ieee, nwk };
    const node: NetworkNode = {
      ieee,
      nwk,
      parent,
      definition: full,
      device: undefined as unknown as DeviceBehaviour,
      lqi: options.lqi ?? 120 + (parseInt(ieee.slice(-2), 16) % 100),
      bindings: [],
      apsCounter: 0,
      receiving: 0,
    };
    node.device = this.createDevice(full, { send: (frame) => this.fromDevice(node, frame) });
    this.byIeeeMap.set(ieee, node);
    this.byNwkMap.set(nwk, node);
    addAddressEntry(this.fw.nv, ieee, nwk, parent === 0x0000);
    return node;
  }

  /** The device leaves: leaveInd goes to the host and the device is gone. */
  leave(ieee: string, how: { request?: boolean; rejoin?: boolean } = {}): void {
    const node = this.byIeee(ieee);
    if (!node) throw new Error(`no device ${ieee} on the network`);
    const ind = new ByteWriter().u16(node.nwk).ieee(node.ieee).u8(how.request ? 1 : 0).u8(0).u8(how.rejoin ? 1 : 0).done();
    this.fw.dispatcher.areq(Subsystem.ZDO, ZdoCallback.leaveInd, ind);
    if (how.rejoin) {
      this.scheduler.after(50, () => this.byIeeeMap.get(node.ieee) === node && this.announce(node));
      return;
    }
    this.remove(node);
  }

  private remove(node: NetworkNode): void {
    node.device.stop();
    this.byIeeeMap.delete(node.ieee);
    this.byNwkMap.delete(node.nwk);
    removeAddressEntry(this.fw.nv, node.ieee);
    this.faults.clear(node.ieee);
    for (const child of this.childrenOf(node.nwk)) child.parent = 0x0000; // orphans rejoin the coordinator
    this.emit('left', node.ieee);
  }

  /**
   * Network state wiped by the firmware (factory reset): every device is gone, silently.
   * Devices still waiting to join keep waiting: they were never on the old network.
   */
  forgetAll(): void {
    for (const node of this.nodes()) node.device.stop();
    this.byIeeeMap.clear();
    this.byNwkMap.clear();
    this.scheduler.clear();
    this.permitJoinUntil = 0;
  }

  // --- frames --------------------------------------------------------------------------------

  /** Extra time before a device sees a frame: sleepy end devices wait for their next poll. */
  pollDelay(node: NetworkNode): number {
    return this.isSleepy(node) ? (node.definition.pollDelayMs ?? 0) : 0;
  }

  /** Deliver a ZCL frame from the coordinator to the device. */
  deliver(node: NetworkNode, frame: ZclFrame): void {
    if (this.byIeeeMap.get(node.ieee) !== node) return;
    this.emit('delivered', node, frame);
    node.receiving++;
    try {
      node.device.receive(frame);
    } catch (error) {
      this.log('warn', `device ${node.ieee} failed on a frame: ${(error as Error).message}`);
    } finally {
      node.receiving--;
    }
  }

  /** Send a ZDO response AREQ from a device, honouring drop/delay/silent faults. */
  zdoResponse(node: NetworkNode, command: number, payload: Buffer, extraDelay = 0, then?: () => void): void {
    this.scheduler.after(extraDelay + this.pollDelay(node), () => {
      if (this.byIeeeMap.get(node.ieee) !== node || !this.fw.isCoordinator) return;
      if (this.faults.takeDrop(node.ieee)) return;
      const delay = this.faults.delayOf(node.ieee);
      const send = () => {
        this.fw.dispatcher.areq(Subsystem.ZDO, command, payload);
        then?.();
      };
      if (delay > 0) this.scheduler.after(delay, send);
      else send();
    });
  }

  /** A frame the device sends: becomes an AF incomingMsg from its address. */
  private fromDevice(node: NetworkNode, frame: ZclFrame): void {
    if (this.byIeeeMap.get(node.ieee) !== node) return;
    routeBound(this, node, frame);
    if (!this.fw.isCoordinator) {
      this.droppedWhileDown++;
      return;
    }
    const response = node.receiving > 0 || isZclResponse(frame.data);
    if (response && this.faults.takeDrop(node.ieee)) return;
    let data = frame.data;
    if (this.faults.takeTruncation(node.ieee)) data = data.subarray(0, Math.max(1, data.length - 1));
    if (data.length > MAX_INCOMING_DATA) {
      this.log('warn', `device ${node.ieee} sent ${data.length} bytes, more than one incomingMsg carries; dropped`);
      return;
    }
    node.apsCounter = (node.apsCounter + 1) & 0xff;
    const msg = new ByteWriter()
      .u16(frame.groupId ?? 0)
      .u16(frame.clusterId)
      .u16(node.nwk)
      .u8(frame.srcEndpoint)
      .u8(frame.dstEndpoint)
      .u8(0) // was broadcast
      .u8(node.lqi)
      .u8(0) // security use
      .u32((Date.now() - this.startedAt) >>> 0)
      .u8(node.apsCounter)
      .u8(data.length)
      .bytes(data)
      .done();
    const send = () => this.fw.dispatcher.areq(Subsystem.AF, 0x81, msg);
    const delay = response ? this.faults.delayOf(node.ieee) : 0;
    if (delay > 0) this.scheduler.after(delay, send);
    else send();
  }

  // --- persistence ---------------------------------------------------------------------------

  snapshot(): PersistedNode[] {
    return this.nodes().map((n) => ({
      definition: n.definition,
      parent: n.parent === 0 ? undefined : this.byNwk(n.parent)?.ieee,
      lqi: n.lqi,
    }));
  }

  /** Bring back devices from a state file: already joined, so no join indications. */
  restore(saved: PersistedNode[]): void {
    const routersFirst = [...saved].sort((a, b) => Number(b.definition.logicalType === 'router') - Number(a.definition.logicalType === 'router'));
    for (const entry of routersFirst) {
      const parent = entry.parent && this.byIeee(entry.parent) ? entry.parent : undefined;
      const node = this.addNode(entry.definition, { parent, lqi: entry.lqi }, entry.definition.nwk);
      node.device.start();
    }
  }

  stop(): void {
    clearTimeout(this.permitJoinTimer);
    this.permitJoinTimer = undefined;
    this.scheduler.clear();
    for (const node of this.nodes()) node.device.stop();
  }
}
