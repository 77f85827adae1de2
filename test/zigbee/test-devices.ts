// Inline simulated devices for tests: things the catalogue does not have on purpose.
import { cluster, endpoint } from '../../scripts/virtual-coordinator/devices/definition-builder.js';
import { catalogueDevice } from '../../scripts/virtual-coordinator/devices/catalogue.js';
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

/** Basic cluster attribute ids (ZCL): the two that identify a device. */
const MANUFACTURER_NAME = 0x0004;
export const MODEL_ID = 0x0005;

/**
 * The unknown sensor with an identity attribute of the wrong ZCL type, as cheap white-label
 * devices send them: `manufacturerName` (or `modelId`) answered as a uint16 instead of a
 * character string, so herdsman stores a number where everyone expects a string.
 */
export function oddTypedGadget(attribute: 'manufacturerName' | 'modelId', id = `acme-odd-${attribute}`): DeviceDefinition {
  const gadget = unknownGadget();
  const ep = gadget.endpoints[0]!;
  ep.attributes![0x0000]![attribute === 'manufacturerName' ? MANUFACTURER_NAME : MODEL_ID] = { type: T.uint16, value: 0x1234 };
  return { ...gadget, id, description: `A device whose ${attribute} is a uint16` };
}

/**
 * The Aqara weather sensor (resolved to the real WSDCGQ11LM definition) that also reports
 * Basic attribute 0xFF02 as a plain uint16: Lumi's converter expects a struct there and
 * throws (`value[1].elmVal` of a number) on every such report.
 */
export function weatherWithBrokenFf02(): DeviceDefinition {
  const weather = catalogueDevice('aqara-weather');
  const ep = weather.endpoints[0]!;
  ep.attributes![0x0000] = { ...ep.attributes![0x0000], [LUMI_FF02]: { type: T.uint16, value: 7 } };
  return { ...weather, id: 'aqara-weather-broken-ff02', description: 'An Aqara weather sensor with a broken 0xFF02 report' };
}

export const LUMI_FF02 = 0xff02;
