// When a silence means a device is gone: which devices may be pinged (mains) and which can only
// be waited for (battery), and when each is due. Pure functions of a device row, the time and
// what the monitor remembers of earlier pings, so the rules are testable without a clock.
import type { DeviceRecord } from '../store/index.js';

/** mains: listens all the time, so it can be pinged. battery: sleeps, so only its silence counts. */
export type PowerClass = 'mains' | 'battery';

/** What the monitor remembers of failed pings of one device since it was last heard. */
export interface PingHistory {
  failures: number;
  lastAttemptAt: number;
}

export interface AvailabilityTimeouts {
  mainsTimeoutMs: number;
  batteryTimeoutMs: number;
}

export type Assessment = 'ok' | 'ping' | 'unavailable';

/**
 * herdsman reports the node's power source as "Mains (single phase)", "Mains (3 phase)",
 * "Battery", "DC Source", "Emergency mains ..." or "Unknown" (or nothing, before the interview
 * read it). Anything declared and not a battery is continuously powered. Without a declaration
 * a router is mains (it must listen all the time to route), anything else is treated as sleepy:
 * pinging a sleeping end device would only ever fail. Zigbee2MQTT classifies the same way.
 */
export function powerClassOf(device: Pick<DeviceRecord, 'type' | 'powerSource'>): PowerClass {
  const source = device.powerSource;
  if (source === 'Battery') return 'battery';
  if (source !== undefined && source !== 'Unknown') return 'mains';
  return device.type === 'Router' ? 'mains' : 'battery';
}

/** The last sign of life: the last frame, or the join for a device never heard since. */
export function lastActivityOf(device: Pick<DeviceRecord, 'lastSeen' | 'joinedAt'>): number {
  return device.lastSeen ?? device.joinedAt;
}

/** Retries of a device that keeps not answering wait 1, 2, 4, 8, then 12 mains timeouts. */
const MAX_BACKOFF_FACTOR = 12;

export function retryDelayMs(mainsTimeoutMs: number, failures: number): number {
  return mainsTimeoutMs * Math.min(2 ** Math.max(0, failures - 1), MAX_BACKOFF_FACTOR);
}

/**
 * What to do about one device now. A device that left is not watched. A mains device silent
 * longer than the timeout is pinged (again, with backoff, while it keeps not answering); a
 * battery device silent longer than its timeout is unavailable.
 */
export function assess(
  device: Pick<DeviceRecord, 'type' | 'powerSource' | 'lastSeen' | 'joinedAt' | 'available' | 'leftAt'>,
  now: number,
  timeouts: AvailabilityTimeouts,
  history: PingHistory | undefined,
): Assessment {
  if (device.leftAt !== undefined) return 'ok';
  const lastActivity = lastActivityOf(device);
  if (powerClassOf(device) === 'battery') {
    return device.available && now - lastActivity > timeouts.batteryTimeoutMs ? 'unavailable' : 'ok';
  }
  if (now - lastActivity <= timeouts.mainsTimeoutMs) return 'ok';
  // Failures older than the last sign of life are forgotten: the device was heard since.
  if (history && history.lastAttemptAt >= lastActivity) {
    return now - history.lastAttemptAt >= retryDelayMs(timeouts.mainsTimeoutMs, history.failures) ? 'ping' : 'ok';
  }
  return 'ping';
}
