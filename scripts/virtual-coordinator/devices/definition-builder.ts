// Small helpers that let the catalogue spell devices with cluster and attribute names
// (checked against our cluster table) instead of raw numbers.

import { clusterTable } from './cluster-table.js';
import type { ClusterAttributes, EndpointDefinition, ZclValue } from './definition.js';
import { resolveCluster } from './names.js';

export const HA_PROFILE = 0x0104;
export const GREEN_POWER_PROFILE = 0xa1e0;

/** One cluster's attribute table from names: cluster('genOnOff', { onOff: true }). */
export function cluster(name: string, values: Record<string, ZclValue>): [number, ClusterAttributes] {
  const info = clusterTable[name];
  if (!info) throw new Error(`catalogue: unknown cluster ${name}`);
  const attributes: ClusterAttributes = {};
  for (const [attrName, value] of Object.entries(values)) {
    const attribute = info.attributes[attrName];
    if (!attribute) throw new Error(`catalogue: cluster ${name} has no attribute ${attrName}`);
    attributes[attribute.id] = { type: attribute.type, value };
  }
  return [info.id, attributes];
}

export interface EndpointSpec {
  id: number;
  profileId?: number;
  deviceId: number;
  inClusters: (string | number)[];
  outClusters: (string | number)[];
  attributes?: [number, ClusterAttributes][];
}

export function endpoint(spec: EndpointSpec): EndpointDefinition {
  const definition: EndpointDefinition = {
    id: spec.id,
    profileId: spec.profileId ?? HA_PROFILE,
    deviceId: spec.deviceId,
    inClusters: spec.inClusters.map(resolveCluster),
    outClusters: spec.outClusters.map(resolveCluster),
  };
  if (spec.attributes) definition.attributes = Object.fromEntries(spec.attributes);
  return definition;
}

/** Address of an attribute, for Xiaomi struct fields that mirror it. */
export function attributeRef(endpointId: number, clusterName: string, attributeName: string): { endpoint: number; cluster: number; attribute: number } {
  const info = clusterTable[clusterName]?.attributes[attributeName];
  if (!info) throw new Error(`catalogue: unknown attribute ${clusterName}.${attributeName}`);
  return { endpoint: endpointId, cluster: clusterTable[clusterName]!.id, attribute: info.id };
}
