// Promise wrappers around the generic gRPC client: the token goes in call metadata (never in a
// URL or a message), every call has a deadline, and errors keep their gRPC status code.
import * as grpc from '@grpc/grpc-js';
import type { HubLanClient } from '../../daemon/lan/index.js';

export type Wire = Record<string, any>;

export class LanCallError extends Error {
  override readonly name = 'LanCallError';
  constructor(
    readonly code: grpc.status,
    readonly details: string,
  ) {
    super(`${grpc.status[code] ?? code}: ${details}`);
  }
}

export function metadataFor(token: string | undefined): grpc.Metadata {
  const metadata = new grpc.Metadata();
  if (token) metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

export function unaryCall(client: HubLanClient, method: string, request: Wire, token?: string, timeoutMs = 60_000): Promise<Wire> {
  return new Promise((resolve, reject) => {
    const fn = client[method];
    if (!fn) return reject(new Error(`no method ${method} in the LAN API`));
    fn.call(client, request, metadataFor(token), { deadline: Date.now() + timeoutMs }, (error: grpc.ServiceError | null, response: Wire) => {
      if (error) reject(new LanCallError(error.code, error.details || error.message));
      else resolve(response);
    });
  });
}

export function watchCall(client: HubLanClient, request: Wire, token?: string): grpc.ClientReadableStream<Wire> {
  return client['WatchEvents']!.call(client, request, metadataFor(token)) as grpc.ClientReadableStream<Wire>;
}
