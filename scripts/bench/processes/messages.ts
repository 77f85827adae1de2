// What the bench parent and its helper processes (the virtual coordinator, the reference
// cloud, a LAN watcher, an MQTT broker for Zigbee2MQTT, the herdsman floor) say to each other over the fork IPC channel. Times are wall-clock ms with sub-ms
// precision (performance.timeOrigin + performance.now()), comparable across processes on one
// machine: a report is stamped where the radio frame leaves and where the cloud receives it.

export interface BenchDevice {
  ieee: string;
  catalogueId: string;
}

export type ToCoordinator =
  | { kind: 'devices'; devices: BenchDevice[] }
  /** Send `count` reports at once, round robin. */
  | { kind: 'send'; count: number }
  /** Send `rate` reports/s for `seconds`, round robin. */
  | { kind: 'pace'; rate: number; seconds: number }
  | { kind: 'stop' };

export type FromCoordinator =
  | { kind: 'listening'; port: number }
  /** Reports sent: [device index, n (the device's n-th report), sent at]. */
  | { kind: 'sent'; records: Array<[number, number, number]> }
  | { kind: 'paced'; sent: number };

export type ToCloud = { kind: 'stop' };

export type FromCloud =
  | { kind: 'listening'; port: number }
  | { kind: 'connected'; gatewayId: string }
  /** state_changed events that arrived: [ieee, the changed keys' values, received at]. */
  | { kind: 'arrived'; events: Array<[string, Record<string, unknown>, number]> };

export type ToLanWatcher = { kind: 'attach'; address: string; adminSocket: string } | { kind: 'detach' } | { kind: 'stop' };

export type FromLanWatcher =
  | { kind: 'listening'; port: number }
  /** The stream is open (its snapshot arrived). */
  | { kind: 'watching' }
  | { kind: 'ended'; reason: string }
  /** state_changed events that reached the watcher, as FromCloud's. */
  | { kind: 'arrived'; events: Array<[string, Record<string, unknown>, number]> };

export type ToMqtt = { kind: 'stop' };

export type FromMqtt =
  | { kind: 'listening'; port: number }
  /** Zigbee2MQTT's <base>/bridge/state: "online" once it has started, "offline" as it stops. */
  | { kind: 'bridge'; state: string }
  /** Device state publishes that reached the broker: [ieee, the payload, received at]. */
  | { kind: 'arrived'; events: Array<[string, Record<string, unknown>, number]> };

export type ToHerdsmanFloor = { kind: 'stop' };

export type FromHerdsmanFloor =
  | { kind: 'ready' }
  /** Messages herdsman received and the converters turned into state: [ieee, state, converted at]. */
  | { kind: 'arrived'; events: Array<[string, Record<string, unknown>, number]> };

export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
