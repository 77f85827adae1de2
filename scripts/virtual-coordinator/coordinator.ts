// The virtual CC2652: wires the TCP link, the Z-Stack firmware and the simulated network
// together and offers the programmatic API tests and the CLI use.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { catalogue, catalogueDevice } from './devices/catalogue.js';
import type { DeviceDefinition, ZclValue } from './devices/definition.js';
import { resolveAttribute, resolveCluster } from './devices/names.js';
import { SimulatedDevice } from './devices/simulated-device.js';
import { applyFault, type FaultSpec } from './fault-injection.js';
import { registerAppCommands } from './firmware/app-commands.js';
import { normalizeIeee } from './firmware/bytes.js';
import { writeFactoryNv } from './firmware/factory-nv.js';
import type { Log } from './firmware/mt-dispatcher.js';
import { registerNvCommands } from './firmware/nv-commands.js';
import { type NvSnapshot, NvStore } from './firmware/nv-store.js';
import { registerSysCommands } from './firmware/sys-commands.js';
import { ZnpFirmware } from './firmware/znp-firmware.js';
import { type AfStats, registerAfCommands } from './network/af-commands.js';
import type { DeviceBehaviour, DeviceFactory } from './network/device-behaviour.js';
import { FaultBook } from './network/faults.js';
import { type NetworkMembers, runsNetworkOf } from './network/network-members.js';
import { type JoinOptions, type NetworkNode, SimulatedNetwork } from './network/simulated-network.js';
import { registerUtilCommands } from './network/util-commands.js';
import { registerZdoCommands } from './network/zdo-commands.js';
import { readStateFile, STATE_FORMAT, writeStateFile } from './state-file.js';
import { TcpLink } from './transport/tcp-link.js';
import type { MtFrame } from './transport/unpi.js';

export interface VirtualCoordinatorOptions {
  /** TCP port for the host (zigbee-herdsman `tcp://host:port`); 0 = ephemeral. */
  port?: number;
  host?: string;
  /** JSON file holding NV and joined devices; a missing file means a blank stick. */
  nvStateFile?: string;
  /**
   * Devices that join the first time the host opens permit join (catalogue ids or inline
   * definitions). With a state file, a device whose catalogue id (or IEEE) is already on
   * the restored network does not join again.
   */
  devices?: Array<DeviceDefinition | string>;
  /** IEEE address of a blank stick (default: random TI address 0x00124b00........). */
  ieee?: string;
  /**
   * NV to start from when there is no state file, instead of a factory-fresh stick (its IEEE
   * address is in it; `ieee` is then ignored). Tests pass the NV of a stick herdsman already
   * formed a network on, so herdsman resumes it instead of forming one (3 s of settling each).
   */
  initialNv?: NvSnapshot;
  /**
   * Devices already members of a network (an old stick's, `membersOfStick()`), in the air but
   * not in this stick's NV: each takes part, without joining, whenever this stick runs their
   * network (same extended PAN ID and key), e.g. after a host restored its backup onto it.
   */
  members?: NetworkMembers;
  /** Builds the device behind each joined definition (default: devices/SimulatedDevice). */
  createDevice?: DeviceFactory;
  log?: Log;
}

export interface DeviceSummary {
  ieee: string;
  nwk: number;
  id: string;
  description: string;
  logicalType: 'router' | 'enddevice';
  parent: string | undefined;
  lqi: number;
  endpoints: number[];
  actions: string[];
}

export interface NetworkSummary {
  state: number;
  panId?: number;
  channel?: number;
  extendedPanId?: string;
  permitJoinSeconds: number;
}

export interface VirtualCoordinatorEvents {
  /** Every MT frame: 'rx' from the host, 'tx' to it. */
  frame: [direction: 'rx' | 'tx', frame: MtFrame];
  connected: [];
  disconnected: [];
  joined: [device: DeviceSummary];
  left: [ieee: string];
  permitJoin: [seconds: number];
  stateChanged: [state: number];
}

const PERSIST_DEBOUNCE_MS = 20;

export function resolveDefinition(device: DeviceDefinition | string): DeviceDefinition {
  if (typeof device === 'string') return catalogueDevice(device);
  if (!device || typeof device !== 'object') throw new Error('a device is a catalogue id or a definition object');
  if (typeof device.id !== 'string' || !Array.isArray(device.endpoints)) throw new Error('an inline definition needs at least "id" and "endpoints"');
  if (device.logicalType !== 'router' && device.logicalType !== 'enddevice') throw new Error('definition.logicalType must be "router" or "enddevice"');
  if (!Number.isInteger(device.manufacturerCode)) throw new Error('definition.manufacturerCode must be an integer');
  if (device.powerSource !== 'mains' && device.powerSource !== 'battery') throw new Error('definition.powerSource must be "mains" or "battery"');
  return structuredClone(device);
}

