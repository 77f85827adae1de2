// Per-device fault state: what the radio and the device do wrong on purpose.
import type { IeeeAddress } from '../firmware/bytes.js';

export interface DeviceFaults {
  /** Responses still to be swallowed (ZDO responses and ZCL responses). */
  dropResponses: number;
  /** Extra latency added to every response, in ms. */
  delayMs: number;
  /** Next requests to the device get this dataConfirm status and never reach it. */
  dataConfirm?: { status: number; remaining: number };
  /** The device never answers (ZDO or ZCL), although the MAC still acknowledges. */
  silent: boolean;
  /** Send ZCL replies/reports truncated (a malformed ZCL payload): this many still to go. */
  truncateFrames: number;
}

function none(): DeviceFaults {
  return { dropResponses: 0, delayMs: 0, silent: false, truncateFrames: 0 };
}

export class FaultBook {
  private readonly byDevice = new Map<IeeeAddress, DeviceFaults>();

  of(ieee: IeeeAddress): DeviceFaults {
    let faults = this.byDevice.get(ieee);
    if (!faults) this.byDevice.set(ieee, (faults = none()));
    return faults;
  }

  clear(ieee?: IeeeAddress): void {
    if (ieee === undefined) this.byDevice.clear();
    else this.byDevice.delete(ieee);
  }

  /** True when this response must be swallowed (consumes one drop). */
  takeDrop(ieee: IeeeAddress): boolean {
    const f = this.byDevice.get(ieee);
    if (!f) return false;
    if (f.silent) return true;
    if (f.dropResponses > 0) {
      f.dropResponses--;
      return true;
    }
    return false;
  }

  /** The failure status for the next request to this device, if one is pending. */
  takeDataConfirmFailure(ieee: IeeeAddress): number | undefined {
    const pending = this.byDevice.get(ieee)?.dataConfirm;
    if (!pending || pending.remaining <= 0) return undefined;
    pending.remaining--;
    return pending.status;
  }

  takeTruncation(ieee: IeeeAddress): boolean {
    const f = this.byDevice.get(ieee);
    if (!f || f.truncateFrames <= 0) return false;
    f.truncateFrames--;
    return true;
  }

  delayOf(ieee: IeeeAddress): number {
    return this.byDevice.get(ieee)?.delayMs ?? 0;
  }

  snapshot(): Record<IeeeAddress, DeviceFaults> {
    return Object.fromEntries([...this.byDevice.entries()].map(([k, v]) => [k, { ...v }]));
  }
}
