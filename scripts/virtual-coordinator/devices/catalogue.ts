// Ready-made simulated devices with the fingerprints of the real products (node descriptor
// manufacturer code, endpoints, clusters, Basic attributes), so zigbee-herdsman-converters
// resolves each to its real model. Sources: Zigbee2MQTT database.db entries and device dumps
// posted in public issues; values marked "typical" were not found for the exact model and use
// what its siblings report.

import { attributeRef as ref, cluster, endpoint, GREEN_POWER_PROFILE } from './definition-builder.js';
import { depthCatalogue } from './catalogue-depth.js';
import type { ButtonAction, DeviceDefinition } from './definition.js';
import { DataType as T } from './zcl/data-types.js';
import { ikeaRemote } from './remotes.js';

/** Node-descriptor manufacturer code of the first Aqara generation (LUMI, 0x1037). */
const LUMI_NODE_MANUFACTURER = 4151;
/** Node-descriptor manufacturer code of Aqara's mains wall switches (0x115F). */
const LUMI_ROUTER_MANUFACTURER = 4447;
const IKEA_MANUFACTURER = 4476; // 0x117C
const BATTERY = 3; // genBasic powerSource
const MAINS_SINGLE_PHASE = 1;
const XIAOMI_STRUCT_EVERY_MS = 50 * 60 * 1000; // Aqara sensors send their 0xFF01 heartbeat about hourly

function lumiBasic(modelId: string, versions: { appVersion: number; hwVersion: number; dateCode?: string }, powerSource = BATTERY) {
  return cluster('genBasic', {
    zclVersion: 1,
    appVersion: versions.appVersion,
    stackVersion: 2,
    hwVersion: versions.hwVersion,
    manufacturerName: 'LUMI',
    modelId,
    ...(versions.dateCode ? { dateCode: versions.dateCode } : {}),
    powerSource,
    swBuildId: '3000-0001',
  });
}

/** Fields every first-generation Aqara sensor puts in its 0xFF01 struct. */
function lumiStructHead(batteryMv: number, counters: { tag4: number; tag5: number }) {
  return [
    { tag: 0x01, type: T.uint16, value: batteryMv },
    { tag: 0x04, type: T.uint16, value: counters.tag4 },
    { tag: 0x05, type: T.uint16, value: counters.tag5 },
    { tag: 0x06, type: T.uint40, value: 1 },
    { tag: 0x0a, type: T.uint16, value: 0 }, // parent network address: the coordinator
  ];
}

const structHeartbeat = { endpoint: 1, cluster: 0x0000, attributes: [0xff01], intervalMs: XIAOMI_STRUCT_EVERY_MS };

/** WSDCGQ11LM. Fingerprint from a 2024 database.db entry (firmware 20191205). */
const aqaraWeather: DeviceDefinition = {
  id: 'aqara-weather',
  description: 'Aqara temperature, humidity and pressure sensor (WSDCGQ11LM, lumi.weather)',
  logicalType: 'enddevice',
  manufacturerCode: LUMI_NODE_MANUFACTURER,
  powerSource: 'battery',
  endpoints: [
    endpoint({
      id: 1,
      deviceId: 0x0302,
      inClusters: ['genBasic', 'genIdentify', 'manuSpecificCluster', 'msTemperatureMeasurement', 'msPressureMeasurement', 'msRelativeHumidity'],
      outClusters: ['genBasic', 'genGroups', 'manuSpecificCluster'],
      attributes: [
        lumiBasic('lumi.weather', { appVersion: 5, hwVersion: 30, dateCode: '20191205' }),
        cluster('genIdentify', { identifyTime: 0 }),
        cluster('msTemperatureMeasurement', { measuredValue: 2150 }), // 0.01 °C
        cluster('msRelativeHumidity', { measuredValue: 4520 }), // 0.01 %
        cluster('msPressureMeasurement', { measuredValue: 1013, scaledValue: 10132, scale: -1 }), // hPa, 0.1 hPa
      ],
    }),
  ],
  quirks: ['xiaomi-ff01'],
  xiaomiStruct: [
    ...lumiStructHead(3005, { tag4: 17320, tag5: 9 }),
    { tag: 0x64, type: T.int16, from: ref(1, 'msTemperatureMeasurement', 'measuredValue') },
    { tag: 0x65, type: T.uint16, from: ref(1, 'msRelativeHumidity', 'measuredValue') },
    { tag: 0x66, type: T.int32, from: ref(1, 'msPressureMeasurement', 'scaledValue'), scale: 10 }, // Pa
  ],
  reports: [structHeartbeat],
};