export class VirtualCoordinator extends EventEmitter<VirtualCoordinatorEvents> {
  port = 0;
  readonly nv = new NvStore();
  readonly link = new TcpLink();
  readonly firmware: ZnpFirmware;
  readonly network: SimulatedNetwork;
  readonly afStats: AfStats;
  private persistTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: VirtualCoordinatorOptions = {}) {
    super();
    const log: Log = options.log ?? (() => {});
    this.firmware = new ZnpFirmware({
      nv: this.nv,
      log,
      send: (frame) => {
        this.emit('frame', 'tx', frame);
        this.link.send(frame);
      },
    });
    const createDevice: DeviceFactory =
      options.createDevice ??
      ((definition, io) => new SimulatedDevice(definition, io, { onError: (e) => log('error', `device ${definition.id}: ${String(e)}`) }));
    this.network = new SimulatedNetwork({ firmware: this.firmware, faults: new FaultBook(), createDevice, log });
    registerNvCommands(this.firmware.dispatcher, this.nv);
    registerSysCommands(this.firmware);
    registerAppCommands(this.firmware, { childAddresses: () => this.network.directChildren() });
    registerZdoCommands(this.network);
    registerUtilCommands(this.network);
    this.afStats = registerAfCommands(this.network);

    this.link.on('frame', (frame) => {
      this.emit('frame', 'rx', frame);
      this.firmware.dispatcher.handle(frame);
    });
    this.link.on('connected', () => this.emit('connected'));
    this.link.on('disconnected', () => this.emit('disconnected'));
    this.firmware.on('networkCleared', () => this.network.forgetAll());
    this.firmware.on('networkUp', () => this.admitMembers());
    this.firmware.on('stateChanged', (state) => this.emit('stateChanged', state));
    this.network.on('joined', (node) => {
      this.persistSoon();
      this.emit('joined', this.summary(node));
    });
    this.network.on('left', (ieee) => {
      this.persistSoon();
      this.emit('left', ieee);
    });
    this.network.on('permitJoin', (seconds) => this.emit('permitJoin', seconds));
  }

  /** Load or create NV, bring back persisted devices, queue the start devices, listen. */
  async start(): Promise<this> {
    const { nvStateFile } = this.options;
    const saved = nvStateFile ? readStateFile(nvStateFile) : undefined;
    if (saved) {
      this.nv.restore(saved.nv);
      this.network.restore(saved.devices);
    } else if (this.options.initialNv) {
      this.nv.restore(this.options.initialNv);
    } else {
      writeFactoryNv(this.nv, this.options.ieee ? normalizeIeee(this.options.ieee) : `0x00124b00${randomBytes(4).toString('hex')}`);
    }
    this.queueStartDevices(this.options.devices ?? []);
    this.nv.onChange = () => this.persistSoon();
    this.firmware.powerUp();
    this.port = await this.link.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1');
    this.persistNow();
    return this;
  }

  /** Members of the network now running that are not on it yet come in (again after a wipe). */
  private admitMembers(): void {
    const { members } = this.options;
    if (!members || !runsNetworkOf(this.nv, members)) return;
    const missing = members.devices.filter((d) => !d.definition.ieee || !this.network.byIeee(d.definition.ieee));
    if (missing.length === 0) return;
    this.network.restore(missing);
    (this.options.log ?? (() => {}))('info', `${missing.length} devices of this network are in range again (not joined: they kept its key)`);
  }

  private queueStartDevices(devices: Array<DeviceDefinition | string>): void {
    const present = new Map<string, number>();
    for (const node of this.network.nodes()) present.set(node.definition.id, (present.get(node.definition.id) ?? 0) + 1);
    for (const device of devices) {
      const definition = resolveDefinition(device);
      if (definition.ieee && this.network.byIeee(definition.ieee)) continue;
      const already = present.get(definition.id) ?? 0;
      if (!definition.ieee && already > 0) {
        present.set(definition.id, already - 1);
        continue;
      }
      this.network.joinWhenPermitted(definition);
    }
  }

  get ieee(): string {
    return this.firmware.ieee;
  }

  // --- devices ---------------------------------------------------------------------------

  /** Join a device now; permit join must be open. */
  join(device: DeviceDefinition | string, options: JoinOptions = {}): DeviceSummary {
    return this.summary(this.network.join(resolveDefinition(device), options));
  }

  /** The device leaves the network by itself (leaveInd to the host). */
  leave(ieee: string): void {
    this.network.leave(ieee);
  }

  devices(): DeviceSummary[] {
    return this.network.nodes().map((n) => this.summary(n));
  }

  catalogueIds(): string[] {
    return Object.keys(catalogue);
  }

  /** The simulated device behind an address, for tests that look inside. */
  device(ieee: string): DeviceBehaviour {
    return this.node(ieee).device;
  }

  /**
   * Send an attribute report now. `attributes`: names/ids to report with their current
   * values, or name/id -> value to store first (reported even when unchanged); all of the
   * cluster's attributes when omitted.
   */
  report(ieee: string, endpoint: number, cluster: string | number, attributes?: Array<string | number> | Record<string, ZclValue>): void {
    const clusterId = resolveCluster(cluster);
    const device = this.node(ieee).device;
    if (attributes === undefined || Array.isArray(attributes)) {
      device.report(endpoint, clusterId, attributes?.map((a) => resolveAttribute(clusterId, a)));
      return;
    }
    const values = this.attributeValues(clusterId, attributes);
    device.set(endpoint, clusterId, values, 'configured');
    device.report(endpoint, clusterId, Object.keys(values).map(Number));
  }

  /** Change attribute values (name/id -> value) the way the device's sensors would; it reports them. */
  set(ieee: string, endpoint: number, cluster: string | number, values: Record<string, ZclValue>): void {
    const clusterId = resolveCluster(cluster);
    this.node(ieee).device.set(endpoint, clusterId, this.attributeValues(clusterId, values));
  }

  private attributeValues(clusterId: number, values: Record<string, ZclValue>): Record<number, ZclValue> {
    if (!values || typeof values !== 'object') throw new Error('attribute values must be an object of name or id -> value');
    const byId: Record<number, ZclValue> = {};
    for (const [name, value] of Object.entries(values)) byId[resolveAttribute(clusterId, /^\d+$/.test(name) ? Number(name) : name)] = value;
    return byId;
  }

  press(ieee: string, action: string): void {
    this.node(ieee).device.press(action);
  }

  /**
   * Power to the device off or back on. Off: it hears and sends nothing. On: it comes back in
   * its power-on state (a bulb's start-up behaviour), without reporting it, and announces itself
   * as a router does after a reboot, so the host learns its state only by asking.
   */
  power(ieee: string, on: boolean): void {
    const node = this.node(ieee);
    const { device } = node;
    if (!device.powerOff || !device.powerOn) throw new Error(`device ${ieee} cannot be switched off and on`);
    if (!on) {
      device.powerOff();
      return;
    }
    device.powerOn();
    this.network.announce(node);
  }

  fault(spec: FaultSpec): void {
    applyFault(spec, { link: this.link, firmware: this.firmware, network: this.network });
  }

  networkSummary(): NetworkSummary {
    const nwk = this.firmware.network();
    return {
      state: this.firmware.state,
      panId: nwk?.panId,
      channel: nwk?.channel,
      extendedPanId: nwk ? `0x${Buffer.from(nwk.extendedPanIdLe).reverse().toString('hex')}` : undefined,
      permitJoinSeconds: this.network.permitJoinSeconds,
    };
  }

  private node(ieee: string): NetworkNode {
    let node: NetworkNode | undefined;
    try {
      node = this.network.byIeee(ieee);
    } catch {
      throw new Error(`invalid IEEE address ${JSON.stringify(ieee)}`);
    }
    if (!node) throw new Error(`no device ${ieee} on the network`);
    return node;
  }

  private summary(node: NetworkNode): DeviceSummary {
    return {
      ieee: node.ieee,
      nwk: node.nwk,
      id: node.definition.id,
      description: node.definition.description,
      logicalType: node.definition.logicalType,
      parent: node.parent === 0 ? undefined : this.network.byNwk(node.parent)?.ieee,
      lqi: node.lqi,
      endpoints: node.definition.endpoints.map((e) => e.id),
      actions: Object.keys(node.definition.actions ?? {}),
    };
  }

  // --- persistence and shutdown ------------------------------------------------------------

  private persistSoon(): void {
    if (!this.options.nvStateFile || this.stopped || this.persistTimer) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      this.persistNow();
    }, PERSIST_DEBOUNCE_MS);
  }

  private persistNow(): void {
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    if (!this.options.nvStateFile) return;
    writeStateFile(this.options.nvStateFile, { format: STATE_FORMAT, version: 1, nv: this.nv.snapshot(), devices: this.network.snapshot() });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.network.stop();
    this.firmware.stop();
    await this.link.close();
    try {
      this.persistNow();
    } catch (error) {
      // The state file's directory may be gone (a test's temp dir); stopping must still succeed.
      (this.options.log ?? (() => {}))('error', `could not save state: ${(error as Error).message}`);
    }
  }
}

export async function startVirtualCoordinator(options: VirtualCoordinatorOptions = {}): Promise<VirtualCoordinator> {
  return await new VirtualCoordinator(options).start();
}
