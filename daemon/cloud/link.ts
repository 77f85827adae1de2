// The gateway's link to the platform: keeps one HubLink.Connect stream up for as long as it
// runs, reconnecting with exponential backoff and jitter whenever a stream ends (errors,
// GOAWAY, max connection age and black holes are all routine), and runs the commands the
// platform sends. Delivery itself lives in LinkSession; commands in CommandRunner.
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { CommandRunner, type CommandOutcome } from './command-runner.js';
import { decodeCloudMessage } from './cloud-message-decoder.js';
import { callMetadata, channelCredentials, CloudLinkConfigError, credentialChannelOptions, type CloudCredentials } from './credentials.js';
import { createHubLinkClient } from './proto.js';
import { RecentIds, type CommandIdLog } from './recent-ids.js';
import { LinkSession, type SessionEnd, type SessionProgress } from './session.js';
import { TypedEmitter } from '../domain/typed-emitter.js';
import type { CommandExecutor, EmitEvent, Logger, OutboxReader } from './types.js';
import { DEFAULT_MAX_IN_FLIGHT_BYTES, MAX_RECEIVE_BYTES } from './wire-limits.js';
import type * as grpc from '@grpc/grpc-js';

export interface CloudLinkOptions {
  /** gRPC target, e.g. "hub.example.com:443" or "127.0.0.1:50051". */
  target: string;
  gatewayId: string;
  firmwareVersion: string;
  credentials: CloudCredentials;
  outbox: OutboxReader;
  commands: CommandExecutor;
  /** Records command results as outbox events (the store's events.append). */
  emit: EmitEvent;
  log: Logger;
  clock?: Clock;
  backoff?: Partial<BackoffOptions>;
  /** Jitter source, for tests. */
  random?: () => number;
  /** Command id de-duplication memory; in-memory RecentIds(10 000) by default. */
  seenCommandIds?: CommandIdLog;
  /** Most events sent but not yet acknowledged (default 1000). */
  maxInFlight?: number;
  /** Most bytes of events sent but not yet acknowledged (default DEFAULT_MAX_IN_FLIGHT_BYTES, 4 MiB). */
  maxInFlightBytes?: number;
  /** Most events per EventBatch (default 200). */
  maxBatch?: number;
  /** Application ping interval (default 10 s). */
  pingIntervalMs?: number;
  /** Reconnect when nothing is heard from the platform for this long (default 35 s). */
  watchdogMs?: number;
  /** HTTP/2 keepalive ping interval (default 60 s; the platform must permit it). */
  keepaliveMs?: number;
  /** A command still running after this long is reported as "timeout" (default 30 s). */
  commandTimeoutMs?: number;
  /** Extra gRPC channel options (e.g. grpc.ssl_target_name_override). */
  channelOptions?: grpc.ChannelOptions;
}

export type CloudLinkState = 'idle' | 'connecting' | 'connected' | 'waiting' | 'stopped';

export interface CloudLinkEvents {
  /** The platform welcomed us; events flow from here on. */
  connected: { lastSeqSeen: number };
  /** The outbox was told that the platform has everything up to upToSeq. */
  acked: { upToSeq: number };
  /** A stream ended; the link retries after retryInMs (absent when stopping). */
  disconnected: { reason: string; retryInMs?: number };
  /** A command from the platform was handled (run, rejected, skipped, ignored or dropped at stop). */
  command: CommandOutcome;
}

export interface CloudLinkStatus extends Partial<SessionProgress> {
  state: CloudLinkState;
  /** Streams that ended so far. */
  disconnects: number;
  lastDisconnectReason?: string;
}

export class CloudLink extends TypedEmitter<CloudLinkEvents> {
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly backoffOptions: BackoffOptions;
  private readonly channelCredentials: grpc.ChannelCredentials;
  private readonly commandRunner: CommandRunner;
  private state: CloudLinkState = 'idle';
  private session: LinkSession | undefined;
  private retryTimer: TimerHandle | undefined;
  private wakeRetry: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private disconnects = 0;
  private lastDisconnectReason: string | undefined;

  /** Throws CloudLinkConfigError for unusable settings (e.g. plaintext to a remote host). */
  constructor(private readonly options: CloudLinkOptions) {
    super((name, error) => options.log.error('cloud link listener failed', { event: name, error: String(error) }));
    if (!options.gatewayId) throw new CloudLinkConfigError('cloud link: gatewayId is required');
    this.clock = options.clock ?? systemClock;
    this.backoffOptions = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.backoff = new Backoff(this.backoffOptions, options.random);
    this.channelCredentials = channelCredentials(options.target, options.credentials);
    callMetadata(options.credentials); // validates the token early
    // Never logged by this code; registered so no other log line can carry it either.
    if (options.credentials !== 'insecure-loopback' && options.credentials.token) options.log.addSecret?.(options.credentials.token);
    this.commandRunner = new CommandRunner({
      executor: options.commands,
      emit: options.emit,
      seenIds: options.seenCommandIds ?? new RecentIds(10_000),
      clock: this.clock,
      log: options.log,
      timeoutMs: options.commandTimeoutMs ?? 30_000,
      onOutcome: (outcome) => this.emit('command', outcome),
    });
  }

