// The device table. Every change that the cloud must hear about queues its event in the same
// transaction as the row change, through the outbox.
import type Database from 'better-sqlite3';
import { isIeee, labelProblem, MAX_LABEL_LENGTH } from '../domain/device-names.js';
import type { DeviceDescription, Ieee } from '../domain/events.js';
import type { DevicePresence } from './device-presence.js';
import { NameTakenError, StoreError, UnknownDeviceError } from './errors.js';
import type { Outbox } from './outbox.js';
import type { DeviceRecord, DeviceStore, UpsertResult } from './types.js';
import type { WriteBatch } from './write-batch.js';

interface DeviceRow {
  ieee: string;
  nwk: number;
  type: DeviceDescription['type'];
  manufacturer_code: number | null;
  manufacturer_name: string | null;
  model_id: string | null;
  model: string | null;
  vendor: string | null;
  description: string | null;
  supported: number;
  power_source: string | null;
  endpoints: string;
  interview: DeviceDescription['interview'];
  name: string;
  room: string | null;
  joined_at: number;
  last_seen: number | null;
  linkquality: number | null;
  available: number;
  left_at: number | null;
  quarantine_reason: string | null;
  quarantine_stage: string | null;
  quarantined_at: number | null;
}

function assertIeee(ieee: string): void {
  if (!isIeee(ieee)) throw new StoreError('invalid_argument', `not an ieee address (0x + 16 lower-case hex digits): ${JSON.stringify(ieee)}`);
}

export class Devices implements DeviceStore {
  private readonly stmts;

  constructor(
    db: Database.Database,
    private readonly batch: WriteBatch,
    private readonly outbox: Outbox,
    private readonly now: () => number,
    /** Called when a device row is deleted, so caches can forget it. */
    private readonly onRemoved: (ieee: Ieee) => void,
    /** Existence, availability and last-seen in memory: what every frame touches. */
    private readonly presence: DevicePresence,
    /** Inside the removal's transaction, before the row goes: rows elsewhere that name it, with their events. */
    private readonly beforeRemove: (ieee: Ieee) => void = () => undefined,
  ) {
    const descCols = `nwk = @nwk, type = @type, manufacturer_code = @manufacturer_code, manufacturer_name = @manufacturer_name,
      model_id = @model_id, model = @model, vendor = @vendor, description = @description, supported = @supported,
      power_source = @power_source, endpoints = @endpoints, interview = @interview`;
    this.stmts = {
      get: db.prepare<[string], DeviceRow>('SELECT * FROM devices WHERE ieee = ?'),
      getByName: db.prepare<[string], DeviceRow>('SELECT * FROM devices WHERE name = ?'),
      list: db.prepare<[], DeviceRow>('SELECT * FROM devices ORDER BY name'),
      insert: db.prepare(
        `INSERT INTO devices (ieee, nwk, type, manufacturer_code, manufacturer_name, model_id, model, vendor, description,
           supported, power_source, endpoints, interview, name, joined_at, available)
         VALUES (@ieee, @nwk, @type, @manufacturer_code, @manufacturer_name, @model_id, @model, @vendor, @description,
           @supported, @power_source, @endpoints, @interview, @ieee, @now, 1)`,
      ),
      // A device that had left and joins again is reachable again (right-hand sides see the old row).
      update: db.prepare(
        `UPDATE devices SET ${descCols}, available = CASE WHEN left_at IS NULL THEN available ELSE 1 END, left_at = NULL
         WHERE ieee = @ieee`,
      ),
      rename: db.prepare<[string, string]>('UPDATE devices SET name = ? WHERE ieee = ?'),
      setRoom: db.prepare<[string | null, string]>('UPDATE devices SET room = ? WHERE ieee = ?'),
      markLeft: db.prepare<[number, string]>('UPDATE devices SET left_at = ?, available = 0 WHERE ieee = ?'),
      remove: db.prepare<[string]>('DELETE FROM devices WHERE ieee = ?'),
      setAvailable: db.prepare<[number, string]>('UPDATE devices SET available = ? WHERE ieee = ?'),
      quarantine: db.prepare<[string, string, number, string]>(
        'UPDATE devices SET quarantine_reason = ?, quarantine_stage = ?, quarantined_at = ? WHERE ieee = ?',
      ),
      release: db.prepare<[string]>(
        'UPDATE devices SET quarantine_reason = NULL, quarantine_stage = NULL, quarantined_at = NULL WHERE ieee = ? AND quarantine_reason IS NOT NULL',
      ),
    };
  }

