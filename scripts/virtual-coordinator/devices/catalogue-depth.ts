// The wider catalogue: a cover, a leak sensor, a colour bulb, a metering plug, a thermostat, a
// lock and a Tuya datapoint device, each with the fingerprint of the real product (node
// descriptor manufacturer code, endpoints, clusters, Basic attributes) so that
// zigbee-herdsman-converters resolves it to its real model. Sources: Zigbee2MQTT device pages and
// interview dumps posted in public issues; values marked "typical" were not found for the exact
// model and use what its siblings report.

import { cluster, endpoint, GREEN_POWER_PROFILE } from './definition-builder.js';
import type { AttributeDefinition, ClusterAttributes, DeviceDefinition } from './definition.js';
import { TUYA_COVER_QUIRK } from './commands/tuya-cover.js';
import { operationEvent } from './commands/door-lock.js';
import { DataType as T } from './zcl/data-types.js';

const IKEA_MANUFACTURER = 0x117c;
const LUMI_NODE_MANUFACTURER = 0x1037;
const PHILIPS_MANUFACTURER = 0x100b;
const INNR_MANUFACTURER = 0x1166;
const DANFOSS_MANUFACTURER = 0x1246;
const YALE_MANUFACTURER = 0x101d;
const TUYA_MANUFACTURER = 0x1141;
const MAINS_SINGLE_PHASE = 1;
const BATTERY = 3;

/** A cluster by name plus attributes only known by id (manufacturer-specific ones). */
function withIds(named: [number, ClusterAttributes], byId: Record<number, [type: number, value: AttributeDefinition['value']]>): [number, ClusterAttributes] {
  const [id, attributes] = named;
  const extra = Object.fromEntries(Object.entries(byId).map(([attrId, [type, value]]) => [Number(attrId), { type, value }]));
  return [id, { ...attributes, ...extra }];
}

/** E1757 FYRTUR: a battery roller blind (window covering, lift only), polled via genPollCtrl. */
const ikeaBlind: DeviceDefinition = {
  id: 'ikea-blind',
  description: 'IKEA FYRTUR block-out roller blind (E1757)',
  logicalType: 'enddevice',
  manufacturerCode: IKEA_MANUFACTURER,
  powerSource: 'battery',
  endpoints: [
    endpoint({
      id: 1,
      deviceId: 0x0202, // window covering device
      inClusters: ['genBasic', 'genPowerCfg', 'genIdentify', 'genGroups', 'genScenes', 'genPollCtrl', 'closuresWindowCovering', 'touchlink', 'manuSpecificIkeaUnknown'],
      outClusters: ['genOta', 'touchlink'],
      attributes: [
        cluster('genBasic', {
          zclVersion: 3, appVersion: 33, stackVersion: 98, hwVersion: 1, manufacturerName: 'IKEA of Sweden',
          modelId: 'FYRTUR block-out roller blind', dateCode: '20190311', powerSource: BATTERY, swBuildId: '2.2.009',
        }),
        // Firmware before 2.4 reports whole percent (100 = full), not the ZCL's half percent.
        cluster('genPowerCfg', { batteryVoltage: 30, batteryPercentageRemaining: 87 }),
        cluster('genIdentify', { identifyTime: 0 }),
        cluster('genGroups', { nameSupport: 0 }),
        cluster('genScenes', { count: 0, currentScene: 0, currentGroup: 0, sceneValid: false, nameSupport: 0 }),
        cluster('genPollCtrl', { checkinInterval: 14400, longPollInterval: 20, shortPollInterval: 2, fastPollTimeout: 40 }),
        cluster('closuresWindowCovering', { windowCoveringType: 0, configStatus: 0x1b, currentPositionLiftPercentage: 100, mode: 0 }),
      ],
    }),
  ],
};

