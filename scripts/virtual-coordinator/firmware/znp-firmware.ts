// The coordinator firmware's own state: NV, device state, registered AF endpoints and
// groups, and the life cycle (boot/reset honouring STARTUP_OPTION, network formation,
// startup from NV). Command handlers live in sys-commands.ts and app-commands.ts.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { ByteWriter, ieeeFromBytes, type IeeeAddress } from './bytes.js';
import { writeFactoryConfig, writeFactoryNetworkState } from './factory-nv.js';
import { DevState, FirmwareIdentity, ResetReason } from './identity.js';
import { type Log, MtDispatcher } from './mt-dispatcher.js';
import { buildNib, firstChannel, readNib } from './nib.js';
import { NV_SYSID_ZSTACK, NvExId, NvId, StartupOption } from './nv-ids.js';
import type { NvStore } from './nv-store.js';
import { type MtFrame, Subsystem } from '../transport/unpi.js';

export interface EndpointDescriptor {
  endpoint: number;
  profileId: number;
  deviceId: number;
  deviceVersion: number;
  inClusters: number[];
  outClusters: number[];
}

export interface NetworkParameters {
  panId: number;
  channel: number;
  channelMask: number;
  /** As NV stores it: least significant byte first. */
  extendedPanIdLe: Buffer;
}

export interface FirmwareEvents {
  /** The network state was wiped (reset with STARTUP_OPTION clear-state). */
  networkCleared: [];
  networkUp: [];
  stateChanged: [state: number];
}

export interface FirmwareOptions {
  nv: NvStore;
  send: (frame: MtFrame) => void;
  log: Log;
}

export class ZnpFirmware extends EventEmitter<FirmwareEvents> {
  readonly nv: NvStore;
  readonly dispatcher: MtDispatcher;
  readonly endpoints = new Map<number, EndpointDescriptor>();
  /** endpoint -> group id -> name */
  readonly groups = new Map<number, Map<number, Buffer>>();
  /** Primary / secondary channel masks set with bdbSetChannel (RAM only, like BDB). */
  readonly bdbChannels = { primary: 0, secondary: 0 };
  private devState: number = DevState.HOLD;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly log: Log;

  constructor(options: FirmwareOptions) {
    super();
    this.nv = options.nv;
    this.log = options.log;
    this.dispatcher = new MtDispatcher(options.send, options.log);
  }

  get ieee(): IeeeAddress {
    return ieeeFromBytes(this.nv.get(NvId.EXTADDR) ?? Buffer.alloc(8));
  }

  get state(): number {
    return this.devState;
  }

  get isCoordinator(): boolean {
    return this.devState === DevState.ZB_COORD;
  }

  /** The network as the NIB describes it, or undefined when none was formed. */
  network(): NetworkParameters | undefined {
    const raw = this.nv.get(NvId.NIB);
    const nib = raw && readNib(raw);
    if (!nib || nib.panId === 0xffff || nib.channel === 0) return undefined;
    return { panId: nib.panId, channel: nib.channel, channelMask: nib.channelMask, extendedPanIdLe: nib.extendedPanIdLe };
  }

  /** The active network key (never logged). */
  networkKey(): Buffer | undefined {
    const info = this.nv.get(NvId.NWK_ACTIVE_KEY_INFO);
    return info && info.length >= 17 ? Buffer.from(info.subarray(1, 17)) : undefined;
  }

