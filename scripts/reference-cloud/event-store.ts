// What the platform has received, per gateway, in its own SQLite file (better-sqlite3; this is
// a separate tool, so it has its own store, not daemon/store). Events are de-duplicated by
// (gateway id, outbox epoch, seq) against a per-(gateway, epoch) cursor: the highest seq
// stored. An event and its cursor move in one transaction, and the session commits a whole
// batch before it acks it, so an Ack never covers an event the platform could lose by
// crashing. A restarted reference cloud on the same file answers Welcome with what it has.
import Database from 'better-sqlite3';
import type { HubEvent } from '../../daemon/domain/events.js';

export interface StoredEvent {
  gatewayId: string;
  /** The gateway's outbox epoch (Hello.outbox_epoch); '' when the gateway does not track it. */
  epoch: string;
  seq: number;
  /** When the gateway committed it (ms since epoch). */
  at: number;
  /** When the platform received it (ms since epoch). */
  receivedAt: number;
  event: HubEvent;
}

/** An event as offered to the store; `event` undefined = a payload this platform cannot read. */
export type IncomingEvent = Omit<StoredEvent, 'event'> & { event: HubEvent | undefined };

export interface GatewayCursor {
  gatewayId: string;
  epoch: string;
  lastSeq: number;
  /** Events stored under this cursor (readable or not). */
  events: number;
  duplicates: number;
  updatedAt: number;
}

export interface EventQuery {
  gatewayId: string;
  /** Only events with a seq above this (in every epoch unless `epoch` is given). */
  afterSeq?: number;
  epoch?: string;
  kind?: string;
  limit?: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    id          INTEGER PRIMARY KEY,  -- arrival order
    gateway_id  TEXT NOT NULL,
    epoch       TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    at_ms       INTEGER NOT NULL,
    received_ms INTEGER NOT NULL,
    kind        TEXT,                 -- NULL: a payload this platform cannot read (a newer gateway)
    body        TEXT,                 -- the decoded event, JSON
    UNIQUE (gateway_id, epoch, seq)
  );
  CREATE INDEX IF NOT EXISTS events_by_kind ON events (gateway_id, kind);
  CREATE TABLE IF NOT EXISTS cursors (
    gateway_id  TEXT NOT NULL,
    epoch       TEXT NOT NULL,
    last_seq    INTEGER NOT NULL,
    events      INTEGER NOT NULL DEFAULT 0,
    duplicates  INTEGER NOT NULL DEFAULT 0,
    updated_ms  INTEGER NOT NULL,
    PRIMARY KEY (gateway_id, epoch)
  ) WITHOUT ROWID;
