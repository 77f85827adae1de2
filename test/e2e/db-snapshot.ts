// Reads the daemon's database file from the test, read-only, as the next start would find it:
// the integrity check and the rows the proofs compare with what the cloud received.
import Database from 'better-sqlite3';

export interface DeviceRow {
  ieee: string;
  model: string | null;
  interview: string;
  available: number;
  left_at: number | null;
}

export interface DbSnapshot {
  /** PRAGMA integrity_check: 'ok' or the first problems. */
  integrity: string;
  devices: DeviceRow[];
  /** The highest outbox seq ever committed (sqlite_sequence), 0 for none. */
  lastSeq: number;
  /** What the cloud acknowledged, as this file remembers it. */
  ackedSeq: number;
  /** device_state value of (ieee, key), parsed; undefined when there is no row. */
  state(ieee: string, key: string): unknown;
}

export function readDbSnapshot(file: string): DbSnapshot {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check(10)') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
    const devices = db.prepare('SELECT ieee, model, interview, available, left_at FROM devices ORDER BY ieee').all() as DeviceRow[];
    const seq = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'outbox'`).get() as { seq: number } | undefined;
    const acked = db.prepare(`SELECT acked_seq FROM cloud_cursor WHERE stream = 'cloud'`).get() as { acked_seq: number } | undefined;
    const state = new Map<string, unknown>();
    for (const row of db.prepare('SELECT ieee, key, value FROM device_state').all() as Array<{ ieee: string; key: string; value: string }>) {
      state.set(`${row.ieee}/${row.key}`, JSON.parse(row.value));
    }
    return {
      integrity,
      devices,
      lastSeq: seq?.seq ?? 0,
      ackedSeq: acked?.acked_seq ?? 0,
      state: (ieee, key) => state.get(`${ieee}/${key}`),
    };
  } finally {
    db.close();
  }
}
