// Inline simulated devices for tests: things the catalogue does not have on purpose.
import { cluster, endpoint } from '../../scripts/virtual-coordinator/devices/definition-builder.js';
import type { DeviceDefinition } from '../../scripts/virtual-coordinator/devices/definition.js';
import { DataType as T } from '../../scripts/virtual-coordinator/devices/zcl/data-types.js';

/** A cluster id no ZCL spec and no manufacturer table in herdsman knows. */
export const UNKNOWN_CLUSTER = 0xfc7e;

/**
 * A temperature sensor with a made-up model id (no converters definition matches it) and a
 * cluster nobody knows, for the "unknown device" and "unknown cluster" paths.
 */
export function unknownGadget(): DeviceDefinition {
  const ep = endpoint({
    id: 1,
    deviceId: 0x0302,
    inClusters: ['genBasic', 'genIdentify', 'msTemperatureMeasurement', UNKNOWN_CLUSTER],
    outClusters: [],
    attributes: [
      cluster('genBasic', {
        zclVersion: 3,
        appVersion: 1,
        stackVersion: 2,
        hwVersion: 1,
        manufacturerName: 'Acme Test Labs',
        modelId: 'ACME-GADGET-X1-NOT-REAL',
        powerSource: 1,
      }),
      cluster('genIdentify', { identifyTime: 0 }),
      cluster('msTemperatureMeasurement', { measuredValue: 1900, minMeasuredValue: -4000, maxMeasuredValue: 12500 }),
    ],
  });
  ep.attributes![UNKNOWN_CLUSTER] = { 0x0001: { type: T.uint16, value: 7 } };
  return {
    id: 'acme-gadget',
    description: 'A device no converter knows',
    logicalType: 'router',
    manufacturerCode: 0x1234,
    powerSource: 'mains',
    endpoints: [ep],
  };
}

/** The same unknown sensor as a sleepy, battery powered end device. */
export function sleepyGadget(): DeviceDefinition {
  return { ...unknownGadget(), id: 'acme-gadget-sleepy', logicalType: 'enddevice', powerSource: 'battery' };
}

/**
 * A two-gang switch with a made-up model id: the converters generate a definition whose
 * exposes are per endpoint (state_1, state_2), set through the plain `state` converter.
 */
export function twoGangSwitch(): DeviceDefinition {
  const gang = (id: number) =>
    endpoint({
      id,
      deviceId: 0x0100,
      inClusters: ['genBasic', 'genOnOff'],
      outClusters: [],
      attributes: [
        cluster('genBasic', { zclVersion: 3, appVersion: 1, stackVersion: 2, hwVersion: 1, manufacturerName: 'Acme Test Labs', modelId: 'ACME-2GANG-NOT-REAL', powerSource: 1 }),
        cluster('genOnOff', { onOff: false }),
      ],
    });
  return { id: 'acme-2gang', description: 'A two-gang switch no converter knows', logicalType: 'router', manufacturerCode: 0x1234, powerSource: 'mains', endpoints: [gang(1), gang(2)] };
}
