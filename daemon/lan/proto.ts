// Loads proto/zigbee_hubd/lan/v1/lan.proto once, with the cloud link's loader options (so the
// shared Event and Struct messages decode the same way), for the hub's server and for hubctl.
import * as grpc from '@grpc/grpc-js';
import { loadSync, type ServiceDefinition } from '@grpc/proto-loader';
import { PROTO_LOADER_OPTIONS, protoRoot } from '../cloud/index.js';

export const LAN_PROTO_FILE = 'zigbee_hubd/lan/v1/lan.proto';
export const HUB_LAN_SERVICE = 'zigbee_hubd.lan.v1.HubLan';

const packageDefinition = loadSync(LAN_PROTO_FILE, { ...PROTO_LOADER_OPTIONS, includeDirs: [protoRoot()] });

export const hubLanService = packageDefinition[HUB_LAN_SERVICE] as ServiceDefinition;

/** Unary calls take (request, metadata, options, callback); WatchEvents returns a readable stream. */
export type HubLanClient = grpc.Client & Record<string, (...args: unknown[]) => unknown>;

const HubLanClientConstructor = grpc.makeGenericClientConstructor(hubLanService, 'HubLan');

export function createHubLanClient(target: string, credentials: grpc.ChannelCredentials, options: grpc.ChannelOptions = {}): HubLanClient {
  return new HubLanClientConstructor(target, credentials, options) as unknown as HubLanClient;
}
