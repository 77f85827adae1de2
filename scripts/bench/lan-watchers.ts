// The LAN event stream under load: simulated reports -> virtual CC2652 -> daemon process ->
// SQLite -> LAN watchers (gRPC over TLS) and the reference cloud.
//   - ingestion: reports/s committed and acknowledged by the cloud, unpaced, with no LAN
//     watcher and with --watchers attached (goal: within 10 %); watchers that fall behind are
//     ended by the hub and resume (counted), as hubctl watch does;
//   - latency from "the device sent it" to "a LAN watcher has it", p50/p99 over every watcher,
//     at --rate reports/s for --seconds;
//   - the daemon's CPU per report with and without watchers, unpaced and at --rate: unpaced,
//     a slower pipeline commits bigger groups, which costs less per report, so the paced figure
//     (same groups either way) is the fair one.
//
// The watchers here take frames as raw bytes and decode only what a figure needs (the latency
// phase, a resume position), so this process's decoding on the same cores skews the ingestion
// figures as little as it can; the daemon's CPU per report (from /proc) is the hub's own cost.
// --profile DIR runs the daemon under node --cpu-prof and prints where the watched phase's
// CPU went.
//
// Watchers ask for batches (at most one message per write; a backlog in one), as hubctl does; --singles makes them take
// one message per event, as clients written before batches do.
//
//   npx tsx scripts/bench/lan-watchers.ts [--watchers 20] [--rate 100] [--seconds 10] [--reports 3000] [--singles] [--profile DIR] [--json]
import * as grpc from '@grpc/grpc-js';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fromStruct } from '../../daemon/cloud/index.js';
import type { HubLanClient } from '../../daemon/lan/index.js';
import { adminRequest } from '../hubctl/admin-client.js';
import { unaryCall } from '../hubctl/calls.js';
import { fetchCertificate, pinnedClient } from '../hubctl/pinned-client.js';
import { BenchStack } from './e2e/bench-stack.js';
import { TEMPERATURE } from './e2e/report-kinds.js';
import { ReportTracker } from './e2e/report-tracker.js';
import { sendPaced, sendUnpaced } from './e2e/send-loops.js';
import { sampleProcess } from './e2e/process-sampler.js';
import { decodeFrame, watchFrames } from './e2e/frame-watch.js';
import { summarize } from './cpu-profile-summary.js';
import fs from 'node:fs';
import { quantile, round } from './e2e/stats.js';