/** MCCGQ11LM: genOnOff onOff 1 = magnet away (open), 0 = closed. */
const aqaraDoor: DeviceDefinition = {
  id: 'aqara-door',
  description: 'Aqara door and window contact sensor (MCCGQ11LM, lumi.sensor_magnet.aq2)',
  logicalType: 'enddevice',
  manufacturerCode: LUMI_NODE_MANUFACTURER,
  powerSource: 'battery',
  endpoints: [
    endpoint({
      id: 1,
      deviceId: 0x5f01,
      inClusters: ['genBasic', 'genIdentify', 'manuSpecificCluster', 'genOnOff'],
      outClusters: ['genBasic', 'genGroups', 'manuSpecificCluster'],
      attributes: [
        lumiBasic('lumi.sensor_magnet.aq2', { appVersion: 10, hwVersion: 2, dateCode: '20161128' }),
        cluster('genIdentify', { identifyTime: 0 }),
        cluster('genOnOff', { onOff: false }),
      ],
    }),
  ],
  quirks: ['xiaomi-ff01'],
  xiaomiStruct: [
    { tag: 0x01, type: T.uint16, value: 2995 },
    { tag: 0x03, type: T.int8, value: 24 },
    ...lumiStructHead(2995, { tag4: 17320, tag5: 61 }).slice(1),
    { tag: 0x64, type: T.bool, from: ref(1, 'genOnOff', 'onOff') },
  ],
  reports: [structHeartbeat],
  actions: {
    open: { endpoint: 1, cluster: 0x0006, attributes: { 0x0000: { type: T.bool, value: true } } },
    close: { endpoint: 1, cluster: 0x0006, attributes: { 0x0000: { type: T.bool, value: false } } },
  },
};

/** RTCGQ11LM: occupancy and illuminance (lux) as plain ZCL reports. */
const aqaraMotion: DeviceDefinition = {
  id: 'aqara-motion',
  description: 'Aqara motion and illuminance sensor (RTCGQ11LM, lumi.sensor_motion.aq2)',
  logicalType: 'enddevice',
  manufacturerCode: LUMI_NODE_MANUFACTURER,
  powerSource: 'battery',
  endpoints: [
    endpoint({
      id: 1,
      deviceId: 0x0107,
      inClusters: ['genBasic', 'genPowerCfg', 'genIdentify', 'msIlluminanceMeasurement', 'msOccupancySensing', 'ssIasZone', 'manuSpecificCluster'],
      outClusters: ['genBasic', 'genOta'],
      attributes: [
        lumiBasic('lumi.sensor_motion.aq2', { appVersion: 3, hwVersion: 2 }), // hwVersion typical
        cluster('genPowerCfg', { batteryVoltage: 30 }),
        cluster('genIdentify', { identifyTime: 0 }),
        cluster('msIlluminanceMeasurement', { measuredValue: 63 }),
        cluster('msOccupancySensing', { occupancy: 0, occupancySensorType: 0 }),
        cluster('ssIasZone', { zoneState: 0, zoneType: 0x000d, zoneStatus: 0, iasCieAddr: '0x0000000000000000', zoneId: 0xff }),
      ],
    }),
  ],
  quirks: ['xiaomi-ff01'],
  xiaomiStruct: [
    { tag: 0x01, type: T.uint16, value: 3055 },
    { tag: 0x03, type: T.int8, value: 31 },
    ...lumiStructHead(3055, { tag4: 424, tag5: 19 }).slice(1),
    { tag: 0x0b, type: T.uint16, from: ref(1, 'msIlluminanceMeasurement', 'measuredValue') },
    { tag: 0x64, type: T.bool, from: ref(1, 'msOccupancySensing', 'occupancy') },
  ],
  reports: [structHeartbeat],
  actions: {
    motion: { endpoint: 1, cluster: 0x0406, attributes: { 0x0000: { type: T.bitmap8, value: 1 } } },
  },
};