/** SJCGQ11LM: leaks arrive as IAS zone status change notifications (alarm 1 = water). */
const aqaraLeak: DeviceDefinition = {
  id: 'aqara-leak',
  description: 'Aqara water leak sensor (SJCGQ11LM, lumi.sensor_wleak.aq1)',
  logicalType: 'enddevice',
  manufacturerCode: LUMI_NODE_MANUFACTURER,
  powerSource: 'battery',
  endpoints: [
    endpoint({
      id: 1,
      deviceId: 0x0402, // IAS zone
      inClusters: ['genBasic', 'genIdentify', 'genPowerCfg', 'ssIasZone'],
      outClusters: ['genOta'],
      attributes: [
        cluster('genBasic', {
          zclVersion: 1, appVersion: 2, stackVersion: 2, hwVersion: 30, manufacturerName: 'LUMI', modelId: 'lumi.sensor_wleak.aq1',
          dateCode: '20170721', powerSource: BATTERY, swBuildId: '3000-0001', // appVersion, hwVersion typical
        }),
        cluster('genIdentify', { identifyTime: 0 }),
        cluster('genPowerCfg', { batteryVoltage: 30 }),
        cluster('ssIasZone', { zoneState: 0, zoneType: 0x002a, zoneStatus: 0, iasCieAddr: '0x0000000000000000', zoneId: 0xff }),
      ],
    }),
  ],
  quirks: ['xiaomi-ff01'],
  xiaomiStruct: [
    { tag: 0x01, type: T.uint16, value: 3005 },
    { tag: 0x03, type: T.int8, value: 23 },
    { tag: 0x04, type: T.uint16, value: 17320 },
    { tag: 0x05, type: T.uint16, value: 6 },
    { tag: 0x06, type: T.uint40, value: 1 },
    { tag: 0x0a, type: T.uint16, value: 0 },
  ],
  reports: [{ endpoint: 1, cluster: 0x0000, attributes: [0xff01], intervalMs: 50 * 60 * 1000 }],
  actions: {
    // zoneStatusChangeNotification(zone status, extended status, zone id, delay)
    leak: { endpoint: 1, cluster: 0x0500, command: { id: 0x00, payload: [0x01, 0x00, 0x00, 0x00, 0x00, 0x00], fromServer: true } },
    dry: { endpoint: 1, cluster: 0x0500, command: { id: 0x00, payload: [0x00, 0x00, 0x00, 0x00, 0x00, 0x00], fromServer: true } },
  },
};

/** LCT015 (Hue white and color ambiance A19, gen 3): extended colour light on endpoint 11. */
const hueColorBulb: DeviceDefinition = {
  id: 'hue-color-bulb',
  description: 'Philips Hue white and color ambiance E27 (9290012573A, LCT015)',
  logicalType: 'router',
  manufacturerCode: PHILIPS_MANUFACTURER,
  powerSource: 'mains',
  endpoints: [
    endpoint({
      id: 11,
      deviceId: 0x010d, // extended colour light
      inClusters: ['genBasic', 'genIdentify', 'genGroups', 'genScenes', 'genOnOff', 'genLevelCtrl', 'touchlink', 'lightingColorCtrl', 0xfc01],
      outClusters: ['genOta'],
      attributes: [
        cluster('genBasic', {
          zclVersion: 1, appVersion: 2, stackVersion: 1, hwVersion: 1, manufacturerName: 'Philips', modelId: 'LCT015',
          dateCode: '20180817', powerSource: MAINS_SINGLE_PHASE, swBuildId: '1.50.2_r30933',
        }),
        cluster('genIdentify', { identifyTime: 0 }),
        cluster('genGroups', { nameSupport: 0 }),
        cluster('genScenes', { count: 0, currentScene: 0, currentGroup: 0, sceneValid: false, nameSupport: 0 }),
        cluster('genOnOff', { onOff: true, globalSceneCtrl: true, onTime: 0, offWaitTime: 0, startUpOnOff: 1 }),
        cluster('genLevelCtrl', { currentLevel: 254, remainingTime: 0, onOffTransitionTime: 0, startUpCurrentLevel: 254 }),
        cluster('lightingColorCtrl', {
          currentHue: 8, currentSaturation: 140, remainingTime: 0, currentX: 30138, currentY: 26909, colorTemperature: 366,
          colorMode: 2, options: 0, enhancedCurrentHue: 2048, enhancedColorMode: 2, colorCapabilities: 0x001f,
          colorTempPhysicalMin: 153, colorTempPhysicalMax: 500, startUpColorTemperature: 366,
        }),
      ],
    }),
    endpoint({ id: 242, profileId: GREEN_POWER_PROFILE, deviceId: 0x0061, inClusters: [], outClusters: ['greenPower'] }),
  ],
};

/**
 * Innr OSP 240 outdoor plug: on/off with energy (seMetering) and power, voltage and current
 * (haElectricalMeasurement). The converters scale each value by the multiplier and divisor the
 * plug itself reports (read at configure): power in 0.1 W, current in mA, energy in 0.01 kWh.
 */
