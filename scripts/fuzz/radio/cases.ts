// The radio side's cases, as data (so a shrunk counterexample reads as what happened):
// an odd device joins, a catalogue device reports out-of-range values, malformed frames.
import fc from 'fast-check';
import type { AttributeDefinition, DeviceDefinition, EndpointDefinition } from '../../virtual-coordinator/devices/definition.js';
import { clusterTable } from '../../virtual-coordinator/devices/cluster-table.js';
import { DataType as T } from '../../virtual-coordinator/devices/zcl/data-types.js';
import { attributeValue, integerOf, oddValue } from './zcl-values.js';

/** The catalogue devices the environment joined as fuzz targets (never the sentinel). */
export type TargetDevice = 'weather' | 'plug';

export type RadioCase =
  /** A device described as data joins, is interviewed, then sends a frame from one of its clusters. */
  | { kind: 'join'; definition: DeviceDefinition; frameCluster: number }
  /** A catalogue device reports these attribute values (out of range ones included). */
  | { kind: 'report'; device: TargetDevice; endpoint: number; cluster: string; attributes: Record<string, number | boolean> }
  /** The Xiaomi 0xFF01 heartbeat now, mirroring whatever the attributes hold. */
  | { kind: 'heartbeat'; device: TargetDevice }
  /** Frames the serial layer must drop: a bad checksum or noise. */
  | { kind: 'noise'; frame: 'badFcs' | 'garbage'; count: number }
  /** The device's next frames are truncated ZCL. */
  | { kind: 'truncated'; device: TargetDevice; count: number };

/** Clusters the catalogue's devices use, by name (from the virtual coordinator's table). */
const CATALOGUE_CLUSTERS = [
  'genBasic', 'genPowerCfg', 'genDeviceTempCfg', 'genIdentify', 'genOnOff', 'genLevelCtrl', 'genAnalogInput',
  'genBinaryInput', 'genMultistateInput', 'lightingColorCtrl', 'msIlluminanceMeasurement', 'msTemperatureMeasurement',
  'msPressureMeasurement', 'msRelativeHumidity', 'msOccupancySensing', 'ssIasZone', 'seMetering', 'haElectricalMeasurement',
].filter((name) => clusterTable[name] !== undefined);

/** Real fingerprints (so converters resolve a real definition and run its code) and junk. */
const MODEL_IDS = ['lumi.weather', 'lumi.plug', 'lumi.sensor_magnet.aq2', 'lumi.sensor_motion.aq2', 'lumi.remote.b1acn01', 'TRADFRI bulb E27 WS opal 980lm', 'TS0201', 'TS011F'];
const VENDORS = ['LUMI', 'IKEA of Sweden', '_TZ3000_g5xawfcq', '_TZ3000_fllyghyj', 'Philips', ''];

const basicString = (choices: string[]): fc.Arbitrary<AttributeDefinition> =>
  fc.oneof({ arbitrary: fc.constantFrom(...choices).map((value) => ({ type: T.charStr, value })), weight: 2 }, { arbitrary: oddValue, weight: 3 });

function clusterAttributes(name: string): fc.Arbitrary<Record<number, AttributeDefinition>> {
  const attributes = Object.values(clusterTable[name]!.attributes);
  return fc
    .subarray(attributes, { minLength: 1 })
    .chain((chosen) => fc.tuple(...chosen.map((a) => attributeValue(a.type).map((value) => [a.id, value] as const))))
    .map((pairs) => Object.fromEntries(pairs));
}

const basicCluster: fc.Arbitrary<Record<number, AttributeDefinition>> = fc.record({
  manufacturerName: basicString(VENDORS),
  modelId: basicString(MODEL_IDS),
  powerSource: fc.oneof(attributeValue(T.enum8), fc.constant({ type: T.enum8, value: 3 })),
  zclVersion: attributeValue(T.uint8),
  swBuildId: basicString(['3000-0001', '2.3.075']),
}).map((b) => ({ 0x0004: b.manufacturerName, 0x0005: b.modelId, 0x0007: b.powerSource, 0x0000: b.zclVersion, 0x4000: b.swBuildId }));

const endpointArb = (id: number): fc.Arbitrary<EndpointDefinition> =>
  fc.subarray(CATALOGUE_CLUSTERS.filter((c) => c !== 'genBasic'), { maxLength: 4 }).chain((clusters) =>
    fc.record({
      deviceId: integerOf(T.uint16),
      basic: basicCluster,
      others: fc.tuple(...clusters.map((name) => clusterAttributes(name).map((attrs) => [clusterTable[name]!.id, attrs] as const))),
    }).map(({ deviceId, basic, others }) => ({
      id,
      profileId: 0x0104,
      deviceId,
      inClusters: [0x0000, ...others.map(([cid]) => cid)],
      outClusters: [],
      attributes: { 0x0000: basic, ...Object.fromEntries(others) },
    })),
  );