/** ZNCZ02LM: relay on ep 1, power (W) on ep 2, energy (kWh) on ep 3; router. */
const aqaraPlug: DeviceDefinition = {
  id: 'aqara-plug',
  description: 'Xiaomi Mi smart plug (ZNCZ02LM, lumi.plug)',
  logicalType: 'router',
  manufacturerCode: LUMI_NODE_MANUFACTURER,
  powerSource: 'mains',
  endpoints: [
    endpoint({
      id: 1,
      deviceId: 0x0051,
      inClusters: ['genBasic', 'genGroups', 'genIdentify', 'genOnOff', 'genBinaryOutput', 'genScenes', 'genTime', 'genPowerCfg', 'genDeviceTempCfg'],
      outClusters: ['genOta', 'genTime'],
      attributes: [
        lumiBasic('lumi.plug', { appVersion: 1, hwVersion: 30 }, MAINS_SINGLE_PHASE), // hwVersion typical
        cluster('genIdentify', { identifyTime: 0 }),
        cluster('genGroups', { nameSupport: 0 }),
        cluster('genOnOff', { onOff: false }),
        cluster('genBinaryOutput', { presentValue: false }),
        cluster('genDeviceTempCfg', { currentTemperature: 30 }),
      ],
    }),
    endpoint({ id: 2, deviceId: 0x0009, inClusters: ['genAnalogInput'], outClusters: ['genAnalogInput', 'genGroups'], attributes: [cluster('genAnalogInput', { presentValue: 0 })] }),
    endpoint({ id: 3, deviceId: 0x0053, inClusters: ['genAnalogInput'], outClusters: ['genAnalogInput'], attributes: [cluster('genAnalogInput', { presentValue: 0 })] }),
    endpoint({ id: 100, deviceId: 0x0107, inClusters: ['genBinaryInput'], outClusters: ['genBinaryInput', 'genGroups'], attributes: [cluster('genBinaryInput', { presentValue: false })] }),
  ],
  quirks: ['xiaomi-ff01'],
  xiaomiStruct: [
    { tag: 0x64, type: T.bool, from: ref(1, 'genOnOff', 'onOff') },
    { tag: 0x03, type: T.int8, from: ref(1, 'genDeviceTempCfg', 'currentTemperature') },
    { tag: 0x05, type: T.uint16, value: 31 },
    { tag: 0x07, type: T.uint64, value: 0n },
    { tag: 0x08, type: T.uint16, value: 4886 },
    { tag: 0x09, type: T.uint16, value: 513 },
    { tag: 0x95, type: T.singleFloat, from: ref(3, 'genAnalogInput', 'presentValue') }, // kWh
    { tag: 0x96, type: T.uint32, value: 2300 }, // 0.1 V
    { tag: 0x98, type: T.singleFloat, from: ref(2, 'genAnalogInput', 'presentValue') }, // W
    { tag: 0x9a, type: T.uint8, value: 16 },
  ],
  reports: [{ ...structHeartbeat, intervalMs: 5 * 60 * 1000 }],
};

