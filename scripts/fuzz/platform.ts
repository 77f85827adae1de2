// The platform side of the cloud link for the fuzzer: a gRPC server with default limits (as
// every gRPC stack has: 4 MiB receive), which can send anything the .proto allows, including
// odd Acks, Welcomes and commands, and re-sends unanswered commands after each reconnect as
// the .proto asks platforms to do.
import { waitForEvent } from '../lib/wait-for-event.js';
import { resultIdFor } from './platform/result-id.js';
import { EventEmitter } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import { hubLinkService, type HubLinkServerCall } from '../../daemon/cloud/proto.js';
import type { CloudMessage, WireCommand } from '../../daemon/cloud/wire.js';
import { CloudEventStore, type StoredEvent } from '../reference-cloud/event-store.js';
import { withDeepSerializer } from './deep-serializer.js';
import { PlatformSession } from './platform-session.js';

export class FuzzPlatform {
  readonly store = new CloudEventStore();
  /** Why each stream ended, in order (the hub reconnects after each). */
  readonly streamEnds: string[] = [];
  connections = 0;
  private session: PlatformSession | undefined;
  private acking = true;
  private welcomeOverride: number | undefined;
  private readonly outstanding = new Map<string, WireCommand>();
  private readonly notifications = new EventEmitter();

  private constructor(
    private readonly server: grpc.Server,
    readonly port: number,
  ) {
    this.notifications.setMaxListeners(0);
  }

  static async start(): Promise<FuzzPlatform> {
    const server = new grpc.Server();
    let platform: FuzzPlatform | undefined;
    server.addService(withDeepSerializer(hubLinkService), { Connect: (call: HubLinkServerCall) => platform!.accept(call) });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    platform = new FuzzPlatform(server, port);
    return platform;
  }

  /** Highest seq the open stream has received (what an honest Ack may cover); 0 without a stream. */
  get receivedUpTo(): number {
    return this.session?.receivedUpTo ?? 0;
  }

  /** The outbox epoch of the open stream. */
  get epoch(): string {
    return this.session?.epoch ?? '';
  }

  get connected(): boolean {
    return this.session !== undefined && !this.session.isEnded;
  }

  /** Sends a command now and again after every reconnect until its result arrives or it is retired. */
  sendCommand(command: WireCommand): void {
    this.outstanding.set(resultIdFor(command.id ?? ''), command);
    this.session?.send({ command });
  }

  /** Stop re-sending a command (the case that sent it is over). */
  retire(id: string): void {
    this.outstanding.delete(resultIdFor(id));
  }

  /** Anything else a platform may send on the open stream (Ack, an extra Welcome, ...). */
  sendRaw(message: CloudMessage): void {
    this.session?.send(message);
  }

  setAcking(enabled: boolean): void {
    this.acking = enabled;
    if (enabled) this.session?.ackNow();
  }

  /** A slow platform: stop reading the open stream until resumeReading(). */
  pauseReading(): void {
    this.session?.pause();
  }

  resumeReading(): void {
    this.session?.resume();
  }

  /** The next stream's Welcome says this instead of what is stored. */
  overrideNextWelcome(lastSeqSeen: number): void {
    this.welcomeOverride = lastSeqSeen;
  }

  dropStream(): void {
    this.session?.close(grpc.status.UNAVAILABLE, 'dropped by the fuzzer');
  }

  events(gatewayId: string): StoredEvent[] {
    return this.store.events(gatewayId);
  }

  waitForEvent(predicate: (event: StoredEvent) => boolean, timeoutMs: number): Promise<StoredEvent> {
    const existing = this.store.all().find(predicate);
    if (existing) return Promise.resolve(existing);
    return this.waitFor('event', predicate, timeoutMs, 'an event');
  }

  waitForConnection(timeoutMs: number): Promise<void> {
    if (this.connected && this.session!.helloSeen) return Promise.resolve();
    return this.waitFor('hello', () => true, timeoutMs, 'the hub to connect').then(() => undefined);
  }

  async stop(): Promise<void> {
    this.server.forceShutdown();
  }

  private accept(call: HubLinkServerCall): void {
    this.connections++;
    const session = new PlatformSession({
      call,
      store: this.store,
      acking: () => this.acking,
      takeWelcomeOverride: () => {
        const value = this.welcomeOverride;
        this.welcomeOverride = undefined;
        return value;
      },
      onHello: (s) => {
        if (this.session && this.session !== s) this.session.close(grpc.status.ABORTED, 'superseded by a newer stream');
        this.session = s;
        for (const command of this.outstanding.values()) s.send({ command });
        this.notifications.emit('hello', s);
      },
      onEvent: (event) => {
        if (event.event.kind === 'command_result') this.outstanding.delete(event.event.commandId);
        this.notifications.emit('event', event);
      },
      onEnd: (s, why) => {
        this.streamEnds.push(why);
        if (this.streamEnds.length > 1000) this.streamEnds.shift();
        if (this.session === s) this.session = undefined;
      },
    });
    session.start();
  }

  private waitFor<T>(name: string, predicate: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
    return waitForEvent(this.notifications, name, predicate, timeoutMs, 'platform', what);
  }
}
