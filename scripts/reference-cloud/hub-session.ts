// The platform's side of one gateway stream: wait for Hello, answer Welcome with what is
// stored, store and ack incoming events (cumulatively, once per received batch), answer pings,
// and carry commands down. Read this to learn what a platform must do. Messages are decoded
// from the .proto alone (../lib/cloud-proto.ts, ./event-decoder.ts).
import * as grpc from '@grpc/grpc-js';
import type { HubLinkServerStream, Plain } from '../lib/cloud-proto.js';
import { decodeEvent } from './event-decoder.js';
import type { CloudEventStore, StoredEvent } from './event-store.js';
import type { CloudFaults } from './faults.js';

export interface HubSessionOptions {
  call: HubLinkServerStream;
  store: CloudEventStore;
  /** Whether acks are being sent (tests can hold them back). */
  acking: () => boolean;
  /** The fault modes in force (read at each batch, so changes apply to open streams). */
  faults: () => CloudFaults;
  log: (line: string) => void;
  /** Routine lines (a gateway connected); the reference cloud silences them when quiet. */
  trace: (line: string) => void;
  onHello: (session: HubSession) => void;
  onEvent: (event: StoredEvent) => void;
  onEnd: (session: HubSession) => void;
}

/** Hello as received (every field present: absent ones decode as '' or 0). */
export interface GatewayHello {
  gateway_id: string;
  firmware_version: string;
  last_acked_seq: number;
  outbox_epoch: string;
}

export class HubSession {
  gatewayId = '';
  hello: GatewayHello | undefined;
  /** Highest seq received on this stream (or known from before): what an Ack may cover. */
  private receivedUpTo = 0;
  /** Highest seq acked on this stream. */
  private ackedUpTo = 0;
  private blackholed = false;
  private ended = false;
  /** Events received on this stream (duplicates included), for the drop and stall faults. */
  private eventsOnStream = 0;

  constructor(private readonly options: HubSessionOptions) {}

  start(): void {
    const { call } = this.options;
    call.on('data', (message: Plain) => this.onMessage(message));
    // The gateway half-closed: finish the RPC with OK.
    call.on('end', () => {
      this.end();
      if (!call.writableEnded) call.end();
    });
    call.on('error', () => this.end());
    call.on('cancelled', () => this.end());
  }

  get peer(): string {
    return this.options.call.getPeer();
  }

  sendCommand(command: Plain): void {
    this.send({ command });
  }

  /** Acks everything received so far (used when acking is switched back on). */
  ackNow(): void {
    if (this.receivedUpTo > this.ackedUpTo && this.options.acking()) {
      this.ackedUpTo = this.receivedUpTo;
      const ack = { ack: { up_to_seq: this.ackedUpTo } };
      const delay = this.options.faults().ackDelayMs;
      if (delay) setTimeout(() => this.send(ack), delay);
      else this.send(ack);
    }
  }

  /** Stop reading the stream and never answer it again, but keep it open: a stalled platform. */
  stall(): void {
    this.blackholed = true;
    this.options.call.pause();
  }

  /** Ends the stream with a status, as a server going away or cutting a connection would. */
  close(code: grpc.status, details: string): void {
    if (this.ended) return;
    this.options.call.emit('error', { code, details });
    this.end();
  }

  /** Keep the stream open but never read or answer again: a black-holed link. */
  blackhole(): void {
    this.blackholed = true;
  }

  private onMessage(message: Plain): void {
    if (this.blackholed || this.ended) return;
    if (!this.hello) {
      if (!message.hello?.gateway_id) {
        this.close(grpc.status.INVALID_ARGUMENT, 'the first message must be Hello with a gateway_id');
        return;
      }
      this.onHello(message.hello as GatewayHello);
      return;
    }
    if (message.events) this.onEvents(message.events.events as Plain[]);
    else if (message.ping) this.send({ pong: { sent_at_ms: message.ping.sent_at_ms as number } });
  }

  private onHello(hello: GatewayHello): void {
    this.hello = hello;
    this.gatewayId = this.hello.gateway_id;
    const lastSeqSeen = this.options.store.lastSeq(this.gatewayId, this.hello.outbox_epoch);
    this.receivedUpTo = lastSeqSeen;
    // Nothing is acked on this stream yet. The Welcome tells a gateway what is stored, but one
    // that resumes from its own last ack re-sends those events and needs an Ack for them, also
    // when nothing new follows (else it keeps them, and re-sends them, forever).
    this.ackedUpTo = 0;
    this.options.trace(
      `[${this.gatewayId}] connected from ${this.peer} (firmware ${this.hello.firmware_version}, ` +
        `gateway acked ${this.hello.last_acked_seq}, we have ${lastSeqSeen})`,
    );
    this.send({ welcome: { last_seq_seen: lastSeqSeen } });
    this.options.onHello(this);
  }

  private onEvents(events: Plain[]): void {
    const epoch = this.hello!.outbox_epoch;
    const receivedAt = Date.now();
    let fresh: StoredEvent[];
    try {
      // The whole batch is committed before the Ack below is written.
      fresh = this.options.store.transaction(() => this.storeBatch(epoch, receivedAt, events));
    } catch (error) {
      // Nothing of the batch is stored, so nothing is acked: the gateway re-sends it on its next stream.
      this.options.log(`[${this.gatewayId}] could not store a batch of ${events.length}: ${error instanceof Error ? error.message : String(error)}`);
      this.close(grpc.status.UNAVAILABLE, 'reference cloud: could not store events');
      return;
    }
    this.receivedUpTo = Math.max(this.receivedUpTo, ...events.map((wire) => Number(wire.seq)));
    for (const entry of fresh) this.options.onEvent(entry);
    // One cumulative ack per batch: cheap for both sides, and it covers duplicates too.
    this.ackNow();
    this.eventsOnStream += events.length;
    const { dropAfterEvents, stallAfterEvents } = this.options.faults();
    if (dropAfterEvents && this.eventsOnStream >= dropAfterEvents) {
      this.options.log(`[${this.gatewayId}] fault: dropping the stream after ${this.eventsOnStream} events`);
      // After the ack above is written: the gateway gets it, then the stream ends.
      setImmediate(() => this.close(grpc.status.UNAVAILABLE, 'reference cloud fault: dropped after N events'));
    } else if (stallAfterEvents && this.eventsOnStream >= stallAfterEvents) {
      this.options.log(`[${this.gatewayId}] fault: stalling the stream after ${this.eventsOnStream} events`);
      this.stall();
      this.end();
    }
  }

  /** Stores a batch's new events (in the caller's transaction); returns the readable ones stored. */
  private storeBatch(epoch: string, receivedAt: number, events: Plain[]): StoredEvent[] {
    const fresh: StoredEvent[] = [];
    let upTo = this.receivedUpTo;
    for (const wire of events) {
      const seq = Number(wire.seq);
      const entry = { gatewayId: this.gatewayId, epoch, seq, at: Number(wire.at_ms), receivedAt };
      if (seq <= upTo) {
        // At-least-once delivery: a re-sent event we already have. Counted, not stored.
        this.options.store.accept({ ...entry, at: 0, event: undefined });
        continue;
      }
      upTo = seq;
      const event = decodeEvent(wire);
      if (!event) this.options.log(`[${this.gatewayId} #${seq}] event with an unknown payload (newer gateway?)`);
      if (this.options.store.accept({ ...entry, event }) && event) fresh.push({ ...entry, event });
    }
    return fresh;
  }

  private send(message: Plain): void {
    if (this.ended || this.blackholed) return;
    this.options.call.write(message);
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.options.onEnd(this);
  }
}