/** LED1545G12 on IKEA firmware 2.0.x (HA profile, green-power endpoint 242). */
const ikeaBulb: DeviceDefinition = {
  id: 'ikea-bulb',
  description: 'IKEA TRADFRI bulb E27 white spectrum opal 980 lm (LED1545G12)',
  logicalType: 'router',
  manufacturerCode: IKEA_MANUFACTURER,
  powerSource: 'mains',
  endpoints: [
    endpoint({
      id: 1,
      deviceId: 0x0220, // colour temperature light
      inClusters: ['genBasic', 'genIdentify', 'genGroups', 'genScenes', 'genOnOff', 'genLevelCtrl', 'lightingColorCtrl', 'haDiagnostic', 'touchlink', 'manuSpecificIkeaUnknown'],
      outClusters: ['genScenes', 'genOta', 'genPollCtrl', 'touchlink'],
      attributes: [
        cluster('genBasic', {
          zclVersion: 2, appVersion: 32, stackVersion: 98, hwVersion: 1, manufacturerName: 'IKEA of Sweden',
          modelId: 'TRADFRI bulb E27 WS opal 980lm', dateCode: '20190308', powerSource: MAINS_SINGLE_PHASE, swBuildId: '2.0.022',
        }),
        cluster('genIdentify', { identifyTime: 0 }),
        cluster('genGroups', { nameSupport: 0 }),
        cluster('genScenes', { count: 0, currentScene: 0, currentGroup: 0, sceneValid: false, nameSupport: 0 }),
        cluster('genOnOff', { onOff: true, globalSceneCtrl: true, onTime: 0, offWaitTime: 0, startUpOnOff: 1 }),
        cluster('genLevelCtrl', { currentLevel: 254, remainingTime: 0, options: 0, onOffTransitionTime: 0, onLevel: 255, startUpCurrentLevel: 255 }),
        cluster('lightingColorCtrl', {
          remainingTime: 0, currentX: 30138, currentY: 26909, colorTemperature: 370, colorMode: 2, options: 0,
          enhancedColorMode: 2, colorCapabilities: 0x0010, colorTempPhysicalMin: 250, colorTempPhysicalMax: 454,
        }),
        cluster('haDiagnostic', { lastMessageLqi: 255, lastMessageRssi: -40 }),
      ],
    }),
    endpoint({ id: 242, profileId: GREEN_POWER_PROFILE, deviceId: 0x0061, inClusters: [], outClusters: ['greenPower'] }),
  ],
};

function multistate(value: number): ButtonAction {
  return { endpoint: 1, cluster: 0x0012, attributes: { 0x0055: { type: T.uint16, value } } };
}

/** WXKG11LM: clicks arrive as genMultistateInput presentValue (0 hold, 1..4 clicks, 255 release). */
const aqaraSwitch: DeviceDefinition = {
  id: 'aqara-switch',
  description: 'Aqara wireless mini switch (WXKG11LM, lumi.remote.b1acn01)',
  logicalType: 'enddevice',
  manufacturerCode: LUMI_NODE_MANUFACTURER,
  powerSource: 'battery',
  endpoints: [
    endpoint({
      id: 1,
      deviceId: 0x5f01,
      inClusters: ['genBasic', 'genIdentify', 'genOta', 'manuSpecificCluster', 'genMultistateInput'],
      outClusters: ['genBasic', 'genGroups', 'genIdentify', 'genScenes', 'genOta', 'manuSpecificCluster', 'genMultistateInput'],
      attributes: [
        lumiBasic('lumi.remote.b1acn01', { appVersion: 2, hwVersion: 30 }), // hwVersion typical
        cluster('genIdentify', { identifyTime: 0 }),
        cluster('genMultistateInput', { presentValue: 0 }),
      ],
    }),
  ],
  quirks: ['xiaomi-ff01'],
  // A struct captured from a real lumi.remote.b1acn01 (01215d0c0328190421a81305214400062401000000000a210000).
  xiaomiStruct: [
    { tag: 0x01, type: T.uint16, value: 3165 },
    { tag: 0x03, type: T.int8, value: 25 },
    { tag: 0x04, type: T.uint16, value: 5032 },
    { tag: 0x05, type: T.uint16, value: 68 },
    { tag: 0x06, type: T.uint40, value: 1 },
    { tag: 0x0a, type: T.uint16, value: 0 },
  ],
  reports: [structHeartbeat],
  actions: { hold: multistate(0), single: multistate(1), double: multistate(2), triple: multistate(3), release: multistate(255) },
};

/** A Lumi relay's genOnOff: onOff and the manufacturer attribute 0xF000 it reports with it. */
function lumiRelay(): ReturnType<typeof cluster> {
  const [id, attributes] = cluster('genOnOff', { onOff: false });
  return [id, { ...attributes, 0xf000: { type: T.uint32, value: 65021952 } }];
}

