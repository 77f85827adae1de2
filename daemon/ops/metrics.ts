// The hub's Prometheus metrics (prom-client), in a registry of their own (never prom-client's
// global one, so two hubs in one test process do not share counts). Counts that happen (messages,
// commands) are pushed in by the wiring; levels that exist anyway (outbox, cloud link, store
// commits, coordinator reconnects) are read from their owners at scrape time through `sources`.
// Node's own metrics (event-loop lag, heap, RSS, GC) come from collectDefaultMetrics.
//
// Idle cost: prom-client samples event-loop delay with a native timer every 10 ms by default,
// which woke the idle daemon about 90 times a second and was nearly all of its idle CPU
// (docs/BENCHMARKS.md, "Idle CPU"). It samples every EVENT_LOOP_RESOLUTION_MS instead: any stall
// of that length or more is still always seen, a shorter one with a chance proportional to its
// length; the loop's busy share in between is exact, from its utilisation, read at scrape.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const PREFIX = 'zigbee_hubd_';
/** Event-loop delay sampling period: 10 wake-ups a second instead of prom-client's 100. */
export const EVENT_LOOP_RESOLUTION_MS = 100;
/** The cloud link's states (daemon/cloud CloudLinkState), one gauge series each. */
const CLOUD_STATES = ['idle', 'connecting', 'connected', 'waiting', 'stopped'] as const;

/** Read at every scrape; each may be absent (e.g. the cloud link when it is disabled). */
export interface MetricsSources {
  outbox(): { events: number; bytes: number; oldestAt?: number; droppedSinceOpen: number };
  cloudLink(): { state: string; disconnects: number } | undefined;
  coordinatorReconnects(): number;
  commits(): { commits: number; failedCommits: number; commitMsTotal: number; commitMsMax: number; syncs: number; failedSyncs: number; syncMsMax: number };
  now(): number;
}