export const joinCase: fc.Arbitrary<RadioCase> = fc
  .record({
    logicalType: fc.constantFrom('router' as const, 'enddevice' as const),
    powerSource: fc.constantFrom('mains' as const, 'battery' as const),
    manufacturerCode: fc.oneof(integerOf(T.uint16), fc.constantFrom(4151, 4476, 4107)),
    endpoints: fc.oneof(endpointArb(1).map((e) => [e]), fc.tuple(endpointArb(1), endpointArb(2))),
    frameOn: fc.nat(),
  })
  .map(({ frameOn, ...rest }) => {
    const definition: DeviceDefinition = { id: 'fuzz-device', description: 'a device made up by the fuzzer', ...rest };
    const clusters = definition.endpoints[0]!.inClusters;
    return { kind: 'join' as const, definition, frameCluster: clusters[frameOn % clusters.length]! };
  });

/** Report targets on the catalogue devices: the measurements their converters turn into state. */
const REPORTS: Array<{ device: TargetDevice; endpoint: number; cluster: string; attribute: string; type: number }> = [
  { device: 'weather', endpoint: 1, cluster: 'msTemperatureMeasurement', attribute: 'measuredValue', type: T.int16 },
  { device: 'weather', endpoint: 1, cluster: 'msRelativeHumidity', attribute: 'measuredValue', type: T.uint16 },
  { device: 'weather', endpoint: 1, cluster: 'msPressureMeasurement', attribute: 'measuredValue', type: T.int16 },
  { device: 'plug', endpoint: 1, cluster: 'genOnOff', attribute: 'onOff', type: T.bool },
  { device: 'plug', endpoint: 1, cluster: 'genDeviceTempCfg', attribute: 'currentTemperature', type: T.int16 },
  { device: 'plug', endpoint: 2, cluster: 'genAnalogInput', attribute: 'presentValue', type: T.singleFloat },
  { device: 'plug', endpoint: 3, cluster: 'genAnalogInput', attribute: 'presentValue', type: T.singleFloat },
];

export const reportCase: fc.Arbitrary<RadioCase> = fc.constantFrom(...REPORTS).chain((r) =>
  attributeValueFor(r.type).map((value) => ({ kind: 'report' as const, device: r.device, endpoint: r.endpoint, cluster: r.cluster, attributes: { [r.attribute]: value } })),
);

function attributeValueFor(type: number): fc.Arbitrary<number | boolean> {
  if (type === T.bool) return fc.boolean();
  if (type === T.singleFloat) return fc.oneof(fc.float({ noNaN: true, noDefaultInfinity: true, min: Math.fround(-3.4e38), max: Math.fround(3.4e38) }), fc.constantFrom(1e30, -5000, 0, 100.5));
  return integerOf(type);
}

export const radioCase: fc.Arbitrary<RadioCase> = fc.oneof(
  { arbitrary: joinCase, weight: 2 },
  { arbitrary: reportCase, weight: 5 },
  { arbitrary: fc.constantFrom<TargetDevice>('weather', 'plug').map((device) => ({ kind: 'heartbeat' as const, device })), weight: 1 },
  { arbitrary: fc.record({ frame: fc.constantFrom('badFcs' as const, 'garbage' as const), count: fc.integer({ min: 1, max: 5 }) }).map((c) => ({ kind: 'noise' as const, ...c })), weight: 1 },
  { arbitrary: fc.record({ device: fc.constantFrom<TargetDevice>('weather', 'plug'), count: fc.integer({ min: 1, max: 3 }) }).map((c) => ({ kind: 'truncated' as const, ...c })), weight: 1 },
);

/** Inputs a correct hub must take without complaint: well-typed fingerprints, plausible reports. */
export const knownFineRadioCase: fc.Arbitrary<RadioCase> = fc.oneof(
  fc.record({
    logicalType: fc.constantFrom('router' as const, 'enddevice' as const),
    manufacturer: fc.constantFrom('LUMI', 'IKEA of Sweden', 'Acme'),
    model: fc.constantFrom('lumi.weather', 'lumi.sensor_magnet.aq2', 'fuzz.unknown-model'),
  }).map(({ logicalType, manufacturer, model }) => ({
    kind: 'join' as const,
    frameCluster: 0x0402,
    definition: {
      id: 'fuzz-fine-device',
      description: 'a plain device',
      logicalType,
      powerSource: logicalType === 'router' ? ('mains' as const) : ('battery' as const),
      manufacturerCode: 4151,
      endpoints: [{
        id: 1, profileId: 0x0104, deviceId: 0x0302, inClusters: [0x0000, 0x0402], outClusters: [],
        attributes: {
          0x0000: { 0x0004: { type: T.charStr, value: manufacturer }, 0x0005: { type: T.charStr, value: model }, 0x0007: { type: T.enum8, value: 3 } },
          0x0402: { 0x0000: { type: T.int16, value: 2000 } },
        },
      }],
    },
  })),
  fc.integer({ min: -4000, max: 6000 }).map((v) => ({ kind: 'report' as const, device: 'weather' as const, endpoint: 1, cluster: 'msTemperatureMeasurement', attributes: { measuredValue: v } })),
  fc.integer({ min: 0, max: 10000 }).map((v) => ({ kind: 'report' as const, device: 'weather' as const, endpoint: 1, cluster: 'msRelativeHumidity', attributes: { measuredValue: v } })),
  fc.boolean().map((v) => ({ kind: 'report' as const, device: 'plug' as const, endpoint: 1, cluster: 'genOnOff', attributes: { onOff: v } })),
  fc.constantFrom<TargetDevice>('weather', 'plug').map((device) => ({ kind: 'heartbeat' as const, device })),
);
