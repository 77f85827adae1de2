// npm run fleet-sim -- [--gateways 1000] [--duration 60] [--rate 0.5] ...: many gateways
// speaking cloud.proto (written from the .proto, not whole daemons) against the reference
// cloud as a separate process. Prints events/s, memory per stream, reconnect storms absorbed
// and whether every event arrived exactly once (asked of the cloud's SQLite file).
// Exit 0 when exactly once held, 1 when it did not, 2 for a bad command line.
import { runFleet, type FleetReport } from './fleet.js';
import { parseFleetOptions, USAGE, type FleetOptions } from './options.js';

function summary(report: FleetReport): string[] {
  const { options: o, cloud, storms, tally } = report;
  return [
    `fleet-sim: ${o.gateways} gateways, ${o.durationS} s at ${o.rate} events/s each, drop every ~${o.dropEveryS} s per gateway, storm every ${o.stormEveryS} s, ${o.resendFraction * 100}% resend from their own ack, acks ${o.ackDelayMs} ms late, seed ${o.seed}; ${report.cores} cores`,
    `events: ${tally.expected} committed (${report.offeredPerSecond}/s offered), ${tally.stored} stored (${report.storedPerSecond}/s until drained, ${report.drainS} s after the last report)`,
    `cloud: RSS ${cloud.baselineRssMiB} MiB idle, ${cloud.connectedRssMiB} MiB with every stream open (${cloud.rssPerStreamKiB} KiB per stream), peak ${cloud.peakRssMiB} MiB; CPU ${cloud.cpuPercent}% of a core, ${cloud.cpuUsPerEvent} µs per stored event`,
    `reconnect storms absorbed: ${storms.count} (seconds until half / 99 % / all were back: ${storms.recovery.map((r) => `${r.p50}/${r.p99}/${r.all}`).join(', ')}); uplink drops: ${report.drops}; reconnects: ${report.reconnects}`,
    `simulator (this process): CPU ${report.simulator.cpuPercent}% of a core, event loop late by ${report.simulator.loopDelayP99Ms} ms (p99), ${report.simulator.loopDelayMaxMs} ms (max)`,
    `re-sent events: ${report.resent}; duplicates the cloud dropped: ${tally.duplicatesDropped}`,
    report.exactlyOnce
      ? 'exactly once: yes, every committed event is stored once with its content'
      : `exactly once: NO\n  ${[...report.undrained.map((g) => `not drained: ${g}`), ...tally.problems].slice(0, 20).join('\n  ')}`,
  ];
}

let options: FleetOptions;
try {
  options = parseFleetOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`fleet-sim: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(2);
}
try {
  const report = await runFleet(options, (line) => {
    if (!options.json) process.stderr.write(`${line}\n`);
  });
  process.stdout.write(options.json ? JSON.stringify(report) + '\n' : summary(report).join('\n') + '\n');
  process.exitCode = report.exactlyOnce ? 0 : 1;
} catch (error) {
  process.stderr.write(`fleet-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