  start(): void {
    if (this.state !== 'idle') throw new Error(`cloud link cannot start from state ${this.state}`);
    this.options.log.info('cloud link starting', { target: this.options.target, gatewayId: this.options.gatewayId });
    // Observed here: an unobserved rejection would end the whole hub. run() catches what one
    // attempt throws, so reaching this means the loop itself broke; say so rather than vanish.
    this.running = this.run().catch((error: unknown) => {
      this.state = 'stopped';
      this.options.log.error('cloud link stopped by an unexpected error', { error: errorMessage(error) });
    });
  }

  /**
   * Ends the stream and stops reconnecting. Commands still waiting are not run (the platform
   * re-sends them after the restart); the running one may finish, bounded by its timeout, so
   * stopping fits the daemon's shutdown budget however many commands were queued.
   */
  stop(): Promise<void> {
    if (!this.stopping) {
      this.state = 'stopped';
      this.clock.clearTimeout(this.retryTimer);
      this.wakeRetry?.();
      this.session?.close('link stopped');
      // At once, not after the stream is down: no waiting command may start in between.
      const commandsStopped = this.commandRunner.stop();
      this.stopping = (async () => {
        await this.running;
        await commandsStopped;
      })();
    }
    return this.stopping;
  }

  status(): CloudLinkStatus {
    return {
      state: this.state,
      disconnects: this.disconnects,
      ...(this.lastDisconnectReason !== undefined ? { lastDisconnectReason: this.lastDisconnectReason } : {}),
      ...this.session?.progress(),
    };
  }

  private async run(): Promise<void> {
    while (this.state !== 'stopped') {
      try {
        await this.attempt();
      } catch (error) {
        // A failing dependency (channel, metadata, outbox, logger) costs one attempt, never the link.
        this.options.log.error('cloud link connection attempt failed', { error: errorMessage(error) });
        if ((this.state as CloudLinkState) !== 'stopped') await this.waitBeforeRetry(this.backoff.next());
      }
    }
  }

  /** One stream, then the wait before the next. */
  private async attempt(): Promise<void> {
    const end = await this.connectOnce();
    this.disconnects++;
    this.lastDisconnectReason = end.reason;
    // stop() may have run while we awaited the session.
    if ((this.state as CloudLinkState) === 'stopped') {
      this.emit('disconnected', { reason: end.reason });
      return;
    }
    // Delivered progress proves the platform works: under a rolling deploy every stream is cut
    // after a few events, and a backoff that grew per cut would leave the outbox minutes behind.
    // A stream that stayed up long without anything to deliver (an idle hub) counts as well.
    const stayedUp = end.welcomedAt !== undefined && this.clock.now() - end.welcomedAt >= this.backoffOptions.healthyAfterMs;
    if (end.delivered > 0 || stayedUp) this.backoff.reset();
    const retryInMs = this.backoff.next();
    this.options.log.warn('cloud link disconnected', { reason: end.reason, retryInMs });
    this.emit('disconnected', { reason: end.reason, retryInMs });
    await this.waitBeforeRetry(retryInMs);
  }

  private async connectOnce(): Promise<SessionEnd> {
    const { options } = this;
    this.state = 'connecting';
    // A fresh channel per attempt: after a black hole the old HTTP/2 connection may still look
    // alive, and a new call on it would go nowhere.
    const client = createHubLinkClient(
      options.target,
      this.channelCredentials,
      {
        'grpc.keepalive_time_ms': options.keepaliveMs ?? 60_000,
        'grpc.keepalive_timeout_ms': 20_000,
        'grpc.max_receive_message_length': MAX_RECEIVE_BYTES,
        ...options.channelOptions,
        ...credentialChannelOptions(options.credentials),
      },
      decodeCloudMessage,
    );
    const session = new LinkSession({
      call: client.Connect(callMetadata(options.credentials)),
      outbox: options.outbox,
      hello: {
        gateway_id: options.gatewayId,
        firmware_version: options.firmwareVersion,
        outbox_epoch: options.outbox.epoch?.() ?? '',
      },
      clock: this.clock,
      log: options.log,
      maxInFlight: options.maxInFlight ?? 1000,
      maxInFlightBytes: options.maxInFlightBytes ?? DEFAULT_MAX_IN_FLIGHT_BYTES,
      maxBatch: options.maxBatch ?? 200,
      pingIntervalMs: options.pingIntervalMs ?? 10_000,
      watchdogMs: options.watchdogMs ?? 35_000,
      onWelcome: (lastSeqSeen) => {
        if (this.state === 'connecting') this.state = 'connected';
        this.emit('connected', { lastSeqSeen });
      },
      onAcked: (upToSeq) => this.emit('acked', { upToSeq }),
      onCommand: (command) => this.commandRunner.receive(command),
    });
    this.session = session;
    try {
      session.start();
      return await session.done;
    } finally {
      client.close();
    }
  }

  private waitBeforeRetry(ms: number): Promise<void> {
    this.state = 'waiting';
    return new Promise<void>((resolve) => {
      this.wakeRetry = resolve;
      this.retryTimer = this.clock.setTimeout(resolve, ms);
    }).then(() => {
      this.wakeRetry = undefined;
      this.retryTimer = undefined;
    });
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