const innrPlug: DeviceDefinition = {
  id: 'innr-plug',
  description: 'Innr outdoor smart plug with metering (OSP 240)',
  logicalType: 'router',
  manufacturerCode: INNR_MANUFACTURER,
  powerSource: 'mains',
  endpoints: [
    endpoint({
      id: 1,
      deviceId: 0x010a, // on/off plug-in unit
      inClusters: ['genBasic', 'genIdentify', 'genGroups', 'genScenes', 'genOnOff', 'seMetering', 'haElectricalMeasurement', 'touchlink'],
      outClusters: ['genOta'],
      attributes: [
        cluster('genBasic', {
          zclVersion: 3, appVersion: 17, stackVersion: 2, hwVersion: 1, manufacturerName: 'innr', modelId: 'OSP 240',
          dateCode: '20210806', powerSource: MAINS_SINGLE_PHASE, swBuildId: '1.1', // versions typical
        }),
        cluster('genIdentify', { identifyTime: 0 }),
        cluster('genGroups', { nameSupport: 0 }),
        cluster('genScenes', { count: 0, currentScene: 0, currentGroup: 0, sceneValid: false, nameSupport: 0 }),
        cluster('genOnOff', { onOff: false, globalSceneCtrl: true, onTime: 0, offWaitTime: 0, startUpOnOff: 0 }),
        cluster('seMetering', {
          currentSummDelivered: 12345n, status: 0, unitOfMeasure: 0, multiplier: 1, divisor: 100, summaFormatting: 0x2b,
          meteringDeviceType: 0, instantaneousDemand: 0,
        }),
        cluster('haElectricalMeasurement', {
          measurementType: 1, rmsVoltage: 230, rmsCurrent: 0, activePower: 0, acVoltageMultiplier: 1, acVoltageDivisor: 1,
          acCurrentMultiplier: 1, acCurrentDivisor: 1000, acPowerMultiplier: 1, acPowerDivisor: 10,
        }),
      ],
    }),
  ],
};

/** 014G2461 Danfoss Ally radiator thermostat, firmware 01.08 (the Danfoss-specific attributes it configures). */
const danfossAlly: DeviceDefinition = {
  id: 'danfoss-ally',
  description: 'Danfoss Ally radiator thermostat (014G2461, eTRV0100)',
  logicalType: 'enddevice',
  manufacturerCode: DANFOSS_MANUFACTURER,
  powerSource: 'battery',
  endpoints: [
    endpoint({
      id: 1,
      deviceId: 0x0301, // thermostat
      inClusters: ['genBasic', 'genPowerCfg', 'genIdentify', 'genTime', 'genPollCtrl', 'hvacThermostat', 'hvacUserInterfaceCfg', 'haDiagnostic'],
      outClusters: ['genBasic', 'genOta'],
      attributes: [
        cluster('genBasic', {
          zclVersion: 1, appVersion: 1, stackVersion: 6, hwVersion: 1, manufacturerName: 'Danfoss', modelId: 'eTRV0100',
          dateCode: '20201215', powerSource: BATTERY, swBuildId: '01.08.0008 01.08',
        }),
        cluster('genPowerCfg', { batteryVoltage: 30, batteryPercentageRemaining: 200 }),
        cluster('genIdentify', { identifyTime: 0 }),
        // The hub sets the clock at every announce: time zone, DST start, end and shift too.
        withIds(cluster('genTime', { time: 0, timeStatus: 0 }), { 0x0002: [T.int32, 0], 0x0003: [T.uint32, 0], 0x0004: [T.uint32, 0], 0x0005: [T.int32, 0] }),
        cluster('genPollCtrl', { checkinInterval: 14400, longPollInterval: 20, shortPollInterval: 2, fastPollTimeout: 40 }),
        withIds(
          cluster('hvacThermostat', {
            localTemp: 2150, absMinHeatSetpointLimit: 500, absMaxHeatSetpointLimit: 3500, pIHeatingDemand: 0,
            occupiedHeatingSetpoint: 2100, minHeatSetpointLimit: 500, maxHeatSetpointLimit: 3500, ctrlSeqeOfOper: 2,
            systemMode: 4, setpointChangeSource: 0, programingOperMode: 0,
          }),
          {
            0x4000: [T.enum8, 0], 0x4003: [T.bool, false], 0x4010: [T.enum8, 0], 0x4011: [T.uint16, 0], 0x4012: [T.bool, false],
            0x4013: [T.bool, false], 0x4014: [T.bool, false], 0x4015: [T.int16, -8000], 0x4016: [T.bool, false],
            0x4020: [T.uint8, 1], 0x4030: [T.bool, false], 0x4031: [T.bool, false], 0x4032: [T.bool, false],
            0x4040: [T.int16, -8000], 0x404a: [T.int16, 0], 0x404b: [T.int8, 0], 0x404c: [T.enum8, 1], 0x404d: [T.bitmap8, 0],
            0x404e: [T.bitmap8, 1], 0x404f: [T.bool, false], 0x4050: [T.uint32, 0], 0x4051: [T.bool, true],
          },
        ),
        withIds(cluster('hvacUserInterfaceCfg', { tempDisplayMode: 0, keypadLockout: 0 }), { 0x4000: [T.enum8, 0] }),
        withIds(cluster('haDiagnostic', { lastMessageLqi: 200, lastMessageRssi: -60 }), { 0x4000: [T.bitmap16, 0] }),
      ],
    }),
  ],
};

