// Remotes: devices that command other devices (client clusters) rather than being commanded.
// Registered in the catalogue (catalogue.ts: "ikea-remote"); tests may also join them by
// definition (coordinator.join(ikeaRemote)). What a remote sends goes where its binding table
// says (network/bound-routing.ts), so a remote bound to a bulb works without the hub; unbound,
// it sends to the coordinator (the hub sees an action).

import { cluster, endpoint } from './definition-builder.js';
import type { DeviceDefinition } from './definition.js';

const IKEA_MANUFACTURER = 4476; // 0x117C
const BATTERY = 3; // genBasic powerSource

/**
 * E1810, IKEA TRADFRI remote control (five buttons): the middle button sends genOnOff toggle,
 * up/down genLevelCtrl stepWithOnOff. Fingerprint from public interview dumps (firmware 2.3.x).
 */
export const ikeaRemote: DeviceDefinition = {
  id: 'ikea-remote',
  description: 'IKEA TRADFRI remote control (E1810)',
  logicalType: 'enddevice',
  manufacturerCode: IKEA_MANUFACTURER,
  powerSource: 'battery',
  endpoints: [
    endpoint({
      id: 1,
      deviceId: 0x0820, // non-colour controller
      inClusters: ['genBasic', 'genPowerCfg', 'genIdentify', 'touchlink', 'manuSpecificIkeaUnknown'],
      outClusters: ['genIdentify', 'genGroups', 'genScenes', 'genOnOff', 'genLevelCtrl', 'genOta', 'touchlink'],
      attributes: [
        cluster('genBasic', {
          zclVersion: 3, appVersion: 33, stackVersion: 106, hwVersion: 1, manufacturerName: 'IKEA of Sweden',
          modelId: 'TRADFRI remote control', dateCode: '20190926', powerSource: BATTERY, swBuildId: '2.3.014',
        }),
        cluster('genPowerCfg', { batteryVoltage: 30, batteryPercentageRemaining: 174 }),
        cluster('genIdentify', { identifyTime: 0 }),
      ],
    }),
  ],
  actions: {
    toggle: { endpoint: 1, cluster: 0x0006, command: { id: 0x02, payload: [] } },
    // stepWithOnOff: up, 43 steps, 0.5 s
    brightness_up_click: { endpoint: 1, cluster: 0x0008, command: { id: 0x06, payload: [0x00, 0x2b, 0x05, 0x00] } },
  },
};
