// zigbee-herdsman 10.9.5 writes coordinator_backup.json without fsync (controller.js backup():
// writeFileSync(tmp) + renameSync) and renames database.db into place without syncing the folder
// (database.js write()); both files get the process umask's permissions although they hold the
// network key. After each of those writes we chmod the file to 0600 and fsync it and its folder.
// Wrapped per controller instance (herdsman's 24 h backup timer calls this.backup(), so it goes
// through the wrapper too). Remove once herdsman fsyncs its backup and creates both files 0600.
import type { HerdsmanFileName } from './herdsman-files.js';

/** Installs the backup() wrapper: call right after constructing the controller (its start writes a backup). */
export function syncAfterHerdsmanBackup(controller: object, afterWrite: (file: HerdsmanFileName) => void): boolean {
  const c = controller as { backup?: unknown };
  const original = c.backup;
  if (typeof original !== 'function') return false;
  c.backup = async function backupThenSync(this: unknown, ...args: unknown[]): Promise<unknown> {
    const result: unknown = await original.apply(controller, args);
    afterWrite('coordinator_backup.json');
    // backup() saves the database first, through the database's own write.
    return result;
  };
  return true;
}

/** Installs the database write() wrapper: call after start (herdsman opens its database there). */
export function syncAfterHerdsmanDatabaseWrite(controller: object, afterWrite: (file: HerdsmanFileName) => void): boolean {
  const database = (controller as { database?: { write?: unknown } }).database;
  const original = database?.write;
  if (!database || typeof original !== 'function') return false;
  database.write = function writeThenSync(this: unknown, ...args: unknown[]): unknown {
    const result: unknown = original.apply(database, args);
    afterWrite('database.db');
    return result;
  };
  return true;
}
