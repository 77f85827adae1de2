// Turns each bench's JSON result into rows of the `npm run bench` summary table. A bench can
// give its own rows (`summary: [{ metric, value, versus? }]`, as end-to-end.ts does); for the
// others the known result shapes are read here, and anything else is listed field by field.
import { SERIAL_BYTES_PER_SECOND } from './e2e/serial-ceiling.js';

export interface SummaryRow {
  bench: string;
  metric: string;
  value: string;
  /** What the same machine does for the same work elsewhere, as a ratio. */
  versus?: string;
}

type Json = Record<string, unknown>;

/** An AF incomingMsg carrying a one-attribute report, on the wire (see e2e/serial-ceiling.ts). */
const REPORT_FRAME_BYTES = 32;

export function summaryRowsOf(bench: string, result: Json): SummaryRow[] {
  if (Array.isArray(result.summary)) return (result.summary as Array<Omit<SummaryRow, 'bench'>>).map((row) => ({ bench, ...row }));
  if (result.bench === 'store-ingest') return storeIngestRows(bench, result);
  if (result.bench === 'virtual-coordinator') return virtualCoordinatorRows(bench, result);
  return Object.entries(result)
    .filter(([, v]) => typeof v === 'number')
    .map(([metric, v]) => ({ bench, metric, value: String(v) }));
}

interface StorePhase {
  phase: string;
  changesPerSec: number;
  commitsPerSec: number;
  changesPerCommit: number;
  cpuMicrosPerChange: number;
  flushP99Ms?: number;
  maxCommitMs: number;
}

function storeIngestRows(bench: string, result: Json): SummaryRow[] {
  const phases = (result.results ?? []) as StorePhase[];
  const saturate = phases.find((p) => p.phase.startsWith('saturate'));
  const paced = phases.find((p) => p.phase.startsWith('paced'));
  const base = phases.find((p) => p.phase.startsWith('baseline'));
  const rows: SummaryRow[] = [];
  if (saturate) {
    rows.push({
      bench,
      metric: 'store changes/s (saturated, group commit)',
      value: String(saturate.changesPerSec),
      ...(base ? { versus: `${ratio(saturate.changesPerSec, base.changesPerSec)}x commit-per-change (${base.changesPerSec}/s)` } : {}),
    });
    rows.push({ bench, metric: 'store commits/s (saturated)', value: String(saturate.commitsPerSec), versus: `${saturate.changesPerCommit} changes per fsync` });
    if (saturate.flushP99Ms !== undefined) rows.push({ bench, metric: 'store flush p99 ms (saturated)', value: String(saturate.flushP99Ms) });
    rows.push({ bench, metric: 'store worst commit ms (saturated)', value: String(saturate.maxCommitMs) });
  }
  if (paced) {
    rows.push({ bench, metric: `store ${paced.phase}: commits/s`, value: String(paced.commitsPerSec), versus: `${paced.cpuMicrosPerChange} µs CPU per change` });
  }
  return rows;
}

function virtualCoordinatorRows(bench: string, result: Json): SummaryRow[] {
  const ceiling = SERIAL_BYTES_PER_SECOND / REPORT_FRAME_BYTES;
  const frames = Number(result.reportFramesPerSecond);
  return [
    { bench, metric: 'emulator report frames/s', value: String(frames), versus: `${ratio(frames, ceiling)}x serial ceiling (${Math.round(ceiling)}/s)` },
    { bench, metric: 'emulator request/response round trips/s', value: String(result.roundTripsPerSecond) },
  ];
}

function ratio(a: number, b: number): number {
  return Math.round((a / b) * 10) / 10;
}
