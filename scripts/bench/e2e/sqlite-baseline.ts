// Baseline: raw better-sqlite3 on this machine doing the storage work of one report - upsert
// the device_state row, append the outbox event - with the daemon's pragmas (WAL,
// synchronous=FULL) and one transaction per batch, no daemon code around it. The ratio of the
// end-to-end rate to this says how much of the storage ceiling the daemon leaves unused.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SqliteBaseline {
  reportsPerSec: number;
  commitsPerSec: number;
  batch: number;
}

export function measureRawSqlite(seconds: number, batch: number): SqliteBaseline {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-bench-sqlite-'));
  const db = new Database(path.join(dir, 'raw.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`
      CREATE TABLE device_state (ieee TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, updated_at INTEGER NOT NULL,
        PRIMARY KEY (ieee, key)) STRICT, WITHOUT ROWID;
      CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, kind TEXT NOT NULL,
        class TEXT NOT NULL, payload TEXT NOT NULL, bytes INTEGER NOT NULL) STRICT;`);
    const upsert = db.prepare(
      `INSERT INTO device_state (ieee, key, value, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (ieee, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    const append = db.prepare(`INSERT INTO outbox (at, kind, class, payload, bytes) VALUES (?, 'state_changed', 'telemetry', ?, ?)`);
    let n = 0;
    const one = () => {
      const ieee = `0x00158d00000000${(n % 6).toString(16).padStart(2, '0')}`;
      const value = String(10 + (n % 5000) / 100);
      const payload = JSON.stringify({ kind: 'state_changed', ieee, state: { temperature: Number(value) }, changed: ['temperature'] });
      const at = Date.now();
      upsert.run(ieee, 'temperature', value, at);
      append.run(at, payload, payload.length);
      n++;
    };
    const writeBatch = db.transaction(() => {
      for (let i = 0; i < batch; i++) one();
    });
    let commits = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000) {
      writeBatch();
      commits++;
    }
    const elapsed = (performance.now() - t0) / 1000;
    return { reportsPerSec: n / elapsed, commitsPerSec: commits / elapsed, batch };
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
