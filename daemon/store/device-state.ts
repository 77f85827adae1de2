// Latest state per device, one row per (device, key). Values are compared as canonical JSON
// against a per-device cache of what is stored, so an unchanged report costs no write and no
// event. The cache mirrors the open transaction; it is dropped whenever a transaction is lost.
// A state_changed event carries the device's full latest state plus the changed keys (the
// cloud contract): a platform that missed or dropped an event still ends with every key.
import type Database from 'better-sqlite3';
import type { DeviceState, Ieee } from '../domain/events.js';
import { UnknownDeviceError } from './errors.js';
import { canonicalJson } from './event-codec.js';
import type { Outbox } from './outbox.js';
import type { StateStore } from './types.js';
import type { WriteBatch } from './write-batch.js';

/** Cached values are never handed out (get() parses afresh), so events may share them. */
interface StoredValue {
  json: string;
  value: unknown;
}

export class DeviceStates implements StateStore {
  /** ieee -> key -> the stored value and its canonical JSON. */
  private cache = new Map<Ieee, Map<string, StoredValue>>();
  private readonly deviceExists: Database.Statement<[string], { one: number }>;
  private readonly loadState: Database.Statement<[string], { key: string; value: string }>;
  private readonly upsertKey: Database.Statement<[string, string, string, number]>;

  constructor(
    db: Database.Database,
    private readonly batch: WriteBatch,
    private readonly outbox: Outbox,
    private readonly now: () => number,
  ) {
    this.deviceExists = db.prepare('SELECT 1 AS one FROM devices WHERE ieee = ?');
    this.loadState = db.prepare('SELECT key, value FROM device_state WHERE ieee = ?');
    this.upsertKey = db.prepare(
      `INSERT INTO device_state (ieee, key, value, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (ieee, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
  }

  get(ieee: Ieee): DeviceState | undefined {
    const stored = this.stored(ieee);
    if (!stored) return undefined;
    const state: DeviceState = {};
    // Parsed afresh: callers may change what they get without touching the cache.
    for (const [key, { json }] of stored) state[key] = JSON.parse(json);
    return state;
  }

  apply(ieee: Ieee, partial: DeviceState): { changed: string[] } {
    const stored = this.stored(ieee);
    if (!stored) throw new UnknownDeviceError(ieee);
    const changed: string[] = [];
    const encoded: string[] = [];
    for (const key of Object.keys(partial)) {
      const value = partial[key];
      if (value === undefined) continue;
      const json = canonicalJson(value);
      if (stored.get(key)?.json === json) continue;
      changed.push(key);
      encoded.push(json);
    }
    if (changed.length === 0) return { changed };
    const full: DeviceState = {};
    for (const [key, { value }] of stored) full[key] = value;
    const updates = changed.map((key, i) => [key, { json: encoded[i]!, value: JSON.parse(encoded[i]!) as unknown }] as const);
    for (const [key, { value }] of updates) full[key] = value;
    this.batch.run(() => {
      const at = this.now();
      for (let i = 0; i < changed.length; i++) this.upsertKey.run(ieee, changed[i]!, encoded[i]!, at);
      this.outbox.insert({ kind: 'state_changed', ieee, state: full, changed });
    });
    // Only after the rows are in the transaction, so a failed write leaves the cache true.
    for (const [key, entry] of updates) stored.set(key, entry);
    return { changed };
  }

  /** A device row was deleted (its state rows went with it). */
  forget(ieee: Ieee): void {
    this.cache.delete(ieee);
  }

  /** The open transaction was lost: the cache may hold values that never reached the disk. */
  reset(): void {
    this.cache = new Map();
  }

  private stored(ieee: Ieee): Map<string, StoredValue> | undefined {
    let entry = this.cache.get(ieee);
    if (entry) return entry;
    if (!this.deviceExists.get(ieee)) return undefined;
    entry = new Map(this.loadState.all(ieee).map((row) => [row.key, { json: row.value, value: JSON.parse(row.value) as unknown }]));
    this.cache.set(ieee, entry);
    return entry;
  }
}
