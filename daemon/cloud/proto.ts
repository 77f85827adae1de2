// Loads proto/zigbee_hubd/cloud/v1/cloud.proto once, with explicit options, and exposes the
// HubLink service definition plus a client constructor. Both the gateway (daemon/cloud) and
// the reference cloud (scripts/reference-cloud) use this, so they always agree on encoding.
//
// Loader options (the shape of every decoded message follows from them, see wire.ts):
// - keepCase: true   field names exactly as in the .proto (snake_case: gateway_id, at_ms).
//                    Exception: google.protobuf.Struct/Value come from protobufjs' bundled
//                    definitions, whose names are camelCase (numberValue, boolValue, ...).
// - longs: Number    uint64/int64 (seq, *_ms) decode as JS numbers; they stay below 2^53.
// - enums: String    enum values decode as their names ('INTERVIEW_STATUS_SUCCESSFUL').
// - defaults: true   absent scalars decode as their zero value ('' / 0 / false / []),
//                    except members of a oneof and proto3 `optional` fields, which stay absent.
// - oneofs: true     each oneof gets a virtual field naming the member that is set
//                    (HubMessage.body = 'hello' | 'events' | 'ping').
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { loadSync, type ServiceDefinition } from '@grpc/proto-loader';
import type { CloudMessage, HubMessage } from './wire.js';

export const CLOUD_PROTO_FILE = 'zigbee_hubd/cloud/v1/cloud.proto';
export const HUB_LINK_SERVICE = 'zigbee_hubd.cloud.v1.HubLink';

export const PROTO_LOADER_OPTIONS = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
} as const;

/** The repository's proto/ folder, found from this file whether run from source or dist/. */
export function protoRoot(): string {
  for (const relative of ['../../proto/', '../../../proto/']) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(dir + CLOUD_PROTO_FILE)) return dir;
  }
  throw new Error(`cannot find ${CLOUD_PROTO_FILE} near ${fileURLToPath(import.meta.url)}`);
}

const packageDefinition = loadSync(CLOUD_PROTO_FILE, { ...PROTO_LOADER_OPTIONS, includeDirs: [protoRoot()] });

/** Service definition for server.addService(). */
export const hubLinkService = packageDefinition[HUB_LINK_SERVICE] as ServiceDefinition;

/** The bidi stream as the gateway sees it. */
export type HubLinkCall = grpc.ClientDuplexStream<HubMessage, CloudMessage>;
/** The bidi stream as the platform sees it. */
export type HubLinkServerCall = grpc.ServerDuplexStream<HubMessage, CloudMessage>;

export interface HubLinkClient extends grpc.Client {
  Connect(metadata: grpc.Metadata, options?: grpc.CallOptions): HubLinkCall;
}

/** Plain protobuf decoding of a CloudMessage; throws on bytes it cannot decode. */
export const decodeCloudMessageBytes = hubLinkService.Connect!.responseDeserialize as (bytes: Buffer) => CloudMessage;

const HubLinkClientConstructor = grpc.makeGenericClientConstructor(hubLinkService, 'HubLink');

/**
 * `decode` replaces the plain CloudMessage decoding (the gateway's link passes one that never
 * throws: a throwing decoder ends the stream with INTERNAL).
 */
export function createHubLinkClient(
  target: string,
  credentials: grpc.ChannelCredentials,
  options: grpc.ChannelOptions = {},
  decode?: (bytes: Buffer) => CloudMessage,
): HubLinkClient {
  const Constructor = decode
    ? grpc.makeGenericClientConstructor({ Connect: { ...hubLinkService.Connect!, responseDeserialize: decode } }, 'HubLink')
    : HubLinkClientConstructor;
  return new Constructor(target, credentials, options) as unknown as HubLinkClient;
}
