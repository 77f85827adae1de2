// One simulated gateway: the gateway side of cloud.proto written from the .proto alone (no
// daemon code), with the daemon's delivery rules: an outbox in memory with strictly increasing
// seqs under one outbox epoch, Hello with the last acked seq, resume after
// max(last acked, Welcome.last_seq_seen), batches of at most 200 events, at most 1000 in flight,
// nothing forgotten before a cumulative Ack covers it, Ping every 10 s, and reconnects with
// exponential backoff and jitter that starts over after acked progress.
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { createHubLinkClient, toStruct, type HubLinkClientStream, type Plain } from '../lib/cloud-proto.js';

export interface GatewayOptions {
  id: string;
  target: string;
  /** Resume from our own last ack, ignoring Welcome: an older at-least-once gateway (it re-sends what the cloud has). */
  ignoreWelcome: boolean;
  random: () => number;
  maxBatch?: number;
  maxInFlight?: number;
  pingIntervalMs?: number;
}

interface OutboxEvent {
  seq: number;
  at_ms: number;
  body: Plain;
}

const BACKOFF_INITIAL_MS = 500;
const BACKOFF_MAX_MS = 60_000;

export class SimulatedGateway {
  readonly id: string;
  readonly epoch = randomUUID();
  /** Every seq committed so far (the outbox's high-water mark). */
  lastSeq = 0;
  lastAcked = 0;
  connected = false;
  connects = 0;
  /** Streams that ended other than by stop(): drops by either side. */
  disconnects = 0;
  /** Events sent including re-sends. */
  sent = 0;
  private outbox: OutboxEvent[] = [];
  private sentUpTo = 0;
  private call: HubLinkClientStream | undefined;
  private welcomed = false;
  private backoffMs = BACKOFF_INITIAL_MS;
  private ackedOnStream = false;
  private retry: NodeJS.Timeout | undefined;
  private ping: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly client;

  constructor(private readonly options: GatewayOptions) {
    this.id = options.id;
    // Its own subchannel pool: one TCP connection per gateway, as a fleet has, not one shared.
    this.client = createHubLinkClient(options.target, grpc.credentials.createInsecure(), {
      'grpc.use_local_subchannel_pool': 1,
      'grpc.max_receive_message_length': 16 * 1024 * 1024,
    });
  }

  /** Commits a new event (its payload made for its seq) to the outbox and sends it if the stream allows. */
  commit(payload: (seq: number) => Plain): void {
    const seq = ++this.lastSeq;
    this.outbox.push({ seq, at_ms: Date.now(), body: payload(seq) });
    this.flush();
  }

  /** Everything committed is acknowledged. */
  drained(): boolean {
    return this.lastAcked >= this.lastSeq;
  }

  /** Where this gateway's delivery stands, for a report of one that did not drain. */
  describe(): string {
    const stream = this.call ? (this.welcomed ? 'streaming' : 'waiting for Welcome') : this.retry ? 'waiting to reconnect' : 'no stream, no retry';
    return `${this.id}: committed ${this.lastSeq}, acked ${this.lastAcked}, sent up to ${this.sentUpTo}, ${stream}, ${this.connects} connects`;
  }

  connect(): void {
    if (this.stopped || this.call) return;
    this.retry = undefined;
    this.welcomed = false;
    this.ackedOnStream = false;
    const call = this.client.Connect(new grpc.Metadata());
    this.call = call;
    call.on('data', (message: Plain) => this.onMessage(call, message));
    call.on('error', () => this.onEnded(call));
    call.on('end', () => this.onEnded(call));
    call.write({ hello: { gateway_id: this.id, firmware_version: 'fleet-sim', last_acked_seq: this.lastAcked, outbox_epoch: this.epoch } });
  }

  /** Cuts the stream from this side (a flaky uplink); the gateway reconnects after its backoff. */
  drop(): void {
    this.call?.cancel();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.ping);
    this.call?.cancel();
    this.client.close();
  }

  private onMessage(call: HubLinkClientStream, message: Plain): void {
    if (call !== this.call) return;
    if (message.welcome) {
      const seen = Number(message.welcome.last_seq_seen);
      this.connected = true;
      this.welcomed = true;
      this.connects++;
      // What the cloud has is delivered: forget it (as the daemon does), unless this gateway
      // resumes from its own last ack regardless.
      if (!this.options.ignoreWelcome) this.acknowledge(Math.min(seen, this.lastSeq));
      this.sentUpTo = this.lastAcked;
      this.ping = setInterval(() => call.write({ ping: { sent_at_ms: Date.now() } }), this.options.pingIntervalMs ?? 10_000);
      this.flush();
    } else if (message.ack) {
      const upTo = Number(message.ack.up_to_seq);
      if (upTo > this.lastAcked) this.ackedOnStream = true;
      this.acknowledge(Math.min(upTo, this.sentUpTo));
      this.flush();
    }
  }

  private acknowledge(upTo: number): void {
    if (upTo <= this.lastAcked) return;
    this.lastAcked = upTo;
    let drop = 0;
    while (drop < this.outbox.length && this.outbox[drop]!.seq <= upTo) drop++;
    this.outbox = this.outbox.slice(drop);
  }

  /** Sends what is pending, in batches, within the in-flight window. */
  private flush(): void {
    const call = this.call;
    if (!call || !this.welcomed) return;
    const maxBatch = this.options.maxBatch ?? 200;
    const maxInFlight = this.options.maxInFlight ?? 1000;
    for (;;) {
      const room = maxInFlight - (this.sentUpTo - this.lastAcked);
      const start = this.outbox.findIndex((event) => event.seq > this.sentUpTo);
      if (room <= 0 || start < 0) return;
      const batch = this.outbox.slice(start, start + Math.min(maxBatch, room));
      call.write({ events: { events: batch.map(({ seq, at_ms, body }) => ({ seq, at_ms, ...body })) } });
      this.sentUpTo = batch[batch.length - 1]!.seq;
      this.sent += batch.length;
    }
  }

  private onEnded(call: HubLinkClientStream): void {
    if (call !== this.call) return;
    this.call = undefined;
    this.connected = false;
    clearInterval(this.ping);
    if (this.stopped) return;
    this.disconnects++;
    // Delivered progress proves the platform works: start the backoff over (as the daemon does).
    if (this.ackedOnStream) this.backoffMs = BACKOFF_INITIAL_MS;
    const delay = this.backoffMs * (0.5 + this.options.random());
    this.backoffMs = Math.min(this.backoffMs * 2, BACKOFF_MAX_MS);
    this.retry = setTimeout(() => this.connect(), delay);
  }
}

/** A realistic report: a sensor's full state, with the seq inside so content can be checked. */
export function sensorReport(ieee: string, seq: number, random: () => number): Plain {
  const state = {
    temperature: Math.round((18 + random() * 8) * 100) / 100,
    humidity: Math.round(30 + random() * 40),
    battery: 90,
    linkquality: Math.round(random() * 255),
    n: seq,
  };
  return { state_changed: { ieee, state: toStruct(state), changed: ['temperature', 'humidity'] } };
}
