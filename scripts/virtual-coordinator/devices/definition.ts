// Simulated Zigbee devices are data: a test can describe any device with these types and
// join it to the virtual coordinator. Nothing here knows about zigbee-herdsman.

/** A ZCL attribute value as the simulated device holds it. */
export type ZclValue = number | bigint | string | boolean | Buffer | number[];

export interface AttributeDefinition {
  /** ZCL data type id, e.g. 0x29 int16, 0x21 uint16, 0x10 boolean, 0x42 char string. */
  type: number;
  value: ZclValue;
}

/** Server-side attributes of one cluster on one endpoint, keyed by attribute id. */
export type ClusterAttributes = Record<number, AttributeDefinition>;

export interface EndpointDefinition {
  id: number;
  profileId: number;
  deviceId: number;
  inClusters: number[];
  outClusters: number[];
  /** Attribute tables of the endpoint's server (in) clusters, keyed by cluster id. */
  attributes?: Record<number, ClusterAttributes>;
}

/** A report the device sends by itself, like a sensor's periodic measurement. */
export interface SpontaneousReport {
  endpoint: number;
  cluster: number;
  attributes: number[];
  intervalMs: number;
}

/** What one named button action sends (`press` on the control port). */
export interface ButtonAction {
  endpoint: number;
  cluster: number;
  /** An attribute report of these values ... */
  attributes?: Record<number, AttributeDefinition>;
  /** ... or a cluster-specific command sent to the coordinator. */
  command?: { id: number; payload: number[] };
}

export interface DeviceDefinition {
  /** Catalogue id, e.g. "aqara-weather". */
  id: string;
  description: string;
  /** 64-bit address as "0x" + 16 hex digits; assigned by the network when absent. */
  ieee?: string;
  /** 16-bit network address; assigned by the network when absent. */
  nwk?: number;
  logicalType: 'router' | 'enddevice';
  manufacturerCode: number;
  powerSource: 'mains' | 'battery';
  endpoints: EndpointDefinition[];
  reports?: SpontaneousReport[];
  actions?: Record<string, ButtonAction>;
  /** Sleepy end devices answer only after this delay (their next poll). */
  pollDelayMs?: number;
  /** Named extra behaviour implemented in code, e.g. "xiaomi-ff01" for Xiaomi's struct report. */
  quirks?: string[];
}

/** A ZCL frame between the coordinator and a simulated device (data = the whole ZCL frame). */
export interface ZclFrame {
  /** Endpoint on the sender's side. */
  srcEndpoint: number;
  /** Endpoint on the receiver's side. */
  dstEndpoint: number;
  clusterId: number;
  data: Buffer;
  /** Set when the frame was sent to a group rather than to the device. */
  groupId?: number;
}