/**
 * QBKG12LM, Aqara wall switch with neutral, double rocker. Fingerprint from public interview
 * dumps of lumi.ctrl_ln2.aq1 / lumi.ctrl_ln2 (2018 firmware): relay left on endpoint 1 (with
 * Basic and the device's own clusters), relay right on endpoint 2, power and energy on analog
 * endpoints 3 and 4, button presses on multistate endpoints 5 and 6. Device ids of endpoints
 * 3..6 typical. Each relay reports its onOff after a command, with Lumi's 0xF000 attribute
 * (value from a real dump), as the real switch does.
 */
const aqaraDoubleRocker: DeviceDefinition = {
  id: 'aqara-double-rocker',
  description: 'Aqara wall switch with neutral, double rocker (QBKG12LM, lumi.ctrl_ln2.aq1)',
  logicalType: 'router',
  manufacturerCode: LUMI_ROUTER_MANUFACTURER,
  powerSource: 'mains',
  endpoints: [
    endpoint({
      id: 1,
      deviceId: 0x0051,
      inClusters: ['genBasic', 'genPowerCfg', 'genDeviceTempCfg', 'genIdentify', 'genGroups', 'genScenes', 'genOnOff', 'genTime', 'genBinaryOutput'],
      outClusters: ['genTime', 'genOta'],
      attributes: [
        lumiBasic('lumi.ctrl_ln2.aq1', { appVersion: 32, hwVersion: 18, dateCode: '06-25-2018' }, MAINS_SINGLE_PHASE),
        cluster('genPowerCfg', { mainsVoltage: 2340 }),
        cluster('genDeviceTempCfg', { currentTemperature: 26 }),
        cluster('genIdentify', { identifyTime: 0 }),
        cluster('genGroups', { nameSupport: 0 }),
        cluster('genScenes', { count: 0, currentScene: 0, currentGroup: 0, sceneValid: false, nameSupport: 0 }),
        lumiRelay(),
        cluster('genBinaryOutput', { presentValue: false }),
      ],
    }),
    endpoint({
      id: 2,
      deviceId: 0x0051,
      inClusters: ['genOnOff', 'genBinaryOutput', 'genGroups', 'genScenes'],
      outClusters: [],
      attributes: [
        lumiRelay(),
        cluster('genBinaryOutput', { presentValue: false }),
        cluster('genGroups', { nameSupport: 0 }),
        cluster('genScenes', { count: 0, currentScene: 0, currentGroup: 0, sceneValid: false, nameSupport: 0 }),
      ],
    }),
    endpoint({ id: 3, deviceId: 0x0009, inClusters: ['genAnalogInput'], outClusters: ['genGroups', 'genAnalogInput'], attributes: [cluster('genAnalogInput', { presentValue: 0 })] }),
    endpoint({ id: 4, deviceId: 0x0009, inClusters: ['genAnalogInput'], outClusters: ['genGroups', 'genAnalogInput'], attributes: [cluster('genAnalogInput', { presentValue: 0 })] }),
    endpoint({ id: 5, deviceId: 0x0002, inClusters: ['genMultistateInput'], outClusters: ['genGroups', 'genMultistateInput'], attributes: [cluster('genMultistateInput', { presentValue: 0 })] }),
    endpoint({ id: 6, deviceId: 0x0002, inClusters: ['genMultistateInput'], outClusters: ['genGroups', 'genMultistateInput'], attributes: [cluster('genMultistateInput', { presentValue: 0 })] }),
  ],
  quirks: ['lumi-relay-report'],
};

export const catalogue: Record<string, DeviceDefinition> = Object.fromEntries(
  [aqaraWeather, aqaraDoor, aqaraMotion, aqaraPlug, ikeaBulb, aqaraSwitch, aqaraDoubleRocker, ...depthCatalogue, ikeaRemote].map((d) => [d.id, d]),
);

/** A fresh, independent copy of a catalogue entry (definitions are data; tests may change theirs). */
export function catalogueDevice(id: string, address?: { ieee?: string; nwk?: number }): DeviceDefinition {
  const entry = catalogue[id];
  if (!entry) throw new Error(`no catalogue device ${JSON.stringify(id)} (have: ${Object.keys(catalogue).join(', ')})`);
  return { ...structuredClone(entry), ...address };
}
