// A real gRPC HubLink server whose behaviour the test scripts message by message - for
// platforms that misbehave in ways the reference cloud never would.
import * as grpc from '@grpc/grpc-js';
import { hubLinkService, type HubLinkServerCall } from '../../../daemon/cloud/proto.js';

export interface ScriptedCloud {
  port: number;
  stop(): void;
}

export async function startScriptedCloud(onCall: (call: HubLinkServerCall) => void): Promise<ScriptedCloud> {
  const server = new grpc.Server();
  server.addService(hubLinkService, { Connect: onCall });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { port, stop: () => server.forceShutdown() };
}
