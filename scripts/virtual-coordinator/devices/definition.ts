// Simulated Zigbee devices are data: a test can describe any device with these types and
// join it to the virtual coordinator. Nothing here knows about zigbee-herdsman.

/** A ZCL attribute value as the simulated device holds it. */
export type ZclValue = number | bigint | string | boolean | Buffer | number[];

export interface AttributeDefinition {
  /** ZCL data type id, e.g. 0x29 int16, 0x21 uint16, 0x10 boolean, 0x42 char string. */
  type: number;
  value: ZclValue;
  /**
   * Whether the coordinator may write it. When absent, the device's own cluster table decides
   * (e.g. genBasic modelId is read-only, ssIasZone iasCieAddr is writable); unknown attributes
   * are writable.
   */
  writable?: boolean;
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
  command?: {
    id: number;
    payload: number[];
    /** Sent by the device's server cluster (e.g. an IAS zone status change); by its client otherwise. */
    fromServer?: boolean;
  };
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
  /**
   * Content of the Xiaomi 0xFF01 struct (quirk "xiaomi-ff01"), in the order the device sends it.
   * A field either holds its own value (battery mV, counters) or mirrors an attribute.
   */
  xiaomiStruct?: XiaomiStructField[];
}

export interface XiaomiStructField {
  /** Xiaomi tag, e.g. 0x01 battery voltage mV, 0x64 temperature / on-off, 0x98 power. */
  tag: number;
  /** ZCL data type of the value, e.g. 0x21 uint16. */
  type: number;
  /** A constant (changeable at run time with SimulatedDevice.setStructField) ... */
  value?: ZclValue;
  /** ... or the current value of this attribute ... */
  from?: { endpoint: number; cluster: number; attribute: number };
  /** ... multiplied by this (e.g. 10: pressure 0.1 hPa attribute -> Pa in the struct). */
  scale?: number;
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
