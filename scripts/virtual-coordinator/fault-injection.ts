// Faults on demand (from tests or the control port): what real hardware and radios do wrong.
import { randomBytes } from 'node:crypto';
import { ResetReason } from './firmware/identity.js';
import type { ZnpFirmware } from './firmware/znp-firmware.js';
import type { SimulatedNetwork } from './network/simulated-network.js';
import type { TcpLink } from './transport/tcp-link.js';
import { encodeFrame, MtType, Subsystem } from './transport/unpi.js';

export type FaultSpec =
  /** Swallow the device's next `count` responses (ZDO and ZCL; spontaneous reports still go). */
  | { type: 'drop'; ieee: string; count?: number }
  /** Add `ms` of latency to every response of the device (0 removes it). */
  | { type: 'delay'; ieee: string; ms: number }
  /** The next `count` requests to the device fail with this dataConfirm status (default 0xE9 MAC no-ack). */
  | { type: 'dataConfirm'; ieee: string; status?: number; count?: number }
  /** The device stops answering anything (on: false brings it back). */
  | { type: 'silent'; ieee: string; on?: boolean }
  /** The chip reboots by itself: resetInd AREQ, RAM state lost, NV kept; the network resumes unless resume: false. */
  | { type: 'reset'; resume?: boolean }
  /** The link drops, like an unplugged USB cable; the host may reconnect. */
  | { type: 'disconnect' }
  /** badFcs: a frame with a wrong checksum; garbage: noise bytes; zcl: the device's next `count` frames are truncated. */
  | { type: 'malformed'; kind?: 'badFcs' | 'garbage' | 'zcl'; ieee?: string; count?: number }
  /** Remove every fault of one device, or of all devices. */
  | { type: 'clear'; ieee?: string };

export interface FaultTargets {
  link: TcpLink;
  firmware: ZnpFirmware;
  network: SimulatedNetwork;
}

const FAULT_TYPES = ['drop', 'delay', 'dataConfirm', 'silent', 'reset', 'disconnect', 'malformed', 'clear'];

export function applyFault(spec: FaultSpec, { link, firmware, network }: FaultTargets): void {
  const faults = network.faults;
  const deviceFaults = (ieee: string | undefined) => {
    const node = ieee ? network.byIeee(ieee) : undefined;
    if (!node) throw new Error(`fault '${spec.type}' needs the IEEE address of a device on the network (got ${JSON.stringify(ieee)})`);
    return faults.of(node.ieee);
  };
  const count = (n: number | undefined) => {
    const value = n ?? 1;
    if (!Number.isInteger(value) || value < 0) throw new Error(`count must be a non-negative integer, got ${JSON.stringify(n)}`);
    return value;
  };

  switch (spec.type) {
    case 'drop':
      deviceFaults(spec.ieee).dropResponses = count(spec.count);
      return;
    case 'delay': {
      if (typeof spec.ms !== 'number' || !(spec.ms >= 0)) throw new Error(`delay needs ms >= 0, got ${JSON.stringify(spec.ms)}`);
      deviceFaults(spec.ieee).delayMs = spec.ms;
      return;
    }
    case 'dataConfirm': {
      const status = spec.status ?? 0xe9;
      if (!Number.isInteger(status) || status <= 0 || status > 0xff) throw new Error(`dataConfirm status must be 1..255, got ${JSON.stringify(spec.status)}`);
      deviceFaults(spec.ieee).dataConfirm = { status, remaining: count(spec.count) };
      return;
    }
    case 'silent':
      deviceFaults(spec.ieee).silent = spec.on ?? true;
      return;
    case 'reset':
      firmware.reboot(ResetReason.WATCHDOG, spec.resume ?? true);
      return;
    case 'disconnect':
      link.disconnect();
      return;
    case 'malformed': {
      const kind = spec.kind ?? 'badFcs';
      if (kind === 'zcl') {
        deviceFaults(spec.ieee).truncateFrames = count(spec.count);
      } else if (kind === 'badFcs') {
        const frame = encodeFrame({ type: MtType.AREQ, subsystem: Subsystem.ZDO, command: 0xc0, data: Buffer.from([firmware.state]) });
        frame[frame.length - 1] ^= 0x5a;
        link.sendRaw(frame);
      } else if (kind === 'garbage') {
        link.sendRaw(Buffer.from(randomBytes(16).map((b) => (b === 0xfe ? 0x00 : b))));
      } else {
        throw new Error(`unknown malformed kind ${JSON.stringify(kind)} (badFcs, garbage, zcl)`);
      }
      return;
    }
    case 'clear':
      faults.clear(spec.ieee ? network.byIeee(spec.ieee)?.ieee ?? spec.ieee : undefined);
      return;
    default:
      throw new Error(`unknown fault type ${JSON.stringify((spec as { type?: unknown }).type)} (${FAULT_TYPES.join(', ')})`);
  }
}
