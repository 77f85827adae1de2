// A platform that sees the wire as bytes: a real gRPC HubLink server on port 0 that records
// the encoded size of every HubMessage it receives, can send CloudMessages it encoded itself
// (a Buffer passes straight through), and plays the platform's part of the protocol: Welcome,
// cumulative acks (which a test can hold back), and re-sending every command without a result
// after each Welcome, as cloud.proto asks.
import * as grpc from '@grpc/grpc-js';
import { decodeEvent } from '../../../daemon/cloud/event-codec.js';
import { hubLinkService } from '../../../daemon/cloud/proto.js';
import type { CloudMessage, HubMessage } from '../../../daemon/cloud/wire.js';
import type { SequencedEvent } from '../../../daemon/domain/events.js';

/** A HubMessage as received, with its size on the wire (protobuf bytes, without gRPC's 5-byte header). */
type Received = HubMessage & { wireBytes: number };
/** The stream as this platform uses it: it may write bytes it encoded itself. */
type ByteCall = grpc.ServerDuplexStream<Received, Buffer | CloudMessage>;

export interface PendingCommand {
  /** The command_id its result will carry. */
  resultId: string;
  /** A CloudMessage, encoded by the test or as an object. */
  message: Buffer | CloudMessage;
}

export class ByteCloud {
  readonly events: SequencedEvent[] = [];
  /** Sizes of the EventBatch messages received, in bytes. */
  readonly batchSizes: number[] = [];
  streams = 0;
  /** Streams the gateway cancelled (what the platform sees when the gateway ends one). */
  cancelled = 0;
  acking = true;
  private readonly pending: PendingCommand[] = [];
  private receivedUpTo = 0;
  private ackedUpTo = 0;
  private call: ByteCall | undefined;
  private readonly watchers = new Set<() => void>();

  private constructor(
    private readonly server: grpc.Server,
    readonly port: number,
  ) {}

  static async start(): Promise<ByteCloud> {
    const original = hubLinkService.Connect!;
    const service = {
      Connect: {
        ...original,
        requestDeserialize: (bytes: Buffer): Received => ({ ...(original.requestDeserialize(bytes) as HubMessage), wireBytes: bytes.length }),
        responseSerialize: (message: Buffer | CloudMessage): Buffer =>
          Buffer.isBuffer(message) ? message : original.responseSerialize(message),
      },
    };
    const server = new grpc.Server();
    let cloud: ByteCloud | undefined;
    server.addService(service as grpc.ServiceDefinition, { Connect: (call: ByteCall) => cloud!.accept(call) });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    cloud = new ByteCloud(server, port);
    return cloud;
  }

  /** Sends now (when a stream is open) and again after every Welcome until its result arrives. */
  sendCommand(command: PendingCommand): void {
    this.pending.push(command);
    this.call?.write(command.message);
  }

  /** Sends on the open stream only, never again. */
  sendOnce(message: Buffer | CloudMessage): void {
    this.call?.write(message);
  }

  setAcking(enabled: boolean): void {
    this.acking = enabled;
    if (enabled) this.ackNow();
  }

  resultFor(resultId: string): SequencedEvent | undefined {
    return this.events.find((e) => e.event.kind === 'command_result' && e.event.commandId === resultId);
  }

  /** Resolves once `check` holds (checked after every received message). */
  waitUntil(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.watchers.delete(watcher);
        reject(new Error(`ByteCloud: not within ${timeoutMs} ms: ${what} (streams ${this.streams}, events ${this.events.length})`));
      }, timeoutMs);
      const watcher = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.watchers.delete(watcher);
        resolve();
      };
      this.watchers.add(watcher);
    });
  }

  stop(): void {
    this.server.forceShutdown();
  }

  private accept(call: ByteCall): void {
    this.streams++;
    this.call = call;
    call.on('data', (message: Received) => this.onMessage(call, message));
    call.on('error', () => undefined);
    call.on('cancelled', () => {
      this.cancelled++;
      for (const watcher of [...this.watchers]) watcher();
    });
    call.on('end', () => call.end());
  }

  private onMessage(call: ByteCall, message: Received): void {
    if (message.hello) {
      this.ackedUpTo = this.receivedUpTo;
      call.write({ welcome: { last_seq_seen: this.receivedUpTo } });
      for (const command of this.pending) {
        if (!this.resultFor(command.resultId)) call.write(command.message);
      }
    } else if (message.events) {
      this.batchSizes.push(message.wireBytes);
      for (const wire of message.events.events ?? []) {
        const event = decodeEvent(wire);
        if (!event || event.seq <= this.receivedUpTo) continue; // a re-sent duplicate
        this.events.push(event);
        this.receivedUpTo = event.seq;
      }
      this.ackNow();
    } else if (message.ping) {
      call.write({ pong: { sent_at_ms: message.ping.sent_at_ms ?? 0 } });
    }
    for (const watcher of [...this.watchers]) watcher();
  }

  private ackNow(): void {
    if (!this.acking || this.receivedUpTo <= this.ackedUpTo) return;
    this.ackedUpTo = this.receivedUpTo;
    this.call?.write({ ack: { up_to_seq: this.ackedUpTo } });
  }
}