const { values: args } = parseArgs({
  options: {
    watchers: { type: 'string', default: '20' },
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
    reports: { type: 'string', default: '3000' },
    window: { type: 'string', default: '200' },
    profile: { type: 'string' },
    singles: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const watcherCount = Number(args.watchers);
const progress = (line: string) => process.stderr.write(`${line}\n`);

const profileDir = args.profile === undefined ? undefined : path.resolve(args.profile);
if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
const stack = await BenchStack.start({ lan: { listen: '127.0.0.1', port: 0, mdns: false }, ...(profileDir ? { cpuProfileDir: profileDir } : {}) });
const clients: HubLanClient[] = [];
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
let watchedWindow: { fromUs: number; toUs: number; reports: number } | undefined;
try {
  const [weather] = await stack.join([TEMPERATURE.catalogueId]);
  if (profileDir) {
    // The profile covers the measured phases only, not the join.
    await stack.daemon.stop();
    await stack.startDaemon(true);
  }
  const listening = await stack.daemon.waitForLog((l) => l.msg === 'lan api listening');
  const address = `127.0.0.1:${listening['port']}`;
  const certificate = await fetchCertificate(address);
  const pinned = { certificate: certificate.pem, fingerprint: certificate.fingerprint };
  // Each watcher a separate app: its own channel (its own TLS connection) and its own token
  // (the hub allows a client only a few streams at once).
  const pairClient = async (name: string): Promise<{ client: HubLanClient; token: string }> => {
    const opened = await adminRequest(path.join(stack.dir, 'data', 'admin', 'lan.sock'), { cmd: 'pair', scope: 'read' });
    const client = pinnedClient(address, pinned);
    clients.push(client);
    const { token } = await unaryCall(client, 'Pair', { code: opened['code'], client_name: name });
    return { client, token };
  };

  const tracker = new ReportTracker([{ ieee: weather!, kind: TEMPERATURE, device: stack.coordinator.device(weather!) }]);
  stack.arrivals.onStateChanged = (event, at) => tracker.onCloudState(event.ieee, event.state, at);
  const reports = Number(args.reports);
  const window = Number(args.window);
  // The daemon's own CPU per report, read from /proc: what watchers cost the hub, apart from
  // what they cost this process (which decodes for all of them on the same cores).
  const pid = stack.daemon.child.pid!;
  const cpuPerReport = async <R extends { sent: number }>(run: () => Promise<R>) => {
    const before = sampleProcess(pid)?.cpuMs ?? NaN;
    const result = await run();
    return { ...result, cpuUsPerReport: (((sampleProcess(pid)?.cpuMs ?? NaN) - before) * 1000) / result.sent };
  };

  progress(`ingestion, no LAN watcher: ${reports} reports`);
  await sendUnpaced(tracker, 300, window); // warm-up
  const alone = await cpuPerReport(() => sendUnpaced(tracker, reports, window));
  progress(`no LAN watcher at ${args.rate}/s for ${args.seconds} s`);
  const pacedAlone = await cpuPerReport(() => sendPaced(tracker, Number(args.rate), Number(args.seconds)));

  // Each watcher its own channel (its own TLS connection), as separate apps would be.
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  let measuring = false;
  let watcherFrames = 0;
  let endedBehind = 0;
  let otherEndings = 0;
  const streams = new Set<grpc.ClientReadableStream<Buffer>>();
  let stopping = false;
  // Like hubctl watch: a watcher ended for falling behind resumes from its last seq.
  const attach = (client: HubLanClient, token: string, resume: { after_seq: number; epoch: string }) => {
    let position = resume;
    let lastFrame: Buffer | undefined;
    const stream = watchFrames(client, { ...resume, batch_events: !args.singles }, token);
    streams.add(stream);
    stream.on('error', (error: grpc.ServiceError) => {
      streams.delete(stream);
      if (stopping || error.code === grpc.status.CANCELLED) return;
      if (error.code === grpc.status.RESOURCE_EXHAUSTED && error.details.includes('behind')) endedBehind++;
      else otherEndings++;
      const last = lastFrame === undefined ? undefined : decodeFrame(lastFrame);
      if (last?.['snapshot']) position = { after_seq: last['snapshot'].seq, epoch: last['snapshot'].epoch };
      else if (last?.['event']) position = { ...position, after_seq: last['event'].seq };
      else if (last?.['events']) position = { ...position, after_seq: last['events'].events.at(-1).seq };
      attach(client, token, position);
    });
    stream.on('data', (frame: Buffer) => {
      lastFrame = frame;
      watcherFrames++;
      if (!measuring) return;
      const message = decodeFrame(frame);
      const now = performance.now();
      for (const event of message['events']?.events ?? (message['event'] ? [message['event']] : [])) {
        const change = event.state_changed;
        if (!change || change.ieee !== weather) continue;
        const id = TEMPERATURE.idOfState(fromStruct(change.state)[TEMPERATURE.stateKey]);
        const at = id === undefined ? undefined : sentAt.get(id);
        if (at !== undefined) latencies.push(now - at);
      }
    });
  };
  for (let i = 0; i < watcherCount; i++) {
    const { client, token } = await pairClient(`bench watcher ${i + 1}`);
    attach(client, token, { after_seq: 0, epoch: '' });
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));

  progress(`ingestion, ${watcherCount} LAN watchers: ${reports} reports`);
  const watchedFrom = monotonicUs();
  const endedBefore = endedBehind;
  const watched = await cpuPerReport(() => sendUnpaced(tracker, reports, window));
  const endedInFirstWatchedRun = endedBehind - endedBefore;
  watchedWindow = { fromUs: watchedFrom, toUs: monotonicUs(), reports: watched.sent };

  progress(`latency at ${args.rate}/s for ${args.seconds} s to ${watcherCount} watchers`);
  const timed = {
    ...tracker,
    progress: tracker.progress,
    inFlight: () => tracker.inFlight(),
    send: () => {
      sentAt.set(TEMPERATURE.idOfValue(tracker.sent), performance.now());
      tracker.send();
    },
  };
  measuring = true;
  const endedBeforePaced = endedBehind;
  const paced = await cpuPerReport(() => sendPaced(timed, Number(args.rate), Number(args.seconds)));
  const endedWhilePaced = endedBehind - endedBeforePaced;
  await new Promise((resolve) => setTimeout(resolve, 2000)); // the watchers' last deliveries
  measuring = false;

  progress(`ingestion, ${watcherCount} LAN watchers, second run`);
  const watchedAgain = await cpuPerReport(() => sendUnpaced(tracker, reports, window));
  stopping = true;
  for (const stream of streams) stream.cancel();
  progress('ingestion, no LAN watcher, second run');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const pacedAloneAgain = await cpuPerReport(() => sendPaced(tracker, Number(args.rate), Number(args.seconds)));
  const aloneAgain = await cpuPerReport(() => sendUnpaced(tracker, reports, window));

  // Each figure the mean of two runs, interleaved, so drift of a shared machine hits both.
  const aloneRate = (alone.sent / alone.seconds + aloneAgain.sent / aloneAgain.seconds) / 2;
  const watchedRate = (watched.sent / watched.seconds + watchedAgain.sent / watchedAgain.seconds) / 2;
  const expected = paced.sent * watcherCount;
  const result = {
    bench: 'lan-watchers',
    watchers: watcherCount,
    watcherMessages: args.singles ? 'one per event' : 'at most one per write (batch_events)',
    ingestNoWatchersPerS: round(aloneRate, 0),
    ingestWithWatchersPerS: round(watchedRate, 0),
    ingestRatio: round(watchedRate / aloneRate, 3),
    daemonCpuUsPerReportNoWatchers: round((alone.cpuUsPerReport + aloneAgain.cpuUsPerReport) / 2, 0),
    daemonCpuUsPerReportWithWatchers: round((watched.cpuUsPerReport + watchedAgain.cpuUsPerReport) / 2, 0),
    pacedDaemonCpuUsPerReportNoWatchers: round((pacedAlone.cpuUsPerReport + pacedAloneAgain.cpuUsPerReport) / 2, 0),
    pacedDaemonCpuUsPerReportWithWatchers: round(paced.cpuUsPerReport, 0),
    pacedRate: Number(args.rate),
    watcherDeliveries: latencies.length,
    expectedDeliveries: expected,
    latencyP50Ms: round(quantile(latencies, 0.5), 1),
    latencyP99Ms: round(quantile(latencies, 0.99), 1),
    lost: alone.lost + pacedAlone.lost + watched.lost + paced.lost + watchedAgain.lost + pacedAloneAgain.lost + aloneAgain.lost,
    watchersEndedForFallingBehind: endedBehind,
    endedInFirstWatchedRun,
    endedWhilePaced,
    watcherStreamsEndedOtherwise: otherEndings,
    watcherFramesTotal: watcherFrames,
  };
  const summary = [
    { metric: `ingest with ${watcherCount} LAN watchers vs none`, value: `${result.ingestWithWatchersPerS}/s vs ${result.ingestNoWatchersPerS}/s`, versus: `${round(result.ingestRatio * 100, 1)} %` },
    {
      metric: `daemon CPU per report, ${watcherCount} LAN watchers vs none`,
      value: `${result.daemonCpuUsPerReportWithWatchers} vs ${result.daemonCpuUsPerReportNoWatchers} µs`,
      versus: `${round(result.daemonCpuUsPerReportWithWatchers / result.daemonCpuUsPerReportNoWatchers, 2)}x`,
    },
    {
      metric: `daemon CPU per report at ${result.pacedRate}/s, ${watcherCount} LAN watchers vs none`,
      value: `${result.pacedDaemonCpuUsPerReportWithWatchers} vs ${result.pacedDaemonCpuUsPerReportNoWatchers} µs`,
      versus: `${round(result.pacedDaemonCpuUsPerReportWithWatchers / result.pacedDaemonCpuUsPerReportNoWatchers, 2)}x`,
    },
    { metric: `LAN watcher latency at ${result.pacedRate}/s (p50 / p99)`, value: `${result.latencyP50Ms} / ${result.latencyP99Ms} ms`, versus: `${result.watcherDeliveries}/${expected} delivered` },
  ];
  if (args.json) console.log(JSON.stringify({ ...result, summary }));
  else console.log(JSON.stringify(result, null, 2));
} finally {
  for (const client of clients) client.close();
  const daemonPid = stack.daemon.child.pid;
  await stack.daemon.stop();
  if (profileDir && watchedWindow) printProfile(profileDir, daemonPid, watchedWindow);
  await stack.stop();
}

/** Where the daemon's CPU went while watchers were attached (first watched run), per report. */
function printProfile(dir: string, pid: number | undefined, window: { fromUs: number; toUs: number; reports: number }): void {
  const file = fs.readdirSync(dir).find((f) => f.startsWith('CPU.') && f.includes(`.${pid}.0.`));
  if (!file) {
    progress(`no CPU profile of process ${pid} in ${dir}`);
    return;
  }
  const { totalMs, byCategory, byFunction } = summarize(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), window.fromUs, window.toUs);
  const perReport = (ms: number) => `${round((ms * 1000) / window.reports, 1)} µs`;
  progress(`daemon profile, ${watcherCount} watchers (${path.join(dir, file)}): ${perReport(totalMs)} per report`);
  for (const [name, ms] of [...byCategory].sort((a, b) => b[1] - a[1]).slice(0, 12)) progress(`  ${perReport(ms).padStart(10)}  ${name}`);
  for (const [name, ms] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25)) progress(`  ${perReport(ms).padStart(10)}  ${name}`);
}
