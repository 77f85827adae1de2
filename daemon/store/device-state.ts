// Latest state per device, one row per (device, key). Values are compared as canonical JSON
// against a per-device cache of what is stored, so an unchanged report costs no write and no
// event. The cache mirrors the open transaction; it is dropped whenever a transaction is lost.
// It is the daemon's only state cache: the zigbee edge reads a device's last state from here
// (get) for the converters.
// A state_changed event carries the device's full latest state plus the changed keys (the
// cloud contract): a platform that missed or dropped an event still ends with every key.
import type Database from 'better-sqlite3';
import type { DeviceState, Ieee } from '../domain/events.js';
import { UnknownDeviceError } from './errors.js';
import { canonicalJson } from './event-codec.js';
import type { Outbox } from './outbox.js';
import type { StateStore } from './types.js';
import type { WriteBatch } from './write-batch.js';

/** Cached values are never handed out (get() copies nested ones), so events may share them. */
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
    // Nested values (a colour) copied: whoever reads them (a converter) cannot change the cache.
    for (const [key, { value }] of stored) state[key] = typeof value === 'object' && value !== null ? structuredClone(value) : value;
    return state;
  }

  apply(ieee: Ieee, partial: DeviceState): { changed: string[] } {
    const stored = this.stored(ieee);
    if (!stored) throw new UnknownDeviceError(ieee);
    const changed: string[] = [];
    const updates: StoredValue[] = [];
    for (const key of Object.keys(partial)) {
      const value = partial[key];
      if (value === undefined) continue;
      const json = canonicalJson(value);
      if (stored.get(key)?.json === json) continue;
      changed.push(key);
      updates.push({ json, value: readBack(value, json) });
    }
    if (changed.length === 0) return { changed };
    const full: DeviceState = {};
    for (const [key, { value }] of stored) full[key] = value;
    for (let i = 0; i < changed.length; i++) full[changed[i]!] = updates[i]!.value;
    this.batch.run(() => {
      const at = this.now();
      for (let i = 0; i < changed.length; i++) this.upsertKey.run(ieee, changed[i]!, updates[i]!.json, at);
      this.outbox.insert({ kind: 'state_changed', ieee, state: full, changed });
    });
    // Only after the rows are in the transaction, so a failed write leaves the cache true.
    for (let i = 0; i < changed.length; i++) stored.set(changed[i]!, updates[i]!);
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

/**
 * The value as its stored JSON reads back: a private copy of an object, null for NaN. A string,
 * a boolean or a finite number other than -0 reads back as itself, so it is not parsed.
 */
function readBack(value: unknown, json: string): unknown {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0)) return value;
  return JSON.parse(json) as unknown;
}
