// The standard gRPC health service (grpc.health.v1.Health) for the LAN listener: "" (the server)
// and the LAN API's service name are SERVING while the hub runs and NOT_SERVING once it stops.
// Watch streams are ended at shutdown after their NOT_SERVING.
import * as grpc from '@grpc/grpc-js';
import { loadSync, type ServiceDefinition } from '@grpc/proto-loader';
import { PROTO_LOADER_OPTIONS, protoRoot } from '../cloud/index.js';
import { HUB_LAN_SERVICE } from './proto.js';

const definition = loadSync('grpc/health/v1/health.proto', { ...PROTO_LOADER_OPTIONS, includeDirs: [protoRoot()] });
export const healthService = definition['grpc.health.v1.Health'] as ServiceDefinition;

type Status = 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';
type Request = { service?: string };
type Response = { status: Status };

export class GrpcHealth {
  private serving = true;
  private readonly watchers = new Set<grpc.ServerWritableStream<Request, Response>>();

  handlers(): grpc.UntypedServiceImplementation {
    return {
      Check: (call: grpc.ServerUnaryCall<Request, Response>, callback: grpc.sendUnaryData<Response>) => {
        const status = this.statusOf(call.request.service ?? '');
        if (status === 'SERVICE_UNKNOWN') callback({ code: grpc.status.NOT_FOUND, details: `unknown service ${JSON.stringify(call.request.service)}` });
        else callback(null, { status });
      },
      Watch: (call: grpc.ServerWritableStream<Request, Response>) => {
        call.write({ status: this.statusOf(call.request.service ?? '') });
        if (!this.serving) return void call.end();
        this.watchers.add(call);
        call.on('cancelled', () => this.watchers.delete(call));
      },
    };
  }

  /** The hub is stopping: tell watchers, then end their streams. */
  shutdown(): void {
    this.serving = false;
    for (const call of this.watchers) {
      call.write({ status: 'NOT_SERVING' });
      call.end();
    }
    this.watchers.clear();
  }

  private statusOf(service: string): Status {
    if (service !== '' && service !== HUB_LAN_SERVICE) return 'SERVICE_UNKNOWN';
    return this.serving ? 'SERVING' : 'NOT_SERVING';
  }
}
