// The device's current attribute values, per endpoint and cluster, seeded from its definition.

import type { DeviceDefinition, ZclValue } from './definition.js';
import { attributeInfo } from './names.js';
import { encodeValue } from './zcl/values.js';

export interface StoredAttribute {
  type: number;
  value: ZclValue;
  writable: boolean;
}

export class AttributeStore {
  private readonly values = new Map<string, Map<number, StoredAttribute>>();

  constructor(definition: DeviceDefinition) {
    for (const endpoint of definition.endpoints) {
      for (const [cluster, attributes] of Object.entries(endpoint.attributes ?? {})) {
        for (const [attrId, attribute] of Object.entries(attributes)) {
          const clusterId = Number(cluster);
          const id = Number(attrId);
          const known = attributeInfo(clusterId, id);
          this.table(endpoint.id, clusterId).set(id, {
            type: attribute.type,
            value: copy(attribute.value),
            writable: attribute.writable ?? !(known?.readOnly ?? false),
          });
        }
      }
    }
  }

  private table(endpoint: number, cluster: number): Map<number, StoredAttribute> {
    const key = `${endpoint}/${cluster}`;
    let table = this.values.get(key);
    if (!table) {
      table = new Map();
      this.values.set(key, table);
    }
    return table;
  }

  get(endpoint: number, cluster: number, attrId: number): StoredAttribute | undefined {
    return this.values.get(`${endpoint}/${cluster}`)?.get(attrId);
  }

  /** Attribute ids of one cluster, ascending. */
  ids(endpoint: number, cluster: number): number[] {
    return [...(this.values.get(`${endpoint}/${cluster}`)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /**
   * Sets a value; returns true when it changed. An attribute the definition did not list is
   * created, with its type from `type` or our cluster table.
   */
  set(endpoint: number, cluster: number, attrId: number, value: ZclValue, type?: number): boolean {
    const table = this.table(endpoint, cluster);
    const existing = table.get(attrId);
    const known = existing ? undefined : attributeInfo(cluster, attrId);
    const resolvedType = existing?.type ?? type ?? known?.type;
    const where = `attribute 0x${attrId.toString(16)} of cluster 0x${cluster.toString(16)} on endpoint ${endpoint}`;
    if (resolvedType === undefined) throw new Error(`${where} is unknown; give its type`);
    // Refuse a value the attribute cannot carry now, rather than fail later in every read/report.
    try {
      encodeValue(resolvedType, value);
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
    }
    if (!existing) {
      table.set(attrId, { type: resolvedType, value: copy(value), writable: !(known?.readOnly ?? false) });
      return true;
    }
    if (sameValue(existing.value, value)) return false;
    existing.value = copy(value);
    return true;
  }
}

export function sameValue(a: ZclValue, b: ZclValue): boolean {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  // booleans and 0/1 are the same ZCL value
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) === Number(b);
  return a === b;
}

function copy(value: ZclValue): ZclValue {
  if (Buffer.isBuffer(value)) return Buffer.from(value);
  if (Array.isArray(value)) return [...value];
  return value;
}
