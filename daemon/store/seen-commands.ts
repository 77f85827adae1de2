// Command ids the hub has started (or answered at once), kept in the database so that "a command
// id seen before is not run twice" also holds across restarts, and whether each was answered, so
// a re-send of a command that was running when the hub died still gets an answer. A started
// record is committed at once (the command reaches the radio next: committed a group-commit
// window later, a crash in between would let a re-send run it twice). Answered marks go through
// the group commit; the runner marks an id answered right after appending its result, so both
// normally commit together.
import type Database from 'better-sqlite3';
import { StoreError } from './errors.js';
import type { SeenCommandState, SeenCommandsStore } from './types.js';
import type { WriteBatch } from './write-batch.js';

/**
 * How long ids are remembered (cloud.proto, Command: the dedupe window). An id is kept for at
 * least `windowMs` after it was first seen however many commands arrive, and beyond that while
 * it is among the newest `keep`; `max` bounds the table (oldest first) against a runaway platform.
 */
export interface SeenCommandsRetention {
  keep: number;
  windowMs: number;
  max: number;
}

export const DEFAULT_SEEN_COMMANDS_RETENTION: SeenCommandsRetention = {
  keep: 10_000,
  windowMs: 7 * 24 * 3600_000,
  max: 200_000,
};

export class SeenCommands implements SeenCommandsStore {
  private readonly stateStmt: Database.Statement<[string], { answered_at: number | null }>;
  private readonly addStmt: Database.Statement<[string, number]>;
  private readonly answeredStmt: Database.Statement<[number, string]>;
  private readonly trimStmt: Database.Statement<[number, number]>;
  private readonly capStmt: Database.Statement<[number]>;

  constructor(
    db: Database.Database,
    private readonly batch: WriteBatch,
    private readonly now: () => number,
    private readonly retention: SeenCommandsRetention = DEFAULT_SEEN_COMMANDS_RETENTION,
  ) {
    this.stateStmt = db.prepare('SELECT answered_at FROM seen_commands WHERE id = ?');
    this.addStmt = db.prepare('INSERT INTO seen_commands (id, seen_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING');
    this.answeredStmt = db.prepare('UPDATE seen_commands SET answered_at = ? WHERE id = ? AND answered_at IS NULL');
    // seq is monotonic, so both are oldest-first forgetting; seen_at keeps the window's ids.
    this.trimStmt = db.prepare('DELETE FROM seen_commands WHERE seq <= (SELECT max(seq) FROM seen_commands) - ? AND seen_at < ?');
    this.capStmt = db.prepare('DELETE FROM seen_commands WHERE seq <= (SELECT max(seq) FROM seen_commands) - ?');
  }

  state(id: string): SeenCommandState | undefined {
    const row = this.stateStmt.get(id);
    if (!row) return undefined;
    return row.answered_at === null ? 'started' : 'answered';
  }

  /** Durable when it returns; throws (StoreError) when it could not be made durable. */
  add(id: string): void {
    checkId(id);
    this.batch.run(() => {
      const now = this.now();
      const { changes } = this.addStmt.run(id, now);
      if (changes > 0) {
        const { keep, windowMs, max } = this.retention;
        this.trimStmt.run(keep, now - windowMs);
        this.capStmt.run(max);
      }
    });
    this.batch.commitNow();
  }

  markAnswered(id: string): void {
    checkId(id);
    this.batch.run(() => this.answeredStmt.run(this.now(), id));
  }
}

function checkId(id: string): void {
  if (typeof id !== 'string' || id.length === 0) throw new StoreError('invalid_argument', 'a command id must be a non-empty string');
}
