// A LAN watcher that receives WatchEvents frames as raw bytes and decodes only the ones asked
// for: the bench's 20 watchers share this process's cores with the daemon, and decoding every
// frame for all of them would measure the bench, not the hub.
import * as grpc from '@grpc/grpc-js';
import { hubLanService, type HubLanClient } from '../../../daemon/lan/index.js';
import { metadataFor } from '../../hubctl/calls.js';

type Wire = Record<string, any>;

const method = hubLanService['WatchEvents']!;

export function watchFrames(client: HubLanClient, request: Wire, token: string): grpc.ClientReadableStream<Buffer> {
  return (client as grpc.Client).makeServerStreamRequest(method.path, method.requestSerialize, (bytes: Buffer) => bytes, request, metadataFor(token));
}

export function decodeFrame(bytes: Buffer): Wire {
  return method.responseDeserialize(bytes) as Wire;
}
