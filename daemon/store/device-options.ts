// Per-device converter options (devices.options, a JSON object). Read for every message a
// device sends, so they are cached; the cache follows every write made here and forgets a
// device whose row is removed. Checking them against the device's definition is the zigbee
// edge's job: this stores what it was given.
import type Database from 'better-sqlite3';
import type { Ieee } from '../domain/events.js';
import { UnknownDeviceError } from './errors.js';
import type { WriteBatch } from './write-batch.js';

export type DeviceOptionValues = Record<string, unknown>;

export class DeviceOptions {
  private readonly cache = new Map<Ieee, DeviceOptionValues>();
  private readonly load: Database.Statement<[string], { options: string | null }>;
  private readonly save: Database.Statement<[string | null, string]>;

  constructor(
    db: Database.Database,
    private readonly batch: WriteBatch,
  ) {
    this.load = db.prepare('SELECT options FROM devices WHERE ieee = ?');
    this.save = db.prepare('UPDATE devices SET options = ? WHERE ieee = ?');
  }

  /** The device's options; {} for none or an unknown device. A copy: changing it changes nothing. */
  get(ieee: Ieee): DeviceOptionValues {
    let options = this.cache.get(ieee);
    if (!options) {
      const row = this.load.get(ieee);
      if (!row) return {};
      options = row.options === null ? {} : (JSON.parse(row.options) as DeviceOptionValues);
      this.cache.set(ieee, options);
    }
    return structuredClone(options);
  }

  /** Replaces the device's options ({} clears them). Throws UnknownDeviceError for a device not in the table. */
  set(ieee: Ieee, options: DeviceOptionValues): void {
    const json = Object.keys(options).length === 0 ? null : JSON.stringify(options);
    this.batch.run(() => {
      if (this.save.run(json, ieee).changes === 0) throw new UnknownDeviceError(ieee);
    });
    this.cache.set(ieee, structuredClone(options));
  }

  /** The device's row was deleted (its options went with it), or a transaction was lost. */
  forget(ieee?: Ieee): void {
    if (ieee === undefined) this.cache.clear();
    else this.cache.delete(ieee);
  }
}
