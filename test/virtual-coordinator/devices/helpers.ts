// Test support for the simulated-device tests: a manual clock, a frame recorder, and
// zigbee-herdsman's own ZCL encoder/decoder so the device is checked against an independent
// implementation (the device code itself never imports herdsman).

import { Zcl } from 'zigbee-herdsman';
import type { ZclFrame } from '../../../scripts/virtual-coordinator/devices/definition.js';
import type { DeviceIo } from '../../../scripts/virtual-coordinator/devices/simulated-device.js';
import type { DeviceTimers, TimerHandle } from '../../../scripts/virtual-coordinator/devices/timers.js';

/** A clock that moves only when the test says so; timers fire in due order. */
export class ManualClock implements DeviceTimers {
  private time = 0;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.pending.set(id, { at: this.time + ms, callback });
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending.delete(handle.id);
  }

  get pendingTimers(): number {
    return this.pending.size;
  }

  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.pending) {
        if (entry[1].at <= target && (!next || entry[1].at < next[1].at)) next = entry;
      }
      if (!next) break;
      this.pending.delete(next[0]);
      this.time = next[1].at;
      next[1].callback();
    }
    this.time = target;
  }
}

/** Records what a device sends. */
export function recorder(): DeviceIo & { frames: ZclFrame[]; take(): ZclFrame[] } {
  const frames: ZclFrame[] = [];
  return {
    frames,
    send: (frame) => void frames.push(frame),
    take: () => frames.splice(0, frames.length),
  };
}

export interface ParsedFrame {
  clusterId: number;
  srcEndpoint: number;
  dstEndpoint: number;
  frameType: 'global' | 'specific';
  direction: 'toServer' | 'toClient';
  disableDefaultResponse: boolean;
  manufacturerCode: number | undefined;
  tsn: number;
  command: string;
  // herdsman's payload shape
  payload: any;  
}

/** Decodes a frame the device sent with zigbee-herdsman's parser. */
export function parse(frame: ZclFrame): ParsedFrame {
  const header = Zcl.Header.fromBuffer(frame.data);
  if (!header) throw new Error(`herdsman could not parse header of ${frame.data.toString('hex')}`);
  const parsed = Zcl.Frame.fromBuffer(frame.clusterId, header, frame.data, {});
  return {
    clusterId: frame.clusterId,
    srcEndpoint: frame.srcEndpoint,
    dstEndpoint: frame.dstEndpoint,
    frameType: header.frameControl.frameType === Zcl.FrameType.GLOBAL ? 'global' : 'specific',
    direction: header.frameControl.direction === Zcl.Direction.CLIENT_TO_SERVER ? 'toServer' : 'toClient',
    disableDefaultResponse: header.frameControl.disableDefaultResponse,
    manufacturerCode: header.manufacturerCode,
    tsn: header.transactionSequenceNumber,
    command: parsed.command.name,
    payload: parsed.payload,
  };
}

export interface RequestOptions {
  tsn?: number;
  disableDefaultResponse?: boolean;
  manufacturerCode?: number;
  srcEndpoint?: number;
  dstEndpoint?: number;
  groupId?: number;
}

/** A coordinator -> device frame encoded by zigbee-herdsman (foundation command). */
export function foundation(cluster: string | number, command: string, payload: unknown, options: RequestOptions = {}): ZclFrame {
  return build(Zcl.FrameType.GLOBAL, cluster, command, payload, options);
}

/** A coordinator -> device cluster command encoded by zigbee-herdsman. */
export function command(cluster: string | number, name: string, payload: unknown, options: RequestOptions = {}): ZclFrame {
  return build(Zcl.FrameType.SPECIFIC, cluster, name, payload, options);
}

function build(type: Zcl.FrameType, cluster: string | number, name: string, payload: unknown, options: RequestOptions): ZclFrame {
  const zcl = Zcl.Frame.create(
    type, Zcl.Direction.CLIENT_TO_SERVER, options.disableDefaultResponse ?? false, options.manufacturerCode,
    options.tsn ?? 42, name, cluster, payload, {},
  );
  const frame: ZclFrame = {
    srcEndpoint: options.srcEndpoint ?? 1,
    dstEndpoint: options.dstEndpoint ?? 1,
    clusterId: zcl.cluster.ID,
    data: zcl.toBuffer(),
  };
  if (options.groupId !== undefined) frame.groupId = options.groupId;
  return frame;
}

/** Raw bytes to a device endpoint/cluster (for malformed input). */
export function raw(clusterId: number, hex: string, dstEndpoint = 1): ZclFrame {
  return { srcEndpoint: 1, dstEndpoint, clusterId, data: Buffer.from(hex.replace(/\s+/g, ''), 'hex') };
}
