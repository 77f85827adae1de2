// Our own table of the ZCL clusters and attributes the simulated devices use, plus common ones.
// Names follow the spelling the Zigbee2MQTT world uses (genOnOff, msTemperatureMeasurement, ...)
// so tests read naturally; ids and types come from the ZCL spec (and vendor docs for 0xFCxx).

import { depthClusters } from './cluster-table-depth.js';
import { DataType as T } from './zcl/data-types.js';

export interface AttributeInfo {
  id: number;
  type: number;
  /** Written by the device itself only (ZCL access "R" / "RP"). */
  readOnly?: boolean;
}

export interface ClusterInfo {
  id: number;
  attributes: Record<string, AttributeInfo>;
}

const ro = (id: number, type: number): AttributeInfo => ({ id, type, readOnly: true });
const rw = (id: number, type: number): AttributeInfo => ({ id, type });

export const clusterTable: Record<string, ClusterInfo> = {
  genBasic: {
    id: 0x0000,
    attributes: {
      zclVersion: ro(0x0000, T.uint8), appVersion: ro(0x0001, T.uint8), stackVersion: ro(0x0002, T.uint8),
      hwVersion: ro(0x0003, T.uint8), manufacturerName: ro(0x0004, T.charStr), modelId: ro(0x0005, T.charStr),
      dateCode: ro(0x0006, T.charStr), powerSource: ro(0x0007, T.enum8), locationDesc: rw(0x0010, T.charStr),
      physicalEnv: rw(0x0011, T.enum8), deviceEnabled: rw(0x0012, T.bool), swBuildId: ro(0x4000, T.charStr),
    },
  },
  genPowerCfg: {
    id: 0x0001,
    attributes: {
      mainsVoltage: ro(0x0000, T.uint16), batteryVoltage: ro(0x0020, T.uint8),
      batteryPercentageRemaining: ro(0x0021, T.uint8),
    },
  },
  genDeviceTempCfg: { id: 0x0002, attributes: { currentTemperature: ro(0x0000, T.int16) } },
  genIdentify: { id: 0x0003, attributes: { identifyTime: rw(0x0000, T.uint16) } },
  genGroups: { id: 0x0004, attributes: { nameSupport: ro(0x0000, T.bitmap8) } },
  genScenes: {
    id: 0x0005,
    attributes: {
      count: ro(0x0000, T.uint8), currentScene: ro(0x0001, T.uint8), currentGroup: ro(0x0002, T.uint16),
      sceneValid: ro(0x0003, T.bool), nameSupport: ro(0x0004, T.bitmap8),
    },
  },
  genOnOff: {
    id: 0x0006,
    attributes: {
      onOff: ro(0x0000, T.bool), globalSceneCtrl: ro(0x4000, T.bool), onTime: rw(0x4001, T.uint16),
      offWaitTime: rw(0x4002, T.uint16), startUpOnOff: rw(0x4003, T.enum8),
    },
  },
  genLevelCtrl: {
    id: 0x0008,
    attributes: {
      currentLevel: ro(0x0000, T.uint8), remainingTime: ro(0x0001, T.uint16), options: rw(0x000f, T.bitmap8),
      onOffTransitionTime: rw(0x0010, T.uint16), onLevel: rw(0x0011, T.uint8),
      startUpCurrentLevel: rw(0x4000, T.uint8),
    },
  },
  genTime: { id: 0x000a, attributes: { time: rw(0x0000, T.utc), timeStatus: rw(0x0001, T.bitmap8) } },
  genAnalogInput: {
    id: 0x000c,
    attributes: {
      description: rw(0x001c, T.charStr), outOfService: rw(0x0051, T.bool), presentValue: rw(0x0055, T.singleFloat),
      statusFlags: ro(0x006f, T.bitmap8), engineeringUnits: rw(0x0075, T.enum16),
    },
  },
  genBinaryInput: { id: 0x000f, attributes: { outOfService: rw(0x0051, T.bool), presentValue: rw(0x0055, T.bool), statusFlags: ro(0x006f, T.bitmap8) } },
  genBinaryOutput: { id: 0x0010, attributes: { presentValue: rw(0x0055, T.bool) } },
  genMultistateInput: {
    id: 0x0012,
    attributes: {
      numberOfStates: rw(0x004a, T.uint16), outOfService: rw(0x0051, T.bool), presentValue: rw(0x0055, T.uint16),
      statusFlags: ro(0x006f, T.bitmap8),
    },
  },
  genOta: { id: 0x0019, attributes: { upgradeServerId: ro(0x0000, T.ieeeAddr), fileVersion: ro(0x0002, T.uint32) } },
  genPollCtrl: {
    id: 0x0020,
    attributes: {
      checkinInterval: rw(0x0000, T.uint32), longPollInterval: ro(0x0001, T.uint32),
      shortPollInterval: ro(0x0002, T.uint16), fastPollTimeout: rw(0x0003, T.uint16),
    },
  },
  greenPower: { id: 0x0021, attributes: {} },
  lightingColorCtrl: {
    id: 0x0300,
    attributes: {
      currentHue: ro(0x0000, T.uint8), currentSaturation: ro(0x0001, T.uint8), remainingTime: ro(0x0002, T.uint16),
      currentX: ro(0x0003, T.uint16), currentY: ro(0x0004, T.uint16), colorTemperature: ro(0x0007, T.uint16),
      colorMode: ro(0x0008, T.enum8), options: rw(0x000f, T.bitmap8), enhancedCurrentHue: ro(0x4000, T.uint16),
      enhancedColorMode: ro(0x4001, T.enum8), colorCapabilities: ro(0x400a, T.bitmap16),
      colorTempPhysicalMin: ro(0x400b, T.uint16), colorTempPhysicalMax: ro(0x400c, T.uint16),
      startUpColorTemperature: rw(0x4010, T.uint16),
    },
  },
  msIlluminanceMeasurement: {
    id: 0x0400,
    attributes: { measuredValue: ro(0x0000, T.uint16), minMeasuredValue: ro(0x0001, T.uint16), maxMeasuredValue: ro(0x0002, T.uint16) },
  },
  msTemperatureMeasurement: {
    id: 0x0402,
    attributes: { measuredValue: ro(0x0000, T.int16), minMeasuredValue: ro(0x0001, T.int16), maxMeasuredValue: ro(0x0002, T.int16) },
  },
  msPressureMeasurement: {
    id: 0x0403,
    attributes: {
      measuredValue: ro(0x0000, T.int16), minMeasuredValue: ro(0x0001, T.int16), maxMeasuredValue: ro(0x0002, T.int16),
      scaledValue: ro(0x0010, T.int16), scale: ro(0x0014, T.int8),
    },
  },
  msRelativeHumidity: {
    id: 0x0405,
    attributes: { measuredValue: ro(0x0000, T.uint16), minMeasuredValue: ro(0x0001, T.uint16), maxMeasuredValue: ro(0x0002, T.uint16) },
  },
  msOccupancySensing: {
    id: 0x0406,
    attributes: { occupancy: ro(0x0000, T.bitmap8), occupancySensorType: ro(0x0001, T.enum8) },
  },
  ssIasZone: {
    id: 0x0500,
    attributes: {
      zoneState: ro(0x0000, T.enum8), zoneType: ro(0x0001, T.enum16), zoneStatus: ro(0x0002, T.bitmap16),
      iasCieAddr: rw(0x0010, T.ieeeAddr), zoneId: ro(0x0011, T.uint8),
    },
  },
  seMetering: {
    id: 0x0702,
    attributes: {
      currentSummDelivered: ro(0x0000, T.uint48), unitOfMeasure: ro(0x0300, T.enum8), multiplier: ro(0x0301, T.uint24),
      divisor: ro(0x0302, T.uint24), instantaneousDemand: ro(0x0400, T.int24),
    },
  },
  haElectricalMeasurement: {
    id: 0x0b04,
    attributes: { rmsVoltage: ro(0x0505, T.uint16), rmsCurrent: ro(0x0508, T.uint16), activePower: ro(0x050b, T.int16) },
  },
  haDiagnostic: { id: 0x0b05, attributes: { lastMessageLqi: ro(0x011c, T.uint8), lastMessageRssi: ro(0x011d, T.int8) } },
  touchlink: { id: 0x1000, attributes: {} },
  manuSpecificIkeaUnknown: { id: 0xfc7c, attributes: {} },
  manuSpecificLumi: { id: 0xfcc0, attributes: {} },
  manuSpecificCluster: { id: 0xffff, attributes: {} },
  ...depthClusters,
};
