// cloud.proto read with protobufjs from the file alone, for the programs that stand in for
// the other side of the link (the reference cloud, fleet-sim's gateways): nothing from
// daemon/ is imported, so they cross-check the daemon's encoding instead of sharing it.
//
// Messages are plain objects with the .proto's field names (snake_case), 64-bit integers as
// numbers, enums as their names, oneofs named by a virtual field (Event.payload,
// HubMessage.body), absent scalars as their zero value and absent messages as null (except
// oneof members and `optional` fields, which stay absent). Decoded google.protobuf.Struct
// fields arrive as the plain objects they stand for; to send one, give it in its protobuf
// form ({ fields: { key: { stringValue: ... } } }, see toStruct).
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';

const PROTO_FILE = fileURLToPath(new URL('../../proto/zigbee_hubd/cloud/v1/cloud.proto', import.meta.url));
const root = new protobuf.Root().loadSync(PROTO_FILE, { keepCase: true });
const HubMessageType = root.lookupType('zigbee_hubd.cloud.v1.HubMessage');
const CloudMessageType = root.lookupType('zigbee_hubd.cloud.v1.CloudMessage');
const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, enums: String, oneofs: true, defaults: true };

/** A message as a plain object (see the top of this file). */
export type Plain = Record<string, any>;

export type HubLinkServerStream = grpc.ServerDuplexStream<Plain, Plain>;
export type HubLinkClientStream = grpc.ClientDuplexStream<Plain, Plain>;

const encodeHub = (value: Plain) => Buffer.from(HubMessageType.encode(HubMessageType.fromObject(value)).finish());
const decodeHub = (bytes: Buffer) => plainMessage(HubMessageType, HubMessageType.decode(bytes));
const encodeCloud = (value: Plain) => Buffer.from(CloudMessageType.encode(CloudMessageType.fromObject(value)).finish());
const decodeCloud = (bytes: Buffer) => plainMessage(CloudMessageType, CloudMessageType.decode(bytes));

/** HubLink as a service definition, for server.addService() and client constructors. */
export const hubLinkDefinition: grpc.ServiceDefinition = {
  Connect: {
    path: '/zigbee_hubd.cloud.v1.HubLink/Connect',
    requestStream: true,
    responseStream: true,
    requestSerialize: encodeHub,
    requestDeserialize: decodeHub,
    responseSerialize: encodeCloud,
    responseDeserialize: decodeCloud,
  },
};

interface HubLinkClient extends grpc.Client {
  Connect(metadata?: grpc.Metadata, options?: grpc.CallOptions): HubLinkClientStream;
}
const HubLinkClientConstructor = grpc.makeGenericClientConstructor(hubLinkDefinition, 'HubLink') as unknown as new (
  target: string,
  credentials: grpc.ChannelCredentials,
  options?: grpc.ChannelOptions,
) => HubLinkClient;

/** A gateway-side client; each one with `grpc.use_local_subchannel_pool` gets its own connection. */
export function createHubLinkClient(target: string, credentials: grpc.ChannelCredentials, options: grpc.ChannelOptions = {}): HubLinkClient {
  return new HubLinkClientConstructor(target, credentials, options);
}

/** Encoded size of a HubMessage (what the gateway's byte limits count, less gRPC's 5-byte header). */
export function hubMessageBytes(value: Plain): number {
  return encodeHub(value).length;
}

/** A plain object as a google.protobuf.Struct in its protobuf form. */
export function toStruct(object: Record<string, unknown>): Plain {
  const fields: Plain = {};
  for (const [key, value] of Object.entries(object)) if (value !== undefined) fields[key] = toValue(value);
  return { fields };
}

function toValue(value: unknown): Plain {
  if (value === null || value === undefined) return { nullValue: 0 };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(toValue) } };
  return { structValue: toStruct(value as Record<string, unknown>) };
}

function plainMessage(type: protobuf.Type, message: protobuf.Message): Plain {
  return withPlainStructs(type, type.toObject(message, TO_OBJECT));
}

function withPlainStructs(type: protobuf.Type, object: Plain): Plain {
  // A proto3 `optional` field is a synthetic oneof ("_room"); its virtual field says no more than
  // the field's own presence does.
  for (const oneof of type.oneofsArray) if (oneof.name.startsWith('_')) delete object[oneof.name];
  for (const field of type.fieldsArray) {
    const value: unknown = object[field.name];
    if (value === undefined || value === null) continue;
    const resolved = field.resolvedType;
    if (!(resolved instanceof protobuf.Type)) continue;
    const convert = (item: Plain) => (resolved.fullName === '.google.protobuf.Struct' ? structToPlain(item) : withPlainStructs(resolved, item));
    object[field.name] = field.repeated ? (value as Plain[]).map(convert) : convert(value as Plain);
  }
  return object;
}

function structToPlain(struct: Plain): Plain {
  const out: Plain = {};
  for (const [key, value] of Object.entries((struct.fields ?? {}) as Record<string, Plain>)) out[key] = valueToPlain(value);
  return out;
}

function valueToPlain(value: Plain): unknown {
  switch (value.kind) {
    case 'structValue':
      return structToPlain(value.structValue as Plain);
    case 'listValue':
      return ((value.listValue?.values ?? []) as Plain[]).map(valueToPlain);
    case 'numberValue':
      return value.numberValue;
    case 'stringValue':
      return value.stringValue;
    case 'boolValue':
      return value.boolValue;
    default:
      return null;
  }
}
