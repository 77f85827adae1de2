// A platform written from proto/zigbee_hubd/cloud/v1/cloud.proto alone: protobufjs loads the
// .proto file and decodes every message (scripts/lib/cloud-proto.ts, shared with the reference
// cloud and fleet-sim); nothing from daemon/ is imported. Tests use it to prove
// that what the gateway sends means what the .proto says (full state, snapshots, reads, status),
// and to misbehave the way a rolling deploy does (drop every stream after a few events).
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import { hubLinkDefinition, toStruct, type Plain } from '../../../scripts/lib/cloud-proto.js';

export type { Plain };

/** An event as this platform stores it: the Event message, `payload` names the oneof member. */
export interface ReceivedEvent extends Plain {
  seq: number;
  at_ms: number;
  payload: string;
  epoch: string;
}

export interface ProtoOnlyCloudOptions {
  /** End every stream (UNAVAILABLE) once it has delivered this many events (after acking them). */
  dropAfterEvents?: number;
}

export class ProtoOnlyCloud {
  /** De-duplicated by (epoch, seq), in arrival order. */
  readonly events: ReceivedEvent[] = [];
  /** Every event received, duplicates included, with the stream it came on. */
  readonly arrivals: Array<{ seq: number; stream: number }> = [];
  streams = 0;
  private readonly lastSeq = new Map<string, number>();
  private readonly open = new Set<grpc.ServerDuplexStream<Plain, Plain>>();
  private readonly notify = new EventEmitter();

  private constructor(
    private readonly server: grpc.Server,
    readonly port: number,
    private readonly options: ProtoOnlyCloudOptions,
  ) {
    this.notify.setMaxListeners(0);
  }

  static async start(options: ProtoOnlyCloudOptions = {}): Promise<ProtoOnlyCloud> {
    const server = new grpc.Server();
    let cloud: ProtoOnlyCloud | undefined;
    server.addService(hubLinkDefinition, { Connect: (call: grpc.ServerDuplexStream<Plain, Plain>) => cloud!.accept(call) });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    cloud = new ProtoOnlyCloud(server, port, options);
    return cloud;
  }

  /** Events whose payload is `payload`, in order. */
  of(payload: string): ReceivedEvent[] {
    return this.events.filter((event) => event.payload === payload);
  }

  waitForEvent(predicate: (event: ReceivedEvent) => boolean, timeoutMs = 20_000): Promise<ReceivedEvent> {
    const found = this.events.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const listener = (event: ReceivedEvent) => {
        if (!predicate(event)) return;
        clearTimeout(timer);
        this.notify.off('event', listener);
        resolve(event);
      };
      const timer = setTimeout(() => {
        this.notify.off('event', listener);
        reject(new Error(`proto-only cloud: no matching event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.notify.on('event', listener);
    });
  }

  /** Sends a Command (action given as in the .proto, e.g. { read_state: {...} }) on every open stream. */
  async command(action: Plain, timeoutMs = 20_000): Promise<Plain> {
    const id = randomUUID();
    const result = this.waitForEvent((event) => event.payload === 'command_result' && event['command_result'].command_id === id, timeoutMs);
    for (const call of this.open) call.write({ command: { id, ...encodeStructs(action) } });
    return (await result)['command_result'];
  }

  /** Ends every open stream with UNAVAILABLE (a platform replica going away). */
  dropAll(): void {
    for (const call of [...this.open]) {
      this.open.delete(call);
      call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'proto-only cloud: dropped' });
    }
  }

  async stop(): Promise<void> {
    this.server.forceShutdown();
  }

  private accept(call: grpc.ServerDuplexStream<Plain, Plain>): void {
    const stream = ++this.streams;
    let epoch: string | undefined;
    let received = 0;
    let ended = false;
    const end = () => {
      ended = true;
      this.open.delete(call);
    };
    call.on('data', (message: Plain) => {
      if (ended) return;
      if (message['hello']) {
        const helloEpoch: string = message['hello'].outbox_epoch ?? '';
        epoch = helloEpoch;
        this.open.add(call);
        call.write({ welcome: { last_seq_seen: this.lastSeq.get(helloEpoch) ?? 0 } });
      } else if (message['ping']) {
        call.write({ pong: { sent_at_ms: message['ping'].sent_at_ms ?? 0 } });
      } else if (message['events'] && epoch !== undefined) {
        const batch: ReceivedEvent[] = message['events'].events ?? [];
        for (const event of batch) this.store(epoch, stream, event);
        received += batch.length;
        call.write({ ack: { up_to_seq: batch[batch.length - 1]!.seq } });
        const limit = this.options.dropAfterEvents;
        if (limit !== undefined && received >= limit) {
          end();
          call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'proto-only cloud: dropping the stream' });
        }
      }
    });
    call.on('end', () => {
      end();
      if (!call.writableEnded) call.end();
    });
    call.on('error', end);
    call.on('cancelled', end);
  }

  private store(epoch: string, stream: number, event: ReceivedEvent): void {
    this.arrivals.push({ seq: event.seq, stream });
    if (event.seq <= (this.lastSeq.get(epoch) ?? 0)) return;
    this.lastSeq.set(epoch, event.seq);
    const stored = { ...event, epoch };
    this.events.push(stored);
    this.notify.emit('event', stored);
  }
}

/** Keys named `state` holding plain objects become Structs, as the .proto declares them. */
function encodeStructs(value: Plain): Plain {
  const out: Plain = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === 'state' && item && typeof item === 'object') out[key] = toStruct(item as Plain);
    else if (item && typeof item === 'object' && !Array.isArray(item)) out[key] = encodeStructs(item as Plain);
    else out[key] = item;
  }
  return out;
}
