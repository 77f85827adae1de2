// The reference cloud: a small, complete implementation of the platform side of
// proto/zigbee_hubd/cloud/v1/cloud.proto. The demo and the daemon's tests talk to it, and a
// platform team can read it to learn the protocol. Start it with startReferenceCloud().
// It speaks the protocol from the .proto alone: no daemon code encodes or decodes for it.
import { waitForEvent } from '../lib/wait-for-event.js';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import type { HubCommand, HubEvent } from '../../daemon/domain/events.js';
import { hubLinkDefinition, type HubLinkServerStream, type Plain } from '../lib/cloud-proto.js';
import { encodeCommand, resultIdFor } from './command-encoder.js';
import { CloudEventStore, type StoredEvent } from './event-store.js';
import type { CloudFaults } from './faults.js';
import { formatEvent } from './format.js';
import { HubSession } from './hub-session.js';

export interface ReferenceCloudOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Require "authorization: Bearer <token>" from gateways. */
  token?: string;
  /** Serve TLS; with ca, also require client certificates signed by it (mTLS). */
  tls?: { cert: string | Buffer; key: string | Buffer; ca?: string | Buffer };
  /** SQLite file for events and per-gateway cursors, kept across restarts; in memory without one. */
  database?: string;
  /** Share stored events with an earlier instance (a "restart" in tests). */
  store?: CloudEventStore;
  /** Where readable lines (connections, events, results) go; silent by default. */
  log?: (line: string) => void;
  /** Log only problems and faults: no line per event or per connection (many gateways at once). */
  quiet?: boolean;
  /** Fault modes in force from the start (see faults.ts); setFaults() changes them. */
  faults?: CloudFaults;
  /** Send GOAWAY after a connection is this old (routine on real platforms). */
  maxConnectionAgeMs?: number;
  maxConnectionAgeGraceMs?: number;
}

/** A command as a caller writes it: the id is generated when not given. */
export type CommandRequest = DistributiveOmit<HubCommand, 'id'> & { id?: string };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type CommandResultEvent = Extract<HubEvent, { kind: 'command_result' }>;

export interface ConnectedGateway {
  gatewayId: string;
  firmwareVersion: string;
  outboxEpoch: string;
  peer: string;
}

export class ReferenceCloud {
  readonly store: CloudEventStore;
  private readonly sessions = new Map<string, HubSession>();
  /** Commands sent but not answered, per gateway; re-sent after a reconnect. */
  private readonly outstanding = new Map<string, Map<string, Plain>>();
  private readonly notifications = new EventEmitter();
  private acking = true;
  private faults: CloudFaults;
  private readonly log: (line: string) => void;
  /** The line-per-event and per-connection log (off when quiet). */
  private readonly trace: (line: string) => void;

  private constructor(
    private readonly server: grpc.Server,
    readonly port: number,
    private readonly options: ReferenceCloudOptions,
    store: CloudEventStore,
  ) {
    this.store = store;
    this.log = options.log ?? (() => {});
    this.trace = options.quiet ? () => {} : this.log;
    this.faults = { ...options.faults };
    this.notifications.setMaxListeners(0);
  }

