// Latest state per device, one row per (device, key). Values are compared as canonical JSON
// against a per-device cache of what is stored, so an unchanged report costs no write and no
// event. The cache mirrors the open transaction; it is dropped whenever a transaction is lost.
// It is the daemon's only state cache: the zigbee edge reads a device's last state from here
// (get) for the converters.
import type Database from 'better-sqlite3';
import type { DeviceState, Ieee } from '../domain/events.js';
import { UnknownDeviceError } from './errors.js';
import { canonicalJson } from './event-codec.js';
import type { Outbox } from './outbox.js';
import type { StateStore } from './types.js';
import type { WriteBatch } from './write-batch.js';

export class DeviceStates implements StateStore {
  /** ieee -> key -> the stored value and its canonical JSON. */
  private cache = new Map<Ieee, Map<string, CachedValue>>();
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
    // Nested values (a colour) copied: whoever reads them (a converter) cannot change the cache.
    for (const [key, { value }] of stored) state[key] = typeof value === 'object' && value !== null ? structuredClone(value) : value;
    return state;
  }

  apply(ieee: Ieee, partial: DeviceState): { changed: string[] } {
    const stored = this.stored(ieee);
    if (!stored) throw new UnknownDeviceError(ieee);
    const changed: string[] = [];
    const encoded: string[] = [];
    const delta: DeviceState = {};
    for (const key of Object.keys(partial)) {
      const value = partial[key];
      if (value === undefined) continue;
      const json = canonicalJson(value);
      if (stored.get(key)?.json === json) continue;
      changed.push(key);
      encoded.push(json);
      delta[key] = value;
    }
    if (changed.length === 0) return { changed };
    this.batch.run(() => {
      const at = this.now();
      for (let i = 0; i < changed.length; i++) this.upsertKey.run(ieee, changed[i]!, encoded[i]!, at);
      this.outbox.insert({ kind: 'state_changed', ieee, state: delta, changed });
    });
    // Only after the rows are in the transaction, so a failed write leaves the cache true.
    // Parsed back from JSON: the cache holds what a reload from disk would give.
    for (let i = 0; i < changed.length; i++) stored.set(changed[i]!, { json: encoded[i]!, value: JSON.parse(encoded[i]!) });
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

  private stored(ieee: Ieee): Map<string, CachedValue> | undefined {
    let entry = this.cache.get(ieee);
    if (entry) return entry;
    if (!this.deviceExists.get(ieee)) return undefined;
    entry = new Map(this.loadState.all(ieee).map((row) => [row.key, { json: row.value, value: JSON.parse(row.value) }]));
    this.cache.set(ieee, entry);
    return entry;
  }
}

interface CachedValue {
  json: string;
  value: unknown;
}
