// One gateway stream as the fuzzing platform sees it: the reference cloud's protocol
// (Hello -> Welcome, store, cumulative Ack per batch, Pong), plus what a hostile or buggy
// platform may do on top (any Welcome or Ack value, held acks).
import * as grpc from '@grpc/grpc-js';
import { decodeEvent } from '../../daemon/cloud/event-codec.js';
import type { HubLinkServerCall } from '../../daemon/cloud/proto.js';
import type { CloudMessage, HubMessage, WireEvent } from '../../daemon/cloud/wire.js';
import type { CloudEventStore, StoredEvent } from '../reference-cloud/event-store.js';

export interface PlatformSessionOptions {
  call: HubLinkServerCall;
  store: CloudEventStore;
  acking: () => boolean;
  /** last_seq_seen for this stream's Welcome instead of the stored cursor (taken once). */
  takeWelcomeOverride: () => number | undefined;
  onHello: (session: PlatformSession) => void;
  onEvent: (event: StoredEvent) => void;
  onEnd: (session: PlatformSession, why: string) => void;
}

export class PlatformSession {
  gatewayId = '';
  epoch = '';
  helloSeen = false;
  /** Highest seq received on this stream (or known from before). */
  receivedUpTo = 0;
  private ended = false;

  constructor(private readonly o: PlatformSessionOptions) {}

  start(): void {
    const { call } = this.o;
    call.on('data', (message: HubMessage) => this.onMessage(message));
    call.on('end', () => {
      this.end('the hub half-closed the stream');
      if (!call.writableEnded) call.end();
    });
    call.on('error', (error: Error) => this.end(`stream error: ${error.message}`));
    call.on('cancelled', () => this.end('the hub cancelled the stream'));
  }

  send(message: CloudMessage): void {
    if (this.ended) return;
    try {
      this.o.call.write(message);
    } catch (error) {
      // Encoding failed on our side (e.g. a Struct protobufjs cannot encode): not the hub's fault.
      this.end(`platform could not encode a message: ${(error as Error).message}`);
    }
  }

  ackNow(): void {
    if (this.o.acking()) this.send({ ack: { up_to_seq: this.receivedUpTo } });
  }

  close(code: grpc.status, details: string): void {
    if (this.ended) return;
    this.o.call.emit('error', { code, details });
    this.end(`closed by the platform: ${details}`);
  }

  /** Stop reading the stream (a slow platform): HTTP/2 flow control then holds the hub's writes. */
  pause(): void {
    this.o.call.pause();
  }

  resume(): void {
    this.o.call.resume();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  private onMessage(message: HubMessage): void {
    if (this.ended) return;
    if (!this.helloSeen) {
      if (!message.hello?.gateway_id) {
        this.close(grpc.status.INVALID_ARGUMENT, 'the first message must be Hello with a gateway_id');
        return;
      }
      this.helloSeen = true;
      this.gatewayId = message.hello.gateway_id;
      this.epoch = message.hello.outbox_epoch ?? '';
      const stored = this.o.store.lastSeq(this.gatewayId, this.epoch);
      const override = this.o.takeWelcomeOverride();
      this.receivedUpTo = stored;
      this.send({ welcome: { last_seq_seen: override ?? stored } });
      this.o.onHello(this);
      return;
    }
    if (message.events) this.onEvents(message.events.events ?? []);
    else if (message.ping) this.send({ pong: { sent_at_ms: message.ping.sent_at_ms ?? 0 } });
  }

  private onEvents(events: WireEvent[]): void {
    const receivedAt = Date.now();
    for (const wire of events) {
      const seq = wire.seq ?? 0;
      const decoded = decodeEvent(wire);
      if (seq <= this.receivedUpTo) {
        this.o.store.accept({ gatewayId: this.gatewayId, epoch: this.epoch, seq, at: 0, receivedAt, event: undefined });
        continue;
      }
      this.receivedUpTo = seq;
      const entry = { gatewayId: this.gatewayId, epoch: this.epoch, seq, at: wire.at_ms ?? 0, receivedAt, event: decoded?.event };
      if (this.o.store.accept(entry) && decoded) this.o.onEvent({ ...entry, event: decoded.event });
    }
    this.ackNow();
  }

  private end(why: string): void {
    if (this.ended) return;
    this.ended = true;
    this.o.onEnd(this, why);
  }
}
