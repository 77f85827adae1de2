// After a corrupt database was replaced by a fresh one: carry the user's own data (device names,
// rooms, latest state, device options, groups and scenes, where the backup has them) over from the newest backup that opens and passes quick_check. herdsman
// can rebuild which devices are paired, but names and rooms exist only in our database.
// Deliberately not carried over: the outbox (its events may already be delivered; the fresh
// database keeps its raised seq floor and new epoch), the cloud cursor, settings (the epoch
// lives there) and seen commands.
import Database from 'better-sqlite3';
import { listBackups } from './backups.js';
import type { StoreLog } from './types.js';

export interface RestoreResult {
  /** The backup file the rows came from. */
  from: string;
  devices: number;
  states: number;
}

// The columns of 0001_init.sql, unchanged since: a backup taken at any schema version has them.
const DEVICE_COLUMNS = [
  'ieee', 'nwk', 'type', 'manufacturer_code', 'manufacturer_name', 'model_id', 'model', 'vendor', 'description',
  'supported', 'power_source', 'endpoints', 'interview', 'name', 'room', 'joined_at', 'last_seen', 'linkquality',
  'available', 'left_at',
].join(', ');
const STATE_COLUMNS = 'ieee, key, value, updated_at';

/**
 * Copies devices and device_state from the newest usable backup of `dbPath` in `backupDir` into
 * `db` (fresh, migrated, empty) in one transaction, without outbox events. Tries older backups
 * when one is damaged or cannot be copied; returns undefined when none could be used.
 */
export function restoreFromBackup(db: Database.Database, dbPath: string, backupDir: string, log: StoreLog): RestoreResult | undefined {
  for (const path of listBackups(backupDir, dbPath)) {
    try {
      return copyFrom(db, path);
    } catch (err) {
      log.warn('store: backup not usable for restoring names and rooms; trying an older one', { path, err: String(err) });
    }
  }
  return undefined;
}

function copyFrom(db: Database.Database, path: string): RestoreResult {
  const backup = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const check = backup.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`quick_check: ${String(check)}`);
    const devices = backup.prepare(`SELECT ${DEVICE_COLUMNS} FROM devices`).raw().all() as unknown[][];
    const states = backup.prepare(`SELECT ${STATE_COLUMNS} FROM device_state`).raw().all() as unknown[][];
    const insertDevice = db.prepare(`INSERT INTO devices (${DEVICE_COLUMNS}) VALUES (${DEVICE_COLUMNS.split(',').map(() => '?').join(', ')})`);
    const insertState = db.prepare(`INSERT INTO device_state (${STATE_COLUMNS}) VALUES (?, ?, ?, ?)`);
    // Newer than 0001: copied when the backup has them (0006 device options, 0007 groups,
    // 0008 group state and scenes).
    const options = hasColumn(backup, 'devices', 'options')
      ? (backup.prepare('SELECT options, ieee FROM devices WHERE options IS NOT NULL').raw().all() as unknown[][])
      : [];
    const groups = hasTable(backup, 'groups') ? (backup.prepare('SELECT id, name, created_at FROM groups').raw().all() as unknown[][]) : [];
    const members = hasTable(backup, 'group_members')
      ? (backup.prepare('SELECT group_id, ieee, endpoint FROM group_members').raw().all() as unknown[][])
      : [];
    const sceneColumns = 'group_id, ieee, endpoint, scene_id, name, state, created_at';
    const groupState = hasTable(backup, 'group_state') ? (backup.prepare('SELECT group_id, key, value, updated_at FROM group_state').raw().all() as unknown[][]) : [];
    const scenes = hasTable(backup, 'scenes') ? (backup.prepare(`SELECT ${sceneColumns} FROM scenes`).raw().all() as unknown[][]) : [];
    const insertGroupState = db.prepare('INSERT INTO group_state (group_id, key, value, updated_at) VALUES (?, ?, ?, ?)');
    const insertScene = db.prepare(`INSERT INTO scenes (${sceneColumns}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    const setOptions = db.prepare('UPDATE devices SET options = ? WHERE ieee = ?');
    const insertGroup = db.prepare('INSERT INTO groups (id, name, created_at) VALUES (?, ?, ?)');
    const insertMember = db.prepare('INSERT INTO group_members (group_id, ieee, endpoint) VALUES (?, ?, ?)');
    // All or nothing: a row the fresh schema refuses rolls the whole copy back.
    db.transaction(() => {
      for (const row of devices) insertDevice.run(...row);
      for (const row of states) insertState.run(...row);
      for (const row of options) setOptions.run(...row);
      for (const row of groups) insertGroup.run(...row);
      for (const row of members) insertMember.run(...row);
      for (const row of groupState) insertGroupState.run(...row);
      for (const row of scenes) insertScene.run(...row);
    })();
    return { from: path, devices: devices.length, states: states.length };
  } finally {
    backup.close();
  }
}

function hasTable(db: Database.Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

function hasColumn(db: Database.Database, table: string, column: string): boolean {
  return db.prepare('SELECT 1 FROM pragma_table_info(?) WHERE name = ?').get(table, column) !== undefined;
}