export class HubMetrics {
  readonly registry = new Registry();
  private readonly messagesIn: Counter<'cluster'>;
  private readonly commands: Counter<'kind' | 'result'>;
  private readonly commandSeconds: Histogram<'kind'>;
  private readonly seenCommits = { commits: 0, failedCommits: 0, commitMsTotal: 0, syncs: 0, failedSyncs: 0 };
  private readonly seenDisconnects = { count: 0 };

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX, eventLoopMonitoringPrecision: EVENT_LOOP_RESOLUTION_MS });
    let lastUtilization = performance.eventLoopUtilization();
    new Gauge({
      name: `${PREFIX}nodejs_eventloop_utilization_ratio`,
      help: 'Share of the time since the previous scrape the event loop was busy (0..1), every stall counted',
      registers,
      collect() {
        const now = performance.eventLoopUtilization();
        this.set(performance.eventLoopUtilization(now, lastUtilization).utilization);
        lastUtilization = now;
      },
    });
    this.messagesIn = new Counter({ name: `${PREFIX}messages_in_total`, help: 'Application messages received from devices, by ZCL cluster', labelNames: ['cluster'], registers });
    this.commands = new Counter({ name: `${PREFIX}commands_total`, help: 'Commands run (cloud and LAN), by kind and result', labelNames: ['kind', 'result'], registers });
    this.commandSeconds = new Histogram({
      name: `${PREFIX}command_duration_seconds`,
      help: 'Time from a command reaching the executor to its result, queueing behind the same device included',
      labelNames: ['kind'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    new Gauge({
      name: `${PREFIX}outbox_events`,
      help: 'Events waiting for the cloud to acknowledge them',
      registers,
      collect() {
        this.set(sources.outbox().events);
      },
    });
    new Gauge({
      name: `${PREFIX}outbox_bytes`,
      help: 'Bytes of the events waiting in the outbox',
      registers,
      collect() {
        this.set(sources.outbox().bytes);
      },
    });
    new Gauge({
      name: `${PREFIX}outbox_oldest_age_seconds`,
      help: 'Age of the oldest unacknowledged event (0 when the outbox is empty)',
      registers,
      collect() {
        const { oldestAt } = sources.outbox();
        this.set(oldestAt === undefined ? 0 : Math.max(0, (sources.now() - oldestAt) / 1000));
      },
    });
    new Gauge({
      name: `${PREFIX}cloud_link_state`,
      help: 'The cloud link state: 1 for the current one (no series when the link is disabled)',
      labelNames: ['state'],
      registers,
      collect() {
        const link = sources.cloudLink();
        this.reset();
        if (link) for (const state of CLOUD_STATES) this.set({ state }, link.state === state ? 1 : 0);
      },
    });
    const seenDisconnects = this.seenDisconnects;
    new Counter({
      name: `${PREFIX}cloud_link_disconnects_total`,
      help: 'Times the cloud link was lost and reconnected',
      registers,
      collect() {
        const count = sources.cloudLink()?.disconnects ?? 0;
        if (count > seenDisconnects.count) this.inc(count - seenDisconnects.count);
        seenDisconnects.count = count;
      },
    });
    new Gauge({
      name: `${PREFIX}coordinator_reconnects_total`,
      help: 'Times the Zigbee coordinator was lost and reopened since start',
      registers,
      collect() {
        this.set(sources.coordinatorReconnects());
      },
    });
    // Counters fed from one snapshot of the store's totals: whichever is collected first brings
    // all of them up to date, so a scrape never shows commits without their time.
    const seenCommits = this.seenCommits;
    const syncCommits = () => {
      const now = sources.commits();
      commitsCounter.inc(Math.max(0, now.commits - seenCommits.commits));
      failedCounter.inc(Math.max(0, now.failedCommits - seenCommits.failedCommits));
      commitSeconds.inc(Math.max(0, now.commitMsTotal - seenCommits.commitMsTotal) / 1000);
      fsyncsCounter.inc(Math.max(0, now.syncs - seenCommits.syncs));
      failedFsyncsCounter.inc(Math.max(0, now.failedSyncs - seenCommits.failedSyncs));
      Object.assign(seenCommits, { commits: now.commits, failedCommits: now.failedCommits, commitMsTotal: now.commitMsTotal, syncs: now.syncs, failedSyncs: now.failedSyncs });
    };
    const commitsCounter = new Counter({ name: `${PREFIX}sqlite_commits_total`, help: 'SQLite group commits (each made durable by at most one fsync)', registers, collect: syncCommits });
    const fsyncsCounter = new Counter({ name: `${PREFIX}sqlite_fsyncs_total`, help: 'fsyncs of the WAL, off the event loop (each makes every commit before it durable)', registers, collect: syncCommits });
    const failedFsyncsCounter = new Counter({ name: `${PREFIX}sqlite_fsync_failures_total`, help: 'fsyncs of the WAL that failed (retried; the commits wait)', registers, collect: syncCommits });
    const failedCounter = new Counter({ name: `${PREFIX}sqlite_commit_failures_total`, help: 'SQLite commits that failed (disk full, read-only)', registers, collect: syncCommits });
    const commitSeconds = new Counter({
      name: `${PREFIX}sqlite_commit_seconds_total`,
      help: 'Time spent in SQLite COMMIT on the event loop (WAL writes, checkpoints; the fsync runs apart); divide by sqlite_commits_total for the mean',
      registers,
      collect: syncCommits,
    });
    new Gauge({
      name: `${PREFIX}sqlite_commit_max_seconds`,
      help: 'The slowest SQLite commit since start',
      registers,
      collect() {
        this.set(sources.commits().commitMsMax / 1000);
      },
    });
    new Gauge({
      name: `${PREFIX}sqlite_fsync_max_seconds`,
      help: 'The slowest fsync of the WAL since start',
      registers,
      collect() {
        this.set(sources.commits().syncMsMax / 1000);
      },
    });
  }

  messageReceived(cluster: string): void {
    this.messagesIn.inc({ cluster });
  }

  commandDone(kind: string, ok: boolean, seconds: number): void {
    this.commands.inc({ kind, result: ok ? 'ok' : 'failed' });
    this.commandSeconds.observe({ kind }, seconds);
  }
}

/** Wraps a command executor so every command is counted and timed (queueing included). */
export function meteredExecutor<C extends { kind: string }, R extends { ok: boolean }>(
  inner: { execute(command: C): Promise<R> },
  metrics: HubMetrics,
  now: () => number = () => performance.now(),
): { execute(command: C): Promise<R> } {
  return {
    async execute(command) {
      const started = now();
      let ok = false;
      try {
        const result = await inner.execute(command);
        ok = result.ok;
        return result;
      } finally {
        metrics.commandDone(command.kind, ok, (now() - started) / 1000);
      }
    },
  };
}