`;

interface EventRow {
  gateway_id: string;
  epoch: string;
  seq: number;
  at_ms: number;
  received_ms: number;
  body: string;
}

export interface CloudEventStoreOptions {
  /** Open an existing file only (a query tool must not create an empty database by mistake). */
  mustExist?: boolean;
  readonly?: boolean;
}

export class CloudEventStore {
  readonly db: Database.Database;
  private readonly statements;

  /** file: the SQLite file (created if missing); none = in memory, gone with the process. */
  constructor(readonly file?: string, options: CloudEventStoreOptions = {}) {
    this.db = new Database(file ?? ':memory:', { fileMustExist: !!options.mustExist, readonly: !!options.readonly });
    if (!options.readonly) {
      // WAL lets the query CLI read while the server writes. NORMAL: a committed batch survives
      // a crash of this process (what the tests and fleet-sim kill); a production platform that
      // acks must also survive power loss (synchronous=FULL or replicated storage, docs/PLATFORM.md).
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.exec(SCHEMA);
    }
    this.db.pragma('busy_timeout = 5000');
    const db = this.db;
    this.statements = {
      cursor: db.prepare<[string, string], { last_seq: number }>('SELECT last_seq FROM cursors WHERE gateway_id = ? AND epoch = ?'),
      insert: db.prepare(
        'INSERT INTO events (gateway_id, epoch, seq, at_ms, received_ms, kind, body) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      advance: db.prepare(
        `INSERT INTO cursors (gateway_id, epoch, last_seq, events, updated_ms) VALUES (?, ?, ?, 1, ?)
         ON CONFLICT (gateway_id, epoch) DO UPDATE SET last_seq = excluded.last_seq, events = events + 1, updated_ms = excluded.updated_ms`,
      ),
      duplicate: db.prepare(
        `INSERT INTO cursors (gateway_id, epoch, last_seq, duplicates, updated_ms) VALUES (?, ?, 0, 1, ?)
         ON CONFLICT (gateway_id, epoch) DO UPDATE SET duplicates = duplicates + 1`,
      ),
      duplicates: db.prepare<[string], { n: number | null }>('SELECT SUM(duplicates) AS n FROM cursors WHERE gateway_id = ?'),
      byGateway: db.prepare<[string], EventRow>(
        'SELECT gateway_id, epoch, seq, at_ms, received_ms, body FROM events WHERE gateway_id = ? AND body IS NOT NULL ORDER BY id',
      ),
      all: db.prepare<[], EventRow>('SELECT gateway_id, epoch, seq, at_ms, received_ms, body FROM events WHERE body IS NOT NULL ORDER BY id'),
      commandResult: db.prepare<[string, string], EventRow>(
        `SELECT gateway_id, epoch, seq, at_ms, received_ms, body FROM events
         WHERE gateway_id = ? AND kind = 'command_result' AND json_extract(body, '$.commandId') = ? ORDER BY id LIMIT 1`,
      ),
      cursors: db.prepare<[], { gateway_id: string; epoch: string; last_seq: number; events: number; duplicates: number; updated_ms: number }>(
        'SELECT gateway_id, epoch, last_seq, events, duplicates, updated_ms FROM cursors ORDER BY gateway_id, updated_ms',
      ),
    };
  }

  /** The highest seq stored for this gateway's outbox epoch (0 = none): Welcome.last_seq_seen. */
  lastSeq(gatewayId: string, epoch: string): number {
    return this.statements.cursor.get(gatewayId, epoch)?.last_seq ?? 0;
  }

  /**
   * Stores an event unless its seq was seen already (at or below the cursor). Returns false for
   * a duplicate. `event` undefined records the seq as received without a readable payload.
   */
  accept(entry: IncomingEvent): boolean {
    return this.transaction(() => {
      if (entry.seq <= this.lastSeq(entry.gatewayId, entry.epoch)) {
        this.statements.duplicate.run(entry.gatewayId, entry.epoch, entry.receivedAt);
        return false;
      }
      const body = entry.event ? JSON.stringify(entry.event) : null;
      this.statements.insert.run(entry.gatewayId, entry.epoch, entry.seq, entry.at, entry.receivedAt, entry.event?.kind ?? null, body);
      this.statements.advance.run(entry.gatewayId, entry.epoch, entry.seq, entry.receivedAt);
      return true;
    });
  }

  /** Runs fn in one transaction (nested calls join the outer one): a batch is stored whole or not at all. */
  transaction<T>(fn: () => T): T {
    return this.db.inTransaction ? fn() : this.db.transaction(fn)();
  }

  /** A gateway's stored events in arrival (= seq) order, all epochs. */
  events(gatewayId: string): StoredEvent[] {
    return this.statements.byGateway.all(gatewayId).map(toStored);
  }

  /** Stored events matching a query, in arrival order. */
  query({ gatewayId, afterSeq = 0, epoch, kind, limit }: EventQuery): StoredEvent[] {
    const where = ['gateway_id = ?', 'body IS NOT NULL', 'seq > ?'];
    const params: Array<string | number> = [gatewayId, afterSeq];
    if (epoch !== undefined) {
      where.push('epoch = ?');
      params.push(epoch);
    }
    if (kind !== undefined) {
      where.push('kind = ?');
      params.push(kind);
    }
    const sql = `SELECT gateway_id, epoch, seq, at_ms, received_ms, body FROM events WHERE ${where.join(' AND ')} ORDER BY id${limit ? ` LIMIT ${Math.floor(limit)}` : ''}`;
    return this.db.prepare<Array<string | number>, EventRow>(sql).all(...params).map(toStored);
  }

  all(): StoredEvent[] {
    return this.statements.all.all().map(toStored);
  }

  /** The first stored command_result for this command id, if any. */
  commandResult(gatewayId: string, commandId: string): StoredEvent | undefined {
    const row = this.statements.commandResult.get(gatewayId, commandId);
    return row && toStored(row);
  }

  /** How many duplicate deliveries were dropped for this gateway (all epochs). */
  duplicates(gatewayId: string): number {
    return this.statements.duplicates.get(gatewayId)?.n ?? 0;
  }

  /** Every (gateway, epoch) cursor: what a restarted or another replica resumes from. */
  cursors(): GatewayCursor[] {
    return this.statements.cursors.all().map((row) => ({
      gatewayId: row.gateway_id,
      epoch: row.epoch,
      lastSeq: row.last_seq,
      events: row.events,
      duplicates: row.duplicates,
      updatedAt: row.updated_ms,
    }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toStored(row: EventRow): StoredEvent {
  return {
    gatewayId: row.gateway_id,
    epoch: row.epoch,
    seq: row.seq,
    at: row.at_ms,
    receivedAt: row.received_ms,
    event: JSON.parse(row.body) as HubEvent,
  };
}