  upsert(desc: DeviceDescription): UpsertResult {
    assertIeee(desc.ieee);
    const params = {
      ieee: desc.ieee,
      nwk: desc.nwk,
      type: desc.type,
      manufacturer_code: desc.manufacturerCode ?? null,
      manufacturer_name: desc.manufacturerName ?? null,
      model_id: desc.modelId ?? null,
      model: desc.model ?? null,
      vendor: desc.vendor ?? null,
      description: desc.description ?? null,
      supported: desc.supported ? 1 : 0,
      power_source: desc.powerSource ?? null,
      endpoints: JSON.stringify(desc.endpoints),
      interview: desc.interview,
    };
    return this.batch.run(() => {
      const existing = this.stmts.get.get(desc.ieee);
      if (existing) this.stmts.update.run(params);
      else this.stmts.insert.run({ ...params, now: this.now() });
      const joined = !existing || existing.left_at !== null;
      this.presence.setRow(desc.ieee, joined || existing.available === 1);
      const interviewChanged = existing?.interview !== desc.interview && !(joined && desc.interview === 'pending');
      if (joined) this.outbox.insert({ kind: 'device_joined', ieee: desc.ieee, nwk: desc.nwk });
      if (interviewChanged) {
        this.outbox.insert({ kind: 'device_interview', ieee: desc.ieee, status: desc.interview, device: descriptionOnly(desc) });
      }
      return { joined, interviewChanged };
    });
  }

  get(ieee: Ieee): DeviceRecord | undefined {
    const row = this.stmts.get.get(ieee);
    return row && this.record(row);
  }

  has(ieee: Ieee): boolean {
    return this.presence.has(ieee);
  }

  getByName(name: string): DeviceRecord | undefined {
    const row = this.stmts.getByName.get(name);
    return row && this.record(row);
  }

  list(): DeviceRecord[] {
    return this.stmts.list.all().map((row) => this.record(row));
  }

  rename(ieee: Ieee, name: string): void {
    const clean = validName(name, 'name');
    // A name that looks like an ieee could collide with the default name of a future device.
    if (isIeee(clean.toLowerCase()) && clean.toLowerCase() !== ieee) {
      throw new StoreError('invalid_argument', `name "${clean}" looks like another device's ieee address`);
    }
    this.batch.run(() => {
      const row = this.requireRow(ieee);
      if (row.name === clean) return;
      const holder = this.stmts.getByName.get(clean);
      if (holder && holder.ieee !== ieee) throw new NameTakenError(clean, holder.ieee);
      this.stmts.rename.run(clean, ieee);
      this.outbox.insert({ kind: 'device_renamed', ieee, name: clean, ...(row.room !== null ? { room: row.room } : {}) });
    });
  }

  setRoom(ieee: Ieee, room: string | null): void {
    const clean = room === null ? null : validName(room, 'room');
    this.batch.run(() => {
      const row = this.requireRow(ieee);
      if (row.room === clean) return;
      this.stmts.setRoom.run(clean, ieee);
      this.outbox.insert({ kind: 'device_renamed', ieee, name: row.name, ...(clean !== null ? { room: clean } : {}) });
    });
  }

  markLeft(ieee: Ieee): boolean {
    return this.batch.run(() => {
      const row = this.stmts.get.get(ieee);
      if (!row || row.left_at !== null) return false;
      this.stmts.markLeft.run(this.now(), ieee);
      this.presence.setRow(ieee, false);
      this.outbox.insert({ kind: 'device_left', ieee });
      return true;
    });
  }

  remove(ieee: Ieee): boolean {
    const removed = this.batch.run(() => {
      if (!this.stmts.get.get(ieee)) return false;
      this.beforeRemove(ieee);
      if (this.stmts.remove.run(ieee).changes === 0) return false;
      this.outbox.insert({ kind: 'device_removed', ieee });
      return true;
    });
    if (removed) {
      this.presence.removed(ieee);
      this.onRemoved(ieee);
    }
    return removed;
  }

  markSeen(ieee: Ieee, seen: { at?: number; linkquality?: number } = {}): void {
    this.presence.markSeen(ieee, seen.at ?? this.now(), seen.linkquality);
  }