/** YRD256HA20BP Yale Assure lock SL (Zigbee module, firmware typical). */
const yaleLock: DeviceDefinition = {
  id: 'yale-lock',
  description: 'Yale Assure lock SL (YRD256HA20BP, YRD256 TSDB)',
  logicalType: 'enddevice',
  manufacturerCode: YALE_MANUFACTURER,
  powerSource: 'battery',
  endpoints: [
    endpoint({
      id: 1,
      deviceId: 0x000a, // door lock
      inClusters: ['genBasic', 'genPowerCfg', 'genIdentify', 'genAlarms', 'genTime', 'genPollCtrl', 'closuresDoorLock', 'haDiagnostic'],
      outClusters: ['genTime', 'genOta'],
      attributes: [
        cluster('genBasic', {
          zclVersion: 1, appVersion: 2, stackVersion: 2, hwVersion: 1, manufacturerName: 'Yale', modelId: 'YRD256 TSDB',
          dateCode: '20180504', powerSource: BATTERY, swBuildId: '0.2.1', // versions typical
        }),
        cluster('genPowerCfg', { batteryVoltage: 60, batteryPercentageRemaining: 180 }),
        cluster('genIdentify', { identifyTime: 0 }),
        cluster('genAlarms', { alarmCount: 0 }),
        cluster('genTime', { time: 0, timeStatus: 0 }),
        cluster('genPollCtrl', { checkinInterval: 14400, longPollInterval: 20, shortPollInterval: 2, fastPollTimeout: 40 }),
        cluster('closuresDoorLock', {
          lockState: 1, lockType: 0, actuatorEnabled: true, numOfPinUsersSupported: 250, maxPinLen: 8, minPinLen: 4,
          language: 'en', autoRelockTime: 0, soundVolume: 1, operatingMode: 0,
        }),
        cluster('haDiagnostic', { lastMessageLqi: 200, lastMessageRssi: -60 }),
      ],
    }),
  ],
  actions: {
    // Turned by hand from inside: the bolt moves, the lock reports it and says how (source 2 manual).
    manual_unlock: {
      endpoint: 1,
      cluster: 0x0101,
      attributes: { 0x0000: { type: T.enum8, value: 2 } }, // lockState unlocked
      command: { id: 0x20, payload: [...operationEvent(2, 14)], fromServer: true },
    },
  },
};

/**
 * TS0601 _TZE200_zah67ekd, Moes AM43 roller blind drive (TS0601_cover_4): everything goes
 * through Tuya datapoints on cluster 0xEF00 (commands/tuya-cover.ts). Datapoints as attributes
 * of 0xEF00: 1 control (enum), 2 target position, 3 position (value, 100 = open), 5 motor
 * direction (enum), 7 work state (enum), 101 opening mode (enum), 105 motor speed (value).
 */
const tuyaBlindMotor: DeviceDefinition = {
  id: 'tuya-blind-motor',
  description: 'Tuya / Moes AM43 roller blind drive (TS0601, _TZE200_zah67ekd), Tuya datapoints',
  logicalType: 'router',
  manufacturerCode: TUYA_MANUFACTURER,
  powerSource: 'mains',
  endpoints: [
    endpoint({
      id: 1,
      deviceId: 0x0051,
      inClusters: ['genBasic', 'genGroups', 'genScenes', 'manuSpecificTuya'],
      outClusters: ['genOta', 'genTime'],
      attributes: [
        cluster('genBasic', {
          zclVersion: 3, appVersion: 83, stackVersion: 0, hwVersion: 1, manufacturerName: '_TZE200_zah67ekd', modelId: 'TS0601',
          dateCode: '', powerSource: MAINS_SINGLE_PHASE,
        }),
        cluster('genGroups', { nameSupport: 0 }),
        cluster('genScenes', { count: 0, currentScene: 0, currentGroup: 0, sceneValid: false, nameSupport: 0 }),
        withIds(cluster('manuSpecificTuya', {}), {
          1: [T.enum8, 1], 2: [T.uint32, 0], 3: [T.uint32, 0], 5: [T.enum8, 0], 7: [T.enum8, 1], 101: [T.enum8, 1], 105: [T.uint32, 40],
        }),
      ],
    }),
  ],
  quirks: [TUYA_COVER_QUIRK],
};

export const depthCatalogue: DeviceDefinition[] = [ikeaBlind, aqaraLeak, hueColorBulb, innrPlug, danfossAlly, yaleLock, tuyaBlindMotor];
