// Small key/value settings the daemon owns (pan id choice, hub id, ...). Not the config file.
import type Database from 'better-sqlite3';
import { StoreError } from './errors.js';
import type { SettingsStore } from './types.js';
import type { WriteBatch } from './write-batch.js';

export class Settings implements SettingsStore {
  private readonly getStmt: Database.Statement<[string], { value: string }>;
  private readonly setStmt: Database.Statement<[string, string, number]>;
  private readonly deleteStmt: Database.Statement<[string]>;

  constructor(
    db: Database.Database,
    private readonly batch: WriteBatch,
    private readonly now: () => number,
  ) {
    this.getStmt = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.setStmt = db.prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    this.deleteStmt = db.prepare('DELETE FROM settings WHERE key = ?');
  }

  get(key: string): string | undefined {
    return this.getStmt.get(key)?.value;
  }

  set(key: string, value: string): void {
    if (typeof key !== 'string' || key.length === 0) throw new StoreError('invalid_argument', 'setting key must be a non-empty string');
    if (key.startsWith('store.')) throw new StoreError('invalid_argument', `setting ${key}: the store. prefix is reserved`);
    if (typeof value !== 'string') throw new StoreError('invalid_argument', `setting ${key} must be a string`);
    this.batch.run(() => this.setStmt.run(key, value, this.now()));
  }

  /** For the store's own `store.` keys; only for code already inside batch.run(). */
  setInternal(key: `store.${string}`, value: string): void {
    this.setStmt.run(key, value, this.now());
  }

  delete(key: string): void {
    if (key.startsWith('store.')) throw new StoreError('invalid_argument', `setting ${key}: the store. prefix is reserved`);
    this.batch.run(() => this.deleteStmt.run(key));
  }
}
