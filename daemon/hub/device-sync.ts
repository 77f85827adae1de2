// Keeps the store in step with the radio: every typed event of the zigbee edge becomes a row
// change and, where the cloud must hear of it, an outbox event in the same transaction. The
// only writer of device rows and state for what the radio reports (the zigbee edge already
// logged each event; nothing is logged twice here). Availability is not decided here but in
// availability.ts, which also hears every sign of life.
import type { DeviceDescription, DeviceState, Ieee } from '../domain/events.js';
import type { Store } from '../store/index.js';
import type { ZigbeeNetwork } from '../zigbee/index.js';

export interface DeviceSyncCounters {
  stateChanges: number;
  rejected: number;
}

export interface DeviceSyncHooks {
  /** After a device's state changed in the store (the changed keys only): groups follow their members. */
  stateChanged?: (ieee: Ieee, changed: DeviceState) => void;
}

/** Subscribes to the network's events; returns the function that unsubscribes. */
export function syncDevicesToStore(network: ZigbeeNetwork, store: Store, hooks: DeviceSyncHooks = {}): { stop(): void; counters: DeviceSyncCounters } {
  const counters: DeviceSyncCounters = { stateChanges: 0, rejected: 0 };
  const ensureKnown = (ieee: Ieee, nwk?: number): void => {
    if (store.devices.has(ieee)) return;
    // A device can talk before its interview finishes (or after our database was rebuilt):
    // record what the radio knows so its state has a row to belong to.
    const known = network.devices().find((d) => d.ieee === ieee);
    store.devices.upsert(known ?? placeholder(ieee, nwk ?? 0));
  };

  const unsubscribe = [
    network.on('device_joined', ({ ieee, nwk }) => {
      const existing = store.devices.get(ieee);
      if (existing && existing.leftAt === undefined && existing.nwk === nwk) return;
      // A rejoin keeps what the interview learnt; only the network address may have changed.
      store.devices.upsert(existing ? { ...existing, nwk } : placeholder(ieee, nwk));
    }),
    network.on('device_interview', ({ ieee, status, device }) => {
      if (device) {
        store.devices.upsert(device);
      } else {
        ensureKnown(ieee);
        const current = store.devices.get(ieee)!;
        store.devices.upsert({ ...current, interview: status });
      }
      // A successful (re-)interview is the device's fresh start: out of quarantine (the zigbee
      // edge logged that it released it).
      if (status === 'successful') store.devices.releaseQuarantine(ieee);
    }),
    network.on('device_left', ({ ieee, reason }) => {
      if (reason === 'left') store.devices.markLeft(ieee);
      else store.devices.remove(ieee);
    }),
    // The frame that carried it also made a `seen` event (with its link quality): the row's
    // last-seen is written there, once per frame.
    network.on('state', ({ ieee, state }) => {
      ensureKnown(ieee);
      const { changed } = store.state.apply(ieee, state);
      if (changed.length === 0) return;
      counters.stateChanges++;
      hooks.stateChanged?.(ieee, Object.fromEntries(changed.map((key) => [key, state[key]])));
    }),
    network.on('seen', ({ ieee, linkquality, at }) => {
      if (!store.devices.has(ieee)) return;
      store.devices.markSeen(ieee, { at, ...(linkquality !== undefined ? { linkquality } : {}) });
    }),
    // The zigbee edge already logged it with the device and the reason; here it is only counted.
    network.on('rejected', () => {
      counters.rejected++;
    }),
    // The zigbee edge logged it with the reason; here it becomes the row's flag and the event.
    network.on('device_quarantined', ({ ieee, reason, stage }) => {
      // Also before the radio starts (the device a crash marker names): no radio to ask then.
      if (!store.devices.has(ieee)) store.devices.upsert(placeholder(ieee, 0));
      store.devices.quarantine(ieee, reason, stage);
    }),
    network.on('permit_join_changed', ({ open, seconds }) => {
      store.events.append({ kind: 'permit_join_changed', open, seconds });
    }),
  ];
  return { stop: () => unsubscribe.forEach((off) => off()), counters };
}

function placeholder(ieee: Ieee, nwk: number): DeviceDescription {
  return { ieee, nwk, type: 'Unknown', supported: false, interview: 'pending', endpoints: [] };
}
