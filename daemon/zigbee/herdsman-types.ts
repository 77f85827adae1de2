// The herdsman and converters types this module handles internally. Only files inside
// daemon/zigbee may import this; nothing exported from index.ts mentions these names.
import type { Models, Events } from 'zigbee-herdsman';
import type { Definition } from 'zigbee-herdsman-converters';

export type HerdsmanDevice = Models.Device;
export type HerdsmanEndpoint = Models.Endpoint;
export type HerdsmanGroup = Models.Group;
export type HerdsmanMessage = Events.MessagePayload;
export type ConverterDefinition = Definition;
