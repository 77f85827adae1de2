// One connection attempt of the cloud link: a single HubLink.Connect stream, from Hello to its
// end. It streams the outbox in seq order, in batches under MAX_BATCH_BYTES, with unacknowledged
// events in flight bounded by count and by bytes, forwards acks to the outbox, hands commands to
// its owner, pings, and ends itself when the platform goes silent (watchdog). It never reconnects: CloudLink does that by
// starting a new session, which resumes from the outbox - at-least-once, nothing lost.
import { status as grpcStatus } from '@grpc/grpc-js';
import type { Clock, TimerHandle } from './clock.js';
import { fitEvent } from './event-fitting.js';
import type { HubLinkCall } from './proto.js';
import type { Logger, OutboxReader } from './types.js';
import type { CloudMessage, WireCommand, WireEvent, WireHello } from './wire.js';
import { BATCH_OVERHEAD_BYTES, MAX_BATCH_BYTES } from './wire-limits.js';

export interface SessionOptions {
  call: HubLinkCall;
  outbox: OutboxReader;
  hello: Omit<WireHello, 'last_acked_seq'>;
  clock: Clock;
  log: Logger;
  /** Most events sent but not yet acknowledged. */
  maxInFlight: number;
  /**
   * Most bytes of events sent but not yet acknowledged; one event is always let through when
   * nothing is in flight, so an event that alone exceeds it still goes.
   */
  maxInFlightBytes: number;
  /** Most events per EventBatch message. */
  maxBatch: number;
  pingIntervalMs: number;
  /** Hearing nothing from the platform for this long ends the session. */
  watchdogMs: number;
  onWelcome: (lastSeqSeen: number) => void;
  /** After the outbox was told about an ack (from an Ack or a Welcome). */
  onAcked: (upToSeq: number) => void;
  onCommand: (command: WireCommand) => void;
}

export interface SessionEnd {
  reason: string;
  /** The platform answered Hello with Welcome. */
  welcomed: boolean;
  /** When the Welcome arrived (clock time), for the backoff's "healthy connection" rule. */
  welcomedAt?: number;
  /** Events the platform acknowledged with an Ack on this stream: delivered progress. */
  delivered: number;
}

export interface SessionProgress {
  welcomed: boolean;
  /** Highest seq written to the stream. */
  sentUpTo: number;
  /** Highest seq acknowledged in this session (or known to the platform from Welcome). */
  ackedUpTo: number;
  inFlight: number;
  inFlightBytes: number;
}

export class LinkSession {
  readonly done: Promise<SessionEnd>;
  private finish!: (end: SessionEnd) => void;
  private ended = false;
  private welcomedAt: number | undefined;
  private sentUpTo = 0;
  private ackedUpTo = 0;
  private delivered = 0;
  /** Events written but not acknowledged, ascending by seq, with what each added to its batch. */
  private inFlight: Array<{ seq: number; bytes: number }> = [];
  private inFlightBytes = 0;
  private blockedOnDrain = false;
  private pumpScheduled = false;
  private lastHeardAt: number;
  private tickTimer: TimerHandle | undefined;
  private unsubscribeAppend: (() => void) | undefined;

  constructor(private readonly options: SessionOptions) {
    this.done = new Promise((resolve) => (this.finish = resolve));
    this.lastHeardAt = options.clock.now();
  }

