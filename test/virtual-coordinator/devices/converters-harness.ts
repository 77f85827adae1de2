// Feeds what a simulated device sends through zigbee-herdsman's parser and the real
// zigbee-herdsman-converters definitions, the way Zigbee2MQTT-style code would, so tests can
// assert on the resulting state (temperature 21.5, action "single", ...).

import { Zcl } from 'zigbee-herdsman';
import * as converters from 'zigbee-herdsman-converters';
import type { DeviceDefinition, ZclFrame } from '../../../scripts/virtual-coordinator/devices/definition.js';
import { SimulatedDevice } from '../../../scripts/virtual-coordinator/devices/simulated-device.js';
import { foundation, parse, recorder } from './helpers.js';

// Loose shapes: the converters' types want herdsman model classes we only imitate.
type Loose = any;  

const INTERVIEW_ATTRIBUTES = ['modelId', 'manufacturerName', 'powerSource', 'zclVersion', 'appVersion', 'stackVersion', 'hwVersion', 'dateCode', 'swBuildId'];

// The converters recognise herdsman entities by class name ("Endpoint", "Device").
class Endpoint {
  readonly inputClusters: number[];
  readonly outputClusters: number[];
  readonly clusters = {};
  constructor(readonly ID: number, readonly profileID: number, readonly deviceID: number, inClusters: number[], outClusters: number[], readonly deviceIeeeAddress: string, private readonly definition: DeviceDefinition) {
    this.inputClusters = inClusters;
    this.outputClusters = outClusters;
  }
  supportsInputCluster(name: string): boolean {
    return this.inputClusters.includes(Zcl.Utils.getCluster(name).ID);
  }
  supportsOutputCluster(name: string): boolean {
    return this.outputClusters.includes(Zcl.Utils.getCluster(name).ID);
  }
  /** What herdsman would have cached from reads/reports: here, the definition's values. */
  getClusterAttributeValue(clusterName: string, attributeName: string): unknown {
    const cluster = Zcl.Utils.getCluster(clusterName);
    const attribute = Zcl.Utils.getClusterAttribute(cluster, attributeName, undefined);
    const ep = this.definition.endpoints.find((e) => e.id === this.ID);
    return attribute ? ep?.attributes?.[cluster.ID]?.[attribute.ID]?.value : undefined;
  }
}

class Device {
  readonly ieeeAddr: string;
  readonly networkAddress: number;
  readonly type: string;
  readonly manufacturerID: number;
  readonly modelID: unknown;
  readonly manufacturerName: unknown;
  readonly powerSource: string | undefined;
  readonly zclVersion: unknown;
  readonly applicationVersion: unknown;
  readonly stackVersion: unknown;
  readonly hardwareVersion: unknown;
  readonly dateCode: unknown;
  readonly softwareBuildID: unknown;
  readonly interviewCompleted = true;
  readonly endpoints: Endpoint[];
  readonly meta = {};
  readonly customClusters = {};
  constructor(definition: DeviceDefinition, basic: Record<string, unknown>) {
    this.ieeeAddr = definition.ieee ?? '0x00158d0000000001';
    this.networkAddress = definition.nwk ?? 0x1234;
    this.type = definition.logicalType === 'router' ? 'Router' : 'EndDevice';
    this.manufacturerID = definition.manufacturerCode;
    this.modelID = basic.modelId;
    this.manufacturerName = basic.manufacturerName;
    this.powerSource = basic.powerSource === 1 ? 'Mains (single phase)' : basic.powerSource === 3 ? 'Battery' : undefined;
    this.zclVersion = basic.zclVersion;
    this.applicationVersion = basic.appVersion;
    this.stackVersion = basic.stackVersion;
    this.hardwareVersion = basic.hwVersion;
    this.dateCode = basic.dateCode;
    this.softwareBuildID = basic.swBuildId;
    this.endpoints = definition.endpoints.map((ep) => new Endpoint(ep.id, ep.profileId, ep.deviceId, ep.inClusters, ep.outClusters, this.ieeeAddr, definition));
  }
  getEndpoint(id: number): Endpoint | undefined {
    return this.endpoints.find((ep) => ep.ID === id);
  }
  save(): void {}
}

/**
 * Reads genBasic the way herdsman's interview does (one attribute per read) and returns an
 * object shaped like herdsman's Device, built only from what the device answered.
 */
export function interview(definition: DeviceDefinition): Loose {
  const io = recorder();
  const device = new SimulatedDevice(definition, io); // a twin, so the caller's device sees no traffic
  const basic: Record<string, unknown> = {};
  const withBasic = definition.endpoints.find((ep) => ep.inClusters.includes(0x0000));
  if (withBasic) {
    INTERVIEW_ATTRIBUTES.forEach((name, i) => {
      const attrId = Zcl.Utils.getClusterAttribute(Zcl.Utils.getCluster('genBasic'), name, undefined)!.ID;
      device.receive(foundation('genBasic', 'read', [{ attrId }], { tsn: 100 + i, dstEndpoint: withBasic.id }));
      const record = parse(io.take()[0]!).payload[0];
      if (record.status === 0) basic[name] = record.attrData;
    });
  }
  const herdsmanDevice = new Device(definition, basic);
  return herdsmanDevice;
}

export async function resolveModel(definition: DeviceDefinition): Promise<{ model: string; vendor: string; definition: Loose; herdsmanDevice: Loose } | undefined> {
  const herdsmanDevice = interview(definition);
  const model = await converters.findByDevice(herdsmanDevice);
  return model ? { model: model.model, vendor: model.vendor, definition: model, herdsmanDevice } : undefined;
}

/** Runs every matching fromZigbee converter of the definition over one frame the device sent. */
export async function convert(definition: Loose, herdsmanDevice: Loose, frame: ZclFrame, options: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const parsed = parse(frame);
  const cluster = Zcl.Utils.getCluster(frame.clusterId, parsed.manufacturerCode);
  const type = parsed.command === 'report' ? 'attributeReport' : parsed.command === 'readRsp' ? 'readResponse' : `command${parsed.command[0]!.toUpperCase()}${parsed.command.slice(1)}`;
  let data: Record<string, unknown> = {};
  if (parsed.frameType === 'global') {
    for (const record of parsed.payload as { attrId: number; attrData: unknown; status?: number }[]) {
      if (record.status !== undefined && record.status !== 0) continue;
      const attribute = Zcl.Utils.getClusterAttribute(cluster, record.attrId, parsed.manufacturerCode);
      data[attribute ? attribute.name : String(record.attrId)] = record.attrData;
    }
  } else {
    data = parsed.payload;
  }
  const endpoint = herdsmanDevice.getEndpoint(frame.srcEndpoint);
  const msg = {
    type, cluster: cluster.name, data, endpoint, device: herdsmanDevice, linkquality: 200, groupID: 0,
    meta: { zclTransactionSequenceNumber: parsed.tsn, manufacturerCode: parsed.manufacturerCode, frameControl: {} },
  };
  const meta = { device: herdsmanDevice, logger: console, state: {} };
  const state: Record<string, unknown> = {};
  for (const converter of definition.fromZigbee as Loose[]) {
    const clusters = Array.isArray(converter.cluster) ? converter.cluster : [converter.cluster];
    const types = Array.isArray(converter.type) ? converter.type : [converter.type];
    if (!clusters.includes(cluster.name) || !types.includes(type)) continue;
    const result = await converter.convert(definition, msg, () => undefined, options, meta);
    if (result) Object.assign(state, result);
  }
  return state;
}
