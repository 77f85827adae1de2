// fleet-sim, short: 20 simulated gateways for a few seconds against the reference cloud as a
// separate process, with uplink drops, reconnect storms, slow acks and gateways that re-send
// what the cloud has; every event must be stored exactly once. And the exactly-once check
// itself catches a missing seq, a second epoch and wrong content.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { FleetReport } from '../../scripts/fleet-sim/fleet.js';
import { tallyDeliveries } from '../../scripts/fleet-sim/verify.js';
import { CloudEventStore } from '../../scripts/reference-cloud/event-store.js';

const RUN = fileURLToPath(new URL('../../scripts/fleet-sim/run.ts', import.meta.url));

function fleetSim(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', RUN, ...args], { timeout: 240_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

t.test('20 gateways through drops and storms: every event exactly once', async (t) => {
  const args = ['--gateways', '20', '--duration', '4', '--rate', '5', '--drop-every', '3', '--storm-every', '1.5'];
  const run = await fleetSim([...args, '--resend-fraction', '0.3', '--ack-delay-ms', '300', '--seed', '7', '--json']);
  t.equal(run.code, 0, `fleet-sim exits 0 ${run.stderr}`);
  const report = JSON.parse(run.stdout) as FleetReport;
  t.same(report.undrained, [], 'every gateway got every event acked');
  t.same(report.tally.problems, [], 'no gateway with a missing, doubled or altered event');
  t.ok(report.tally.expected > 100, `events were generated (${report.tally.expected})`);
  t.equal(report.tally.stored, report.tally.expected, 'stored = committed');
  t.equal(report.exactlyOnce, true);
  t.ok(report.storms.count >= 2, `the first connect and at least one storm were absorbed (${report.storms.count})`);
  t.ok(report.drops > 0 && report.reconnects > 0, `uplinks dropped (${report.drops}) and came back (${report.reconnects} reconnects)`);
  t.comment(`re-sent ${report.resent}, duplicates dropped by the cloud ${report.tally.duplicatesDropped}`);
});

t.test('the exactly-once check finds a missing seq, altered content, a second epoch and a stranger', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-verify-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'cloud.db');
  const store = new CloudEventStore(file);
  const report = (gatewayId: string, epoch: string, seq: number, n = seq) =>
    store.accept({ gatewayId, epoch, seq, at: seq, receivedAt: seq, event: { kind: 'state_changed', ieee: '0x00124b0000000001', state: { n }, changed: ['n'] } });
  for (const seq of [1, 2, 4]) report('gw-hole', 'e1', seq);
  for (const seq of [1, 2, 3]) report('gw-altered', 'e1', seq, seq === 2 ? 3 : seq);
  report('gw-epochs', 'e1', 1);
  report('gw-epochs', 'e2', 1);
  for (const seq of [1, 2]) report('gw-good', 'e1', seq);
  report('gw-stranger', 'e1', 1);
  store.close();

  const tally = tallyDeliveries(file, [
    { id: 'gw-hole', epoch: 'e1', lastSeq: 4 },
    { id: 'gw-altered', epoch: 'e1', lastSeq: 3 },
    { id: 'gw-epochs', epoch: 'e1', lastSeq: 1 },
    { id: 'gw-good', epoch: 'e1', lastSeq: 2 },
  ]);
  t.match(tally.problems, [
    /^gw-hole: committed 1\.\.4, stored 3 rows/,
    /^gw-altered: 1 stored events carry another seq's content/,
    /^gw-epochs: events under 2 epochs/,
    /^gw-stranger: 1 epoch\(s\) stored for a gateway this run did not simulate/,
  ]);
  t.equal(tally.problems.length, 4, 'gw-good has none');
});