  start(): void {
    const { call, outbox } = this.options;
    call.on('data', (message: CloudMessage) => this.onMessage(message));
    call.on('error', (error: Error & { code?: number; details?: string }) =>
      this.end(`stream closed (${statusName(error.code)}): ${error.details || error.message}`),
    );
    call.on('status', (status: { code: number; details: string }) =>
      this.end(status.code === 0 ? 'stream ended by the platform' : `stream closed (${statusName(status.code)}): ${status.details}`),
    );
    call.on('end', () => this.end('stream ended by the platform'));
    call.on('drain', () => {
      this.blockedOnDrain = false;
      this.schedulePump();
    });
    try {
      this.unsubscribeAppend = outbox.onAppend(() => this.schedulePump());
      this.ackedUpTo = this.sentUpTo = outbox.lastAcked();
    } catch (error) {
      this.end(`outbox failure: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.write({ hello: { ...this.options.hello, last_acked_seq: this.ackedUpTo } });
    this.scheduleTick();
  }

  /** Ends the session from our side (stop, watchdog, protocol trouble). */
  close(reason: string): void {
    this.end(reason);
  }

  progress(): SessionProgress {
    return {
      welcomed: this.welcomedAt !== undefined,
      sentUpTo: this.sentUpTo,
      ackedUpTo: this.ackedUpTo,
      inFlight: this.inFlight.length,
      inFlightBytes: this.inFlightBytes,
    };
  }

  private onMessage(message: CloudMessage): void {
    if (this.ended) return;
    this.lastHeardAt = this.options.clock.now();
    try {
      if (message.welcome) this.onWelcome(message.welcome.last_seq_seen ?? 0);
      else if (message.ack) this.onAck(message.ack.up_to_seq ?? 0);
      else if (message.command) this.options.onCommand(message.command);
      else if (message.pong) this.options.log.debug('cloud pong', { rttMs: this.lastHeardAt - (message.pong.sent_at_ms ?? 0) });
      else if (message.undecodable) this.options.log.warn('cloud message ignored', { reason: message.undecodable });
      // Anything else is from a newer protocol revision; hearing it still proves liveness.
    } catch (error) {
      this.end(`outbox failure: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private onWelcome(lastSeqSeen: number): void {
    if (this.welcomedAt !== undefined) return;
    this.welcomedAt = this.options.clock.now();
    const { outbox, log } = this.options;
    const lastCommitted = outbox.lastCommittedSeq();
    if (lastSeqSeen > lastCommitted) {
      // The platform has seqs this hub never committed: its database lost its last commits or
      // was restored by hand. Our next seqs would be ones the platform already has, and it
      // would drop those events as duplicates. Nothing is acked or sent in this epoch: a new
      // one starts above lastSeqSeen and the next stream re-sends everything unacknowledged.
      const reason = `the platform had seen seq ${lastSeqSeen}, this hub's outbox only reached ${lastCommitted} (lost commits or a restored database)`;
      const epoch = outbox.startNewEpoch(lastSeqSeen, reason);
      log.error('cloud has seen events this hub does not have; new outbox epoch, resync requested', { lastSeqSeen, lastCommitted, epoch });
      this.end(`outbox epoch restarted: ${reason}`);
      return;
    }
    const lastAcked = this.ackedUpTo;
    if (lastSeqSeen > lastAcked) {
      // The platform stored more than we saw acknowledged (an ack lost with a connection).
      outbox.ack(lastSeqSeen);
      this.ackedUpTo = this.sentUpTo = lastSeqSeen;
      this.options.onAcked(lastSeqSeen);
    } else if (lastSeqSeen < lastAcked) {
      this.options.log.warn('cloud has fewer events than it acknowledged before; those are gone from the outbox', {
        lastSeqSeen,
        lastAcked,
      });
    }
    this.options.log.info('cloud link welcomed', { lastSeqSeen, resumeAfter: this.sentUpTo });
    this.options.onWelcome(lastSeqSeen);
    this.schedulePump();
  }

  private onAck(upToSeq: number): void {
    if (upToSeq > this.sentUpTo) {
      // Never delete what the platform cannot have received.
      this.options.log.warn('cloud acked beyond what was sent; clamped', { upToSeq, sentUpTo: this.sentUpTo });
      upToSeq = this.sentUpTo;
    }
    if (upToSeq <= this.ackedUpTo) return;
    this.options.outbox.ack(upToSeq);
    this.ackedUpTo = upToSeq;
    let acked = 0;
    while (acked < this.inFlight.length && this.inFlight[acked]!.seq <= upToSeq) this.inFlightBytes -= this.inFlight[acked++]!.bytes;
    this.inFlight.splice(0, acked);
    this.delivered += acked;
    this.options.onAcked(upToSeq);
    this.schedulePump();
  }

  /** Coalesces the many triggers of one tick (appends, acks, drain) into one outbox read. */
  private schedulePump(): void {
    if (this.pumpScheduled || this.ended) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      try {
        this.pump();
      } catch (error) {
        this.end(`outbox failure: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }

  private pump(): void {
    const { outbox, maxInFlight, maxBatch, log } = this.options;
    while (!this.ended && this.welcomedAt !== undefined && !this.blockedOnDrain && this.windowOpen()) {
      const events = outbox.readAfter(this.sentUpTo, Math.min(maxBatch, maxInFlight - this.inFlight.length));
      if (events.length === 0) return;
      const batch: WireEvent[] = [];
      let batchBytes = BATCH_OVERHEAD_BYTES;
      for (const sequenced of events) {
        if (sequenced.seq <= this.sentUpTo) continue; // defensive: keep the stream strictly ordered
        const fitted = fitEvent(sequenced);
        if (batch.length > 0 && batchBytes + fitted.bytes > MAX_BATCH_BYTES) break;
        if (this.inFlight.length > 0 && this.inFlightBytes + fitted.bytes > this.options.maxInFlightBytes) break;
        if (fitted.reduced) log.warn('cloud event reduced to fit the event limit', { seq: sequenced.seq, reason: fitted.reduced });
        batch.push(fitted.wire);
        batchBytes += fitted.bytes;
        this.inFlight.push({ seq: sequenced.seq, bytes: fitted.bytes });
        this.inFlightBytes += fitted.bytes;
        this.sentUpTo = sequenced.seq;
      }
      if (batch.length === 0) return;
      this.blockedOnDrain = !this.write({ events: { events: batch } });
    }
  }

  private windowOpen(): boolean {
    if (this.inFlight.length === 0) return true;
    return this.inFlight.length < this.options.maxInFlight && this.inFlightBytes < this.options.maxInFlightBytes;
  }

  /** Pings and checks the watchdog every pingIntervalMs. */
  private scheduleTick(): void {
    const { clock, pingIntervalMs, watchdogMs } = this.options;
    this.tickTimer = clock.setTimeout(() => {
      if (this.ended) return;
      const silentMs = clock.now() - this.lastHeardAt;
      if (silentMs >= watchdogMs) {
        this.options.log.warn('cloud link silent, reconnecting', { silentMs });
        this.end(`watchdog: nothing heard for ${silentMs} ms`);
        return;
      }
      this.write({ ping: { sent_at_ms: clock.now() } });
      this.scheduleTick();
    }, Math.min(pingIntervalMs, watchdogMs));
  }

  private write(message: Parameters<HubLinkCall['write']>[0]): boolean {
    if (this.ended) return false;
    try {
      return this.options.call.write(message);
    } catch (error) {
      this.end(`write failed: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.options.clock.clearTimeout(this.tickTimer);
    this.unsubscribeAppend?.();
    // Unacknowledged events stay in the outbox; the next session re-sends them.
    this.inFlight = [];
    this.inFlightBytes = 0;
    this.options.call.cancel();
    this.finish({
      reason,
      welcomed: this.welcomedAt !== undefined,
      ...(this.welcomedAt !== undefined ? { welcomedAt: this.welcomedAt } : {}),
      delivered: this.delivered,
    });
  }
}

function statusName(code: number | undefined): string {
  return code === undefined ? 'unknown' : (grpcStatus[code] ?? String(code));
}