  static async start(options: ReferenceCloudOptions = {}): Promise<ReferenceCloud> {
    const serverOptions: grpc.ServerOptions = {};
    if (options.maxConnectionAgeMs) serverOptions['grpc.max_connection_age_ms'] = options.maxConnectionAgeMs;
    if (options.maxConnectionAgeGraceMs) serverOptions['grpc.max_connection_age_grace_ms'] = options.maxConnectionAgeGraceMs;
    const server = new grpc.Server(serverOptions);
    const store = options.store ?? new CloudEventStore(options.database);
    let cloud: ReferenceCloud | undefined;
    server.addService(hubLinkDefinition, {
      Connect: (call: HubLinkServerStream) => cloud!.accept(call),
    });
    const credentials = options.tls
      ? grpc.ServerCredentials.createSsl(
          options.tls.ca ? Buffer.from(options.tls.ca) : null,
          [{ cert_chain: Buffer.from(options.tls.cert), private_key: Buffer.from(options.tls.key) }],
          !!options.tls.ca,
        )
      : grpc.ServerCredentials.createInsecure();
    const address = `${options.host ?? '127.0.0.1'}:${options.port ?? 0}`;
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(address, credentials, (error, boundPort) => (error ? reject(error) : resolve(boundPort))),
    );
    cloud = new ReferenceCloud(server, port, options, store);
    return cloud;
  }

  /** A gateway's stored events in seq order (de-duplicated). */
  events(gatewayId: string): StoredEvent[] {
    return this.store.events(gatewayId);
  }

  /** Gateways with an open stream that said Hello. */
  connectedGateways(): ConnectedGateway[] {
    return [...this.sessions.values()].map((session) => ({
      gatewayId: session.gatewayId,
      firmwareVersion: session.hello!.firmware_version,
      outboxEpoch: session.hello!.outbox_epoch,
      peer: session.peer,
    }));
  }

  /** Resolves with the first stored event (already stored or arriving) that matches. */
  waitForEvent(predicate: (event: StoredEvent) => boolean, timeoutMs = 10_000, what = 'event'): Promise<StoredEvent> {
    const existing = this.store.all().find(predicate);
    if (existing) return Promise.resolve(existing);
    return this.waitFor<StoredEvent>('event', predicate, timeoutMs, what);
  }

  /** Resolves when the gateway is connected (immediately if it already is). */
  waitForConnection(gatewayId: string, timeoutMs = 10_000): Promise<ConnectedGateway> {
    const connected = this.connectedGateways().find((gateway) => gateway.gatewayId === gatewayId);
    if (connected) return Promise.resolve(connected);
    return this.waitFor<ConnectedGateway>('hello', (g) => g.gatewayId === gatewayId, timeoutMs, `connection of ${gatewayId}`);
  }

  /**
   * Sends a command and resolves with its command_result event. If the gateway is offline, the
   * command waits for it; it is re-sent after every reconnect until a result arrives.
   */
  sendCommand(gatewayId: string, request: CommandRequest, timeoutMs = 10_000): Promise<CommandResultEvent> {
    const command = { ...request, id: request.id ?? randomUUID() } as HubCommand;
    return this.sendRawCommand(gatewayId, encodeCommand(command), timeoutMs);
  }

  /** Sends a command exactly as given (also malformed ones) and resolves with its result. */
  sendRawCommand(gatewayId: string, command: Plain, timeoutMs = 10_000): Promise<CommandResultEvent> {
    // What the result's command_id will be (an id over 128 characters comes back as its sha256).
    const id = resultIdFor(typeof command.id === 'string' ? command.id : '');
    const result = this.waitForEvent(
      (stored) => stored.gatewayId === gatewayId && stored.event.kind === 'command_result' && stored.event.commandId === id,
      timeoutMs,
      `the result of command ${id} from ${gatewayId} (${this.sessions.has(gatewayId) ? 'connected' : 'not connected'}; the command stays queued and is re-sent when it reconnects)`,
    ).then((stored) => stored.event as CommandResultEvent);
    const answered = this.store.commandResult(gatewayId, id) !== undefined;
    if (answered) {
      // Sent again on purpose (a test of the gateway's de-duplication): do not keep re-sending.
      this.sessions.get(gatewayId)?.sendCommand(command);
      return result;
    }
    let pending = this.outstanding.get(gatewayId);
    if (!pending) this.outstanding.set(gatewayId, (pending = new Map()));
    pending.set(id, command);
    this.sessions.get(gatewayId)?.sendCommand(command);
    return result;
  }

  /** Hold back (false) or resume (true) acks; resuming acks what arrived meanwhile. */
  setAcking(enabled: boolean): void {
    this.acking = enabled;
    if (enabled) for (const session of this.sessions.values()) session.ackNow();
  }

  /** Replaces the fault modes in force; they apply to open streams from their next batch. */
  setFaults(faults: CloudFaults): void {
    this.faults = { ...faults };
  }

  currentFaults(): CloudFaults {
    return { ...this.faults };
  }

  /** Every open stream stops being read (a true stall); new streams work normally. */
  stallConnections(): void {
    for (const session of [...this.sessions.values()]) {
      session.stall();
      this.sessions.delete(session.gatewayId);
    }
  }

  /** Ends every open stream with UNAVAILABLE, as a platform instance going away would. */
  dropConnections(): void {
    for (const session of [...this.sessions.values()]) session.close(grpc.status.UNAVAILABLE, 'dropped by the reference cloud');
  }

  /** Open streams stop reading and answering but stay open; new streams work normally. */
  blackholeConnections(): void {
    for (const session of [...this.sessions.values()]) {
      session.blackhole();
      this.sessions.delete(session.gatewayId);
    }
  }

  /** Stops at once, cutting open streams (a crash, from the gateways' point of view). */
  async stop(): Promise<void> {
    this.server.forceShutdown();
    this.sessions.clear();
    // A file this instance opened is closed (a restart opens it again); a store handed in is
    // its owner's, and an in-memory one stays readable for the caller after the stop.
    if (!this.options.store && this.options.database) this.store.close();
  }

  private accept(call: HubLinkServerStream): void {
    if (this.options.token !== undefined && !bearerMatches(call.metadata, this.options.token)) {
      this.log(`rejected a connection from ${call.getPeer()}: missing or wrong token`);
      call.emit('error', { code: grpc.status.UNAUTHENTICATED, details: 'missing or invalid token' });
      return;
    }
    if (this.faults.refuseUntil !== undefined && Date.now() < this.faults.refuseUntil) {
      this.log(`refused a connection from ${call.getPeer()}: fault mode "refuse"`);
      call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'reference cloud fault: refusing connections' });
      return;
    }
    const session: HubSession = new HubSession({
      call,
      store: this.store,
      acking: () => this.acking,
      faults: () => this.faults,
      log: this.log,
      trace: this.trace,
      onHello: (hello) => this.onHello(hello),
      onEvent: (event) => {
        this.trace(formatEvent(event));
        if (event.event.kind === 'command_result') this.outstanding.get(event.gatewayId)?.delete(event.event.commandId);
        this.notifications.emit('event', event);
      },
      onEnd: (ended) => {
        if (this.sessions.get(ended.gatewayId) === ended) {
          this.sessions.delete(ended.gatewayId);
          this.trace(`[${ended.gatewayId}] disconnected`);
        }
      },
    });
    session.start();
  }

  private onHello(session: HubSession): void {
    // One stream per gateway: a new one supersedes (and closes) an older, possibly dead one.
    this.sessions.get(session.gatewayId)?.close(grpc.status.ABORTED, 'superseded by a newer stream');
    this.sessions.set(session.gatewayId, session);
    for (const command of this.outstanding.get(session.gatewayId)?.values() ?? []) session.sendCommand(command);
    const gateway = this.connectedGateways().find((g) => g.gatewayId === session.gatewayId)!;
    this.notifications.emit('hello', gateway);
  }

  private waitFor<T>(name: string, predicate: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
    return waitForEvent(this.notifications, name, predicate, timeoutMs, 'reference cloud', what);
  }
}

export function startReferenceCloud(options: ReferenceCloudOptions = {}): Promise<ReferenceCloud> {
  return ReferenceCloud.start(options);
}

function bearerMatches(metadata: grpc.Metadata, token: string): boolean {
  const [value] = metadata.get('authorization');
  const given = Buffer.from(typeof value === 'string' ? value : '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
