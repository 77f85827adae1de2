// Did every event arrive exactly once? Asked of the reference cloud's SQLite file after the run,
// per gateway: one row per committed seq 1..N of its epoch (no loss, no second copy), each
// with the content that seq was committed with (the report carries its seq as state.n).
import Database from 'better-sqlite3';

export interface ExpectedGateway {
  id: string;
  epoch: string;
  /** The gateway committed seqs 1..lastSeq. */
  lastSeq: number;
}

export interface DeliveryTally {
  expected: number;
  stored: number;
  /** Re-sent events the cloud recognised and did not store again. */
  duplicatesDropped: number;
  /** One line per gateway whose stored events differ from what it committed (empty = exactly once). */
  problems: string[];
}

interface Row {
  gateway_id: string;
  epoch: string;
  rows: number;
  distinct_seqs: number;
  min_seq: number;
  max_seq: number;
  wrong_content: number;
}

export function tallyDeliveries(databaseFile: string, gateways: ExpectedGateway[]): DeliveryTally {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare<[], Row>(
        `SELECT gateway_id, epoch, COUNT(*) AS rows, COUNT(DISTINCT seq) AS distinct_seqs, MIN(seq) AS min_seq, MAX(seq) AS max_seq,
                SUM(json_extract(body, '$.state.n') IS NOT seq) AS wrong_content
         FROM events GROUP BY gateway_id, epoch`,
      )
      .all();
    const duplicates = db.prepare<[], { n: number | null }>('SELECT SUM(duplicates) AS n FROM cursors').get()?.n ?? 0;
    const byGateway = new Map<string, Row[]>();
    for (const row of rows) byGateway.set(row.gateway_id, [...(byGateway.get(row.gateway_id) ?? []), row]);
    const problems: string[] = [];
    for (const gateway of gateways) {
      const found = byGateway.get(gateway.id) ?? [];
      byGateway.delete(gateway.id);
      const row = found.find((r) => r.epoch === gateway.epoch);
      if (found.length !== (gateway.lastSeq > 0 ? 1 : 0) || (gateway.lastSeq > 0 && !row)) {
        problems.push(`${gateway.id}: events under ${found.length} epochs (${found.map((r) => r.epoch).join(', ')}), expected its one epoch ${gateway.epoch}`);
        continue;
      }
      if (!row) continue;
      const exact = row.rows === gateway.lastSeq && row.distinct_seqs === gateway.lastSeq && row.min_seq === 1 && row.max_seq === gateway.lastSeq;
      if (!exact) problems.push(`${gateway.id}: committed 1..${gateway.lastSeq}, stored ${row.rows} rows (${row.distinct_seqs} distinct, ${row.min_seq}..${row.max_seq})`);
      if (row.wrong_content > 0) problems.push(`${gateway.id}: ${row.wrong_content} stored events carry another seq's content`);
    }
    for (const [id, extra] of byGateway) problems.push(`${id}: ${extra.length} epoch(s) stored for a gateway this run did not simulate`);
    return {
      expected: gateways.reduce((sum, g) => sum + g.lastSeq, 0),
      stored: rows.reduce((sum, r) => sum + r.rows, 0),
      duplicatesDropped: duplicates,
      problems,
    };
  } finally {
    db.close();
  }
}
