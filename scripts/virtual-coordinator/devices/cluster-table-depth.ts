// Clusters of the wider catalogue (covers, locks, thermostats, metering, Tuya), kept beside the
// main table so the two grow apart without conflicts. Ids and types from the ZCL spec (rev 8),
// the Smart Energy profile for seMetering, and vendor documentation for Danfoss' 0x4000+
// attributes (Danfoss Ally Zigbee cluster description, 2021). An entry here replaces the main
// table's entry of the same name.

import type { AttributeInfo, ClusterInfo } from './cluster-table.js';
import { DataType as T } from './zcl/data-types.js';

const ro = (id: number, type: number): AttributeInfo => ({ id, type, readOnly: true });
const rw = (id: number, type: number): AttributeInfo => ({ id, type });

export const depthClusters: Record<string, ClusterInfo> = {
  genAlarms: { id: 0x0009, attributes: { alarmCount: ro(0x0000, T.uint16) } },
  closuresDoorLock: {
    id: 0x0101,
    attributes: {
      lockState: ro(0x0000, T.enum8), lockType: ro(0x0001, T.enum8), actuatorEnabled: ro(0x0002, T.bool),
      numOfPinUsersSupported: ro(0x0012, T.uint16), maxPinLen: ro(0x0017, T.uint8), minPinLen: ro(0x0018, T.uint8),
      language: rw(0x0021, T.charStr), autoRelockTime: rw(0x0023, T.uint32), soundVolume: rw(0x0024, T.uint8),
      operatingMode: rw(0x0025, T.enum8),
    },
  },
  closuresWindowCovering: {
    id: 0x0102,
    attributes: {
      windowCoveringType: ro(0x0000, T.enum8), configStatus: ro(0x0007, T.bitmap8),
      currentPositionLiftPercentage: ro(0x0008, T.uint8), currentPositionTiltPercentage: ro(0x0009, T.uint8),
      installedOpenLimitLift: ro(0x0010, T.uint16), installedClosedLimitLift: ro(0x0011, T.uint16),
      mode: rw(0x0017, T.bitmap8),
    },
  },
  hvacThermostat: {
    id: 0x0201,
    attributes: {
      localTemp: ro(0x0000, T.int16), absMinHeatSetpointLimit: ro(0x0003, T.int16), absMaxHeatSetpointLimit: ro(0x0004, T.int16),
      pIHeatingDemand: ro(0x0008, T.uint8), occupiedHeatingSetpoint: rw(0x0012, T.int16),
      minHeatSetpointLimit: rw(0x0015, T.int16), maxHeatSetpointLimit: rw(0x0016, T.int16),
      ctrlSeqeOfOper: rw(0x001b, T.enum8), systemMode: rw(0x001c, T.enum8), setpointChangeSource: ro(0x0030, T.enum8),
      programingOperMode: rw(0x0025, T.bitmap8),
    },
  },
  hvacUserInterfaceCfg: {
    id: 0x0204,
    attributes: { tempDisplayMode: rw(0x0000, T.enum8), keypadLockout: rw(0x0001, T.enum8), viewingDirection: rw(0x4000, T.enum8) },
  },
  seMetering: {
    id: 0x0702,
    attributes: {
      currentSummDelivered: ro(0x0000, T.uint48), status: ro(0x0200, T.bitmap8), unitOfMeasure: ro(0x0300, T.enum8),
      multiplier: ro(0x0301, T.uint24), divisor: ro(0x0302, T.uint24), summaFormatting: ro(0x0303, T.bitmap8),
      meteringDeviceType: ro(0x0306, T.bitmap8), instantaneousDemand: ro(0x0400, T.int24),
    },
  },
  haElectricalMeasurement: {
    id: 0x0b04,
    attributes: {
      measurementType: ro(0x0000, T.bitmap32), rmsVoltage: ro(0x0505, T.uint16), rmsCurrent: ro(0x0508, T.uint16),
      activePower: ro(0x050b, T.int16), acVoltageMultiplier: ro(0x0600, T.uint16), acVoltageDivisor: ro(0x0601, T.uint16),
      acCurrentMultiplier: ro(0x0602, T.uint16), acCurrentDivisor: ro(0x0603, T.uint16),
      acPowerMultiplier: ro(0x0604, T.uint16), acPowerDivisor: ro(0x0605, T.uint16),
    },
  },
  manuSpecificPhilips: { id: 0xfc00, attributes: {} },
  manuSpecificPhilips2: { id: 0xfc03, attributes: {} },
  manuSpecificTuya: { id: 0xef00, attributes: {} },
};