  /** Stores the last-seen times heard since the last call (see device-presence.ts). */
  flushSeen(): void {
    if (!this.presence.hasDirty()) return;
    // Lazy: it rides with the next commit; nobody waits for it.
    this.batch.run(() => this.presence.writeDirty(), 'lazy');
  }

  setAvailability(ieee: Ieee, available: boolean): boolean {
    const current = this.presence.isAvailable(ieee);
    if (current === undefined) throw new UnknownDeviceError(ieee);
    // Every frame says "available": no write, no query, when it already is.
    if (current === available) return false;
    return this.batch.run(() => {
      this.stmts.setAvailable.run(available ? 1 : 0, ieee);
      this.presence.setRow(ieee, available);
      this.outbox.insert({ kind: 'availability_changed', ieee, available });
      return true;
    });
  }

  quarantine(ieee: Ieee, reason: string, stage: string): boolean {
    return this.batch.run(() => {
      const row = this.requireRow(ieee);
      if (row.quarantine_reason === reason && row.quarantine_stage === stage) return false;
      this.stmts.quarantine.run(reason, stage, this.now(), ieee);
      this.outbox.insert({ kind: 'device_quarantined', ieee, reason, stage });
      return true;
    });
  }

  releaseQuarantine(ieee: Ieee): boolean {
    // No event of its own: what releases it (a successful interview, a removal) has one.
    return this.batch.run(() => this.stmts.release.run(ieee).changes > 0);
  }

  private record(row: DeviceRow): DeviceRecord {
    return this.presence.overlay(row.ieee, toRecord(row));
  }

  private requireRow(ieee: Ieee): DeviceRow {
    const row = this.stmts.get.get(ieee);
    if (!row) throw new UnknownDeviceError(ieee);
    return row;
  }
}

function validName(value: string, what: 'name' | 'room'): string {
  if (labelProblem(value) !== undefined) {
    throw new StoreError('invalid_argument', `${what} must be 1-${MAX_LABEL_LENGTH} printable characters, got ${JSON.stringify(value)}`);
  }
  return value.trim();
}

/** The DeviceDescription fields only (callers may pass a whole DeviceRecord to upsert). */
function descriptionOnly(desc: DeviceDescription): DeviceDescription {
  const { ieee, nwk, type, manufacturerCode, manufacturerName, modelId, powerSource, model, vendor, description, supported, interview, endpoints } =
    desc;
  return {
    ieee,
    nwk,
    type,
    ...(manufacturerCode !== undefined ? { manufacturerCode } : {}),
    ...(manufacturerName !== undefined ? { manufacturerName } : {}),
    ...(modelId !== undefined ? { modelId } : {}),
    ...(powerSource !== undefined ? { powerSource } : {}),
    ...(model !== undefined ? { model } : {}),
    ...(vendor !== undefined ? { vendor } : {}),
    ...(description !== undefined ? { description } : {}),
    supported,
    interview,
    endpoints,
  };
}

function toRecord(row: DeviceRow): DeviceRecord {
  return {
    ieee: row.ieee,
    nwk: row.nwk,
    type: row.type,
    ...(row.manufacturer_code !== null ? { manufacturerCode: row.manufacturer_code } : {}),
    ...(row.manufacturer_name !== null ? { manufacturerName: row.manufacturer_name } : {}),
    ...(row.model_id !== null ? { modelId: row.model_id } : {}),
    ...(row.power_source !== null ? { powerSource: row.power_source } : {}),
    ...(row.model !== null ? { model: row.model } : {}),
    ...(row.vendor !== null ? { vendor: row.vendor } : {}),
    ...(row.description !== null ? { description: row.description } : {}),
    supported: row.supported === 1,
    interview: row.interview,
    endpoints: JSON.parse(row.endpoints) as DeviceDescription['endpoints'],
    name: row.name,
    ...(row.room !== null ? { room: row.room } : {}),
    joinedAt: row.joined_at,
    ...(row.last_seen !== null ? { lastSeen: row.last_seen } : {}),
    ...(row.linkquality !== null ? { linkquality: row.linkquality } : {}),
    available: row.available === 1,
    ...(row.left_at !== null ? { leftAt: row.left_at } : {}),
    ...(row.quarantine_reason !== null
      ? { quarantine: { reason: row.quarantine_reason, stage: row.quarantine_stage ?? '', at: row.quarantined_at ?? 0 } }
      : {}),
  };
}
