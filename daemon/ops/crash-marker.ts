// Remembers which device the hub was handling when a failure escaped to the process, so the
// next start can leave that device out instead of dying the same way again (a crash loop that
// systemd ends after StartLimitBurst). The marker is one small JSON file in the data dir,
// written synchronously from the crash handler (the process may be gone a moment later) and
// taken (read and deleted) at the next start. Nothing runs on the hot path: the zigbee edge
// only keeps "which device now" in memory, and this asks it at crash time.
import fs from 'node:fs';
import type { Ieee } from '../domain/events.js';

/** The marker's name in the data dir. */
export const CRASH_MARKER_FILE = 'crash-marker.json';

/** What was being handled: a device and the stage ('interview', 'message', 'configure', 'start'). */
export interface DeviceActivity {
  ieee: Ieee;
  stage: string;
}

export interface CrashMarker extends DeviceActivity {
  /** The escaped error, as logged. */
  error: string;
  /** Milliseconds since the epoch. */
  at: number;
}

/** What the running daemon tells the recorder (the zigbee network, through main.ts). */
export interface ActivitySource {
  /** The device being handled right now, if any. */
  activity(): DeviceActivity | undefined;
  /** Counts an escaped failure against that device (which may quarantine it). */
  containFailure(error: unknown): void;
}

/**
 * Code whose failures can be pinned on the device being handled: herdsman's controller and
 * device model (not its adapter: a failing radio is the coordinator supervisor's business),
 * the converters, and our zigbee edge. A failure from anywhere else (the store, the cloud
 * link) is the hub's own and not a device's fault, even if a device was being handled then.
 */
const DEVICE_CODE = /zigbee-herdsman[/\\]dist[/\\]controller[/\\]|zigbee-herdsman-converters[/\\]|[/\\]daemon[/\\]zigbee[/\\]/;

export class CrashRecorder {
  private source: ActivitySource | undefined;

  constructor(
    private readonly file: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** From now on, failures are pinned on this source's current device. */
  watch(source: ActivitySource | undefined): void {
    this.source = source;
  }

  /** The device an escaped failure belongs to, or undefined when it is not a device's. */
  deviceOf(error: unknown): DeviceActivity | undefined {
    const activity = this.source?.activity();
    if (!activity) return undefined;
    const stack = error instanceof Error ? (error.stack ?? '') : '';
    return DEVICE_CODE.test(stack) ? activity : undefined;
  }

  /**
   * An unhandled rejection from a device's handling: counted against that device (repeats
   * quarantine it) and the process goes on. Returns false when it is not a device's.
   */
  containRejection(reason: unknown): DeviceActivity | undefined {
    const device = this.deviceOf(reason);
    if (device) this.source?.containFailure(reason);
    return device;
  }

  /** Synchronously writes the marker when the failure is a device's; returns what it wrote. */
  recordCrash(error: unknown): CrashMarker | undefined {
    const device = this.deviceOf(error);
    if (!device) return undefined;
    const marker: CrashMarker = { ieee: device.ieee, stage: device.stage, error: errorText(error), at: this.now() };
    fs.writeFileSync(this.file, `${JSON.stringify(marker)}\n`, { mode: 0o600 });
    return marker;
  }

  /**
   * The marker the last run left, removed so it acts once. A damaged marker is removed and
   * reported as undefined: it can only name a device, never stop the start.
   */
  take(): { marker?: CrashMarker; problem?: string } {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      return { problem: `crash marker ${this.file} unreadable: ${errorText(error)}` };
    }
    fs.rmSync(this.file, { force: true });
    try {
      const parsed = JSON.parse(text) as Partial<CrashMarker>;
      if (typeof parsed.ieee !== 'string' || typeof parsed.stage !== 'string') throw new Error('no ieee or stage');
      return { marker: { ieee: parsed.ieee, stage: parsed.stage, error: String(parsed.error ?? ''), at: Number(parsed.at ?? 0) } };
    } catch (error) {
      return { problem: `crash marker ${this.file} damaged (${errorText(error)}); ignored` };
    }
  }
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}
