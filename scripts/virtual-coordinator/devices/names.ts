// Name <-> id resolution for clusters and attributes, over our own cluster table.
// Accepts names ("genOnOff", "onOff"), numbers, and numeric strings ("0x0006", "6").

import { clusterTable, type AttributeInfo } from './cluster-table.js';

const clusterById = new Map<number, string>(Object.entries(clusterTable).map(([name, info]) => [info.id, name]));

function parseNumeric(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^0x[0-9a-f]+$/i.test(trimmed)) return Number.parseInt(trimmed.slice(2), 16);
  if (/^[0-9]+$/.test(trimmed)) return Number.parseInt(trimmed, 10);
  return undefined;
}

function checkUint16(value: number, what: string, input: string | number): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
    throw new Error(`${what} ${JSON.stringify(input)} is not a 16-bit id (0..0xFFFF)`);
  }
  return value;
}

export function resolveCluster(nameOrId: string | number): number {
  if (typeof nameOrId === 'number') return checkUint16(nameOrId, 'cluster', nameOrId);
  const numeric = parseNumeric(nameOrId);
  if (numeric !== undefined) return checkUint16(numeric, 'cluster', nameOrId);
  const info = clusterTable[nameOrId];
  if (!info) {
    const hint = Object.keys(clusterTable).find((name) => name.toLowerCase() === nameOrId.toLowerCase());
    throw new Error(
      `unknown cluster name ${JSON.stringify(nameOrId)}` +
        (hint ? ` (did you mean ${hint}?)` : '; use a known name such as genOnOff or a numeric id like 0x0006'),
    );
  }
  return info.id;
}

export function resolveAttribute(cluster: number, nameOrId: string | number): number {
  return resolveAttributeInfo(cluster, nameOrId).id;
}

/** Like resolveAttribute, also returning the attribute's data type when our table knows it. */
export function resolveAttributeInfo(cluster: number, nameOrId: string | number): { id: number; type?: number; readOnly?: boolean } {
  if (typeof nameOrId === 'number') return knownOrBare(cluster, checkUint16(nameOrId, 'attribute', nameOrId));
  const numeric = parseNumeric(nameOrId);
  if (numeric !== undefined) return knownOrBare(cluster, checkUint16(numeric, 'attribute', nameOrId));
  const clusterName = clusterById.get(cluster);
  const attributes = clusterName ? clusterTable[clusterName]!.attributes : undefined;
  const info = attributes?.[nameOrId];
  if (!info) {
    const where = clusterName ?? `0x${cluster.toString(16).padStart(4, '0')}`;
    const known = attributes && Object.keys(attributes).length > 0
      ? `known: ${Object.keys(attributes).join(', ')}`
      : 'no attribute names known for it; use a numeric id';
    throw new Error(`unknown attribute ${JSON.stringify(nameOrId)} in cluster ${where} (${known})`);
  }
  return info;
}

function knownOrBare(cluster: number, id: number): { id: number; type?: number; readOnly?: boolean } {
  return attributeInfo(cluster, id) ?? { id };
}

export function attributeInfo(cluster: number, attrId: number): AttributeInfo | undefined {
  const clusterName = clusterById.get(cluster);
  if (!clusterName) return undefined;
  return Object.values(clusterTable[clusterName]!.attributes).find((a) => a.id === attrId);
}

export function clusterName(cluster: number): string | undefined {
  return clusterById.get(cluster);
}

export function attributeName(cluster: number, attrId: number): string | undefined {
  const name = clusterById.get(cluster);
  if (!name) return undefined;
  return Object.entries(clusterTable[name]!.attributes).find(([, a]) => a.id === attrId)?.[0];
}
