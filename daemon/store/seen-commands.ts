// Command ids the hub has already accepted, kept in the database so that "a command id seen
// before is not run twice" also holds across restarts. Written through the group commit like
// everything else: an id becomes durable with the command's result event, or earlier.
import type Database from 'better-sqlite3';
import { StoreError } from './errors.js';
import type { SeenCommandsStore } from './types.js';
import type { WriteBatch } from './write-batch.js';

export const DEFAULT_SEEN_COMMANDS_CAPACITY = 10_000;

export class SeenCommands implements SeenCommandsStore {
  private readonly hasStmt: Database.Statement<[string], { one: number }>;
  private readonly addStmt: Database.Statement<[string, number]>;
  private readonly trimStmt: Database.Statement<[number]>;

  constructor(
    db: Database.Database,
    private readonly batch: WriteBatch,
    private readonly now: () => number,
    private readonly capacity = DEFAULT_SEEN_COMMANDS_CAPACITY,
  ) {
    this.hasStmt = db.prepare('SELECT 1 AS one FROM seen_commands WHERE id = ?');
    this.addStmt = db.prepare('INSERT INTO seen_commands (id, seen_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING');
    // Keeps the newest `capacity` ids; seq is monotonic, so this is oldest-first forgetting.
    this.trimStmt = db.prepare('DELETE FROM seen_commands WHERE seq <= (SELECT max(seq) FROM seen_commands) - ?');
  }

  has(id: string): boolean {
    return this.hasStmt.get(id) !== undefined;
  }

  add(id: string): void {
    if (typeof id !== 'string' || id.length === 0) throw new StoreError('invalid_argument', 'a command id must be a non-empty string');
    this.batch.run(() => {
      const { changes } = this.addStmt.run(id, this.now());
      if (changes > 0) this.trimStmt.run(this.capacity);
    });
  }
}