  schedule(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private setState(state: number): void {
    this.devState = state;
    this.dispatcher.areq(Subsystem.ZDO, 0xc0, Buffer.from([state])); // stateChangeInd
    this.emit('stateChanged', state);
    if (state === DevState.ZB_COORD) this.emit('networkUp');
  }

  /**
   * Reboot the chip: RAM state is lost, STARTUP_OPTION is applied, SYS resetInd goes out.
   * With `resume` (a spontaneous reboot) a formed network comes back by itself, as
   * Z-Stack's BDB does for a node that is already on a network.
   */
  reboot(reason: number, resume = false): void {
    this.stop();
    this.endpoints.clear();
    this.groups.clear();
    this.bdbChannels.primary = 0;
    this.bdbChannels.secondary = 0;
    this.devState = DevState.HOLD;
    const option = this.nv.get(NvId.STARTUP_OPTION)?.[0] ?? 0;
    if (option & StartupOption.CLEAR_STATE) {
      writeFactoryNetworkState(this.nv);
      this.emit('networkCleared');
    }
    if (option & StartupOption.CLEAR_CONFIG) writeFactoryConfig(this.nv);
    if (option & (StartupOption.CLEAR_STATE | StartupOption.CLEAR_CONFIG)) {
      this.nv.set(NvId.STARTUP_OPTION, Buffer.from([option & ~0x03]));
    }
    this.schedule(5, () => {
      const id = FirmwareIdentity;
      this.dispatcher.areq(
        Subsystem.SYS,
        0x80, // resetInd
        Buffer.from([reason, id.transportRev, id.product, id.major, id.minor, id.hwRev]),
      );
      if (resume && this.network()) this.schedule(20, () => this.resumeNetwork());
    });
  }

  /** ZDO startupFromApp: resume the network in NV; form one when there is none. */
  startup(): number {
    if (this.devState === DevState.ZB_COORD) return 0;
    if (this.network()) {
      this.schedule(10, () => this.resumeNetwork());
      return 0; // restored network state
    }
    this.schedule(10, () => this.formNetwork());
    return 1; // new network state
  }

  /** BDB commissioning with formation: build NIB and keys from the configuration items. */
  formNetwork(): void {
    if (this.devState === DevState.ZB_COORD) return;
    this.setState(DevState.COORD_STARTING);
    const mask = this.bdbChannels.primary || this.nv.get(NvId.CHANLIST)?.readUInt32LE(0) || 0x00000800;
    const channel = firstChannel(mask) || 11;
    let panId = this.nv.get(NvId.PANID)?.readUInt16LE(0) ?? 0xffff;
    if (panId === 0xffff || panId === 0) panId = 1 + (randomBytes(2).readUInt16LE(0) % 0xfff0);
    let epid = Buffer.from(this.nv.get(NvId.EXTENDED_PAN_ID) ?? Buffer.alloc(8));
    if (epid.equals(Buffer.alloc(8, 0x00)) || epid.equals(Buffer.alloc(8, 0xff))) {
      epid = Buffer.from(this.nv.get(NvId.EXTADDR) ?? randomBytes(8));
    }
    const key = Buffer.from(this.nv.get(NvId.PRECFGKEY) ?? randomBytes(16));
    this.nv.set(NvId.NIB, buildNib({ panId, channel, channelMask: 1 << channel, extendedPanIdLe: epid }));
    const keyInfo = Buffer.concat([Buffer.from([0x00]), key]);
    this.nv.set(NvId.NWK_ACTIVE_KEY_INFO, keyInfo);
    this.nv.set(NvId.NWK_ALTERN_KEY_INFO, keyInfo);
    this.nv.set(NvId.NWKKEY, Buffer.concat([keyInfo, Buffer.alloc(7, 0x00)]));
    const secMaterial = new ByteWriter().u32(1).bytes(epid).done();
    this.nv.setEx(NV_SYSID_ZSTACK, NvExId.NWK_SEC_MATERIAL_TABLE, 0, secMaterial);
    this.log('info', `formed network pan 0x${panId.toString(16)} channel ${channel}`);
    this.schedule(20, () => {
      this.setState(DevState.ZB_COORD);
      // bdbCommissioningNotification: success, mode formation, nothing remaining
      this.dispatcher.areq(Subsystem.APP_CNF, 0x80, Buffer.from([0x00, 0x04, 0x00]));
    });
  }

  private resumeNetwork(): void {
    if (this.devState === DevState.ZB_COORD || !this.network()) return;
    this.setState(DevState.COORD_STARTING);
    this.schedule(10, () => this.setState(DevState.ZB_COORD));
  }

  /** Power-up without a host command (process start). */
  powerUp(): void {
    this.reboot(ResetReason.POWER_UP);
  }
}
