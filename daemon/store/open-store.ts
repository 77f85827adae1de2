// Assembles the store: open (recovering from corruption), migrate, and wire the parts that
// share the one writer connection and its group-commit transaction.
import Database from 'better-sqlite3';
import { Backups, DAY_MS } from './backups.js';
import { commitHooks } from './commit-hooks.js';
import { isCorruption, moveAside, openChecked } from './connection.js';
import { DeviceOptions } from './device-options.js';
import { DevicePresence } from './device-presence.js';
import { DeviceStates } from './device-state.js';
import { Groups } from './groups.js';
import { GroupStates } from './group-state.js';
import { Scenes } from './scenes.js';
import { Devices } from './devices.js';
import { StoreError } from './errors.js';
import { applyMigrations, defaultMigrationsDir, loadMigrations, type MigrationFile } from './migrations.js';
import { betterSqliteBinding, nativeBindingProblem } from './native-binding-check.js';
import { DEFAULT_OUTBOX_BOUNDS, TelemetryShedder } from './outbox-bounds.js';
import { LanClients } from './lan-clients.js';
import { Snapshots } from './snapshot.js';
import { OutboxStaging } from './outbox-staging.js';
import { ensureEpoch, Outbox, raiseSeqFloor } from './outbox.js';
import { restoreFromBackup } from './restore-from-backup.js';
import { SeenCommands } from './seen-commands.js';
import { Settings } from './settings.js';
import { diskCondition, StorageTrouble } from './storage-trouble.js';
import type { RecoveryReport, Store, StoreClock, StoreLog, StoreOptions } from './types.js';
import { walFileSync, type FsyncFile, type WalSync } from './wal-sync.js';
import { WriteBatch } from './write-batch.js';

/** Settings row recording the last storage trouble episode (reason, since, until). */
const LAST_STORAGE_TROUBLE_KEY = 'store.last_storage_trouble';

export const systemClock: StoreClock = {
  now: () => Date.now(),
  // A callback's promise never rejects (StoreClock): nothing to observe.
  setTimeout: (fn, ms) => setTimeout(() => void fn(), ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export function openStore(options: StoreOptions): Store {
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const { log, path } = options;
  const runtime = nativeBindingProblem(process.versions.node, betterSqliteBinding());
  if (runtime !== undefined) throw new StoreError('unsafe_runtime', runtime);
  // Read before touching the database: a broken install must not look like a corrupt database.
  const migrations = loadMigrations(options.migrationsDir ?? defaultMigrationsDir());
  let opened: ReturnType<typeof openRecovering>;
  try {
    opened = openRecovering(path, migrations, now, log, options.backup?.dir);
  } catch (err) {
    throw openFailed(path, err);
  }
  try {
    return assemble(opened.db, opened.recovered, options, clock);
  } catch (err) {
    opened.db.close();
    throw openFailed(path, err);
  }
}

/**
 * SQLite's own messages ("disk I/O error", "database or disk is full") do not say which file:
 * name it, so whoever reads the log knows where to look. A StoreError keeps its code.
 */
function openFailed(path: string, err: unknown): StoreError {
  const code = (err as { code?: unknown } | null)?.code;
  const detail = typeof code === 'string' && code.startsWith('SQLITE_') ? ` (${code})` : '';
  // "disk I/O error" on a full or read-only disk: say which it is.
  const disk = isCorruption(err) ? undefined : diskCondition(path);
  const hint = disk === 'full' ? ': the disk is full' : disk === 'read-only' ? ': the filesystem is read-only' : '';
  const message = `cannot open database ${path}: ${err instanceof Error ? err.message : String(err)}${detail}${hint}`;
  return new StoreError(err instanceof StoreError ? err.code : 'open_failed', message, { cause: err });
}

/**
 * Commits fsync the WAL on the thread pool instead of inside COMMIT (wal-sync.ts): the pragma
 * connection.ts sets (FULL) is lowered to NORMAL only together with that sync. An in-memory
 * database has no WAL to sync.
 */
function offLoopSync(db: Database.Database, path: string, fsyncFile: FsyncFile | undefined): WalSync | undefined {
  if (db.memory) return undefined;
  db.pragma('synchronous = NORMAL');
  return walFileSync(path, fsyncFile);
}

function assemble(db: Database.Database, recovered: RecoveryReport | undefined, options: StoreOptions, clock: StoreClock): Store {
  const now = () => clock.now();
  const { log, path } = options;
  const bounds = { ...DEFAULT_OUTBOX_BOUNDS, ...options.outboxBounds };
  // Outbox events between INSERT and fsync (outbox-staging.ts); the table itself is the Outbox's.
  const staging = new OutboxStaging(log);
  // The hooks reach the parts built below; the batch calls them only after openStore returned.
  const hooks = commitHooks(
    staging,
    () => ({ outbox, trouble }),
    () => {
      states.reset();
      presence.reload();
      deviceOptions.forget();
    },
  );
  const walSync = offLoopSync(db, path, options.fsyncFile);
  const batch = new WriteBatch(db, hooks, log, options.commitIntervalMs ?? 20, options.maxPendingWrites ?? 2000, options.lazyCommitMs ?? 1000, walSync);
  const outbox = new Outbox(db, batch, staging, new TelemetryShedder(db, bounds), now, log, ensureEpoch(db, now()));
  const states = new DeviceStates(db, batch, outbox, now);
  const presence = new DevicePresence(db);
  const deviceOptions = new DeviceOptions(db, batch);
  const groups = new Groups(db, batch, outbox, now);
  const devices = new Devices(
    db,
    batch,
    outbox,
    now,
    (ieee) => {
      states.forget(ieee);
      deviceOptions.forget(ieee);
    },
    presence,
    (ieee) => groups.dropDevice(ieee),
  );
  // Last-seen times reach the disk in batches (device-presence.ts): a plain timer, not the
  // store clock, like the group commit's own.
  const seenFlushMs = options.seenFlushMs ?? 30_000;
  const seenTimer = setInterval(() => {
    try {
      devices.flushSeen();
    } catch (err) {
      // The write failed (storage trouble handles and logs that): tried again next time.
      log.debug('store: last-seen flush failed', { err: String(err) });
    }
  }, seenFlushMs).unref();
  const settings = new Settings(db, batch, now);
  const groupState = new GroupStates(db, batch, outbox, now);
  const scenes = new Scenes(db, batch, now);
  const seenCommands = new SeenCommands(db, batch, now);
  const lanClients = new LanClients(db, batch, now);
  const snapshots = new Snapshots(db, batch, outbox, devices, states, groups, groupState);
  const flush = () => batch.flush();
  const trouble = new StorageTrouble(
    path,
    {
      writeRecovery: (events, marker) => {
        batch.run(() => {
          // A row that changes, so the commit really writes to the disk that was failing.
          settings.setInternal(LAST_STORAGE_TROUBLE_KEY, marker);
          for (const event of events) outbox.insert(event);
        });
        // COMMIT worked but its fsync did not: the events are in the table (never to be written
        // again); the disk is still in trouble.
        if (!batch.commit()) return false;
        return batch.commitDurable() ? true : 'not-durable';
      },
    },
    clock,
    log,
    options.health,
    options.storageRetryMs ?? 5000,
  );

  const backupOptions = options.backup;
  const backups = backupOptions
    ? new Backups({
        dbPath: path,
        dir: backupOptions.dir,
        keep: backupOptions.keep,
        intervalMs: backupOptions.intervalMs ?? DAY_MS,
        clock,
        log,
        flush,
      })
    : undefined;
  backups?.start();

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    backups?.stop();
    clearInterval(seenTimer);
    try {
      devices.flushSeen();
    } catch (err) {
      log.debug('store: last-seen flush at close failed', { err: String(err) });
    }
    batch.close();
    const lost = trouble.close();
    try {
      if (backups && backupOptions?.onClose !== false) await backups.backupNow();
    } catch (err) {
      log.error('store: backup at close failed', { err: String(err) });
    }
    await backups?.idle();
    db.close();
    // The lifetime's group-commit figures, for operators and for `npm run bench` (which runs the
    // daemon as a child process and cannot call commitStats()).
    const { commits, committedWrites, failedCommits, commitMsTotal, commitMsMax } = batch.commitStats();
    log.info('store: closed', {
      path,
      commits,
      committedWrites,
      failedCommits,
      commitMsTotal: Math.round(commitMsTotal),
      commitMsMax: Math.round(commitMsMax * 100) / 100,
    });
    if (lost) throw new StoreError('commit_failed', `store closed while storage was failing: ${lost}`);
  };

  const stats = outbox.stats();
  log.info('store: open', { path, outboxEvents: stats.events, lastSeq: stats.lastSeq, lastAcked: stats.lastAcked });

  return {
    ...(recovered ? { recovered } : {}),
    devices,
    state: states,
    deviceOptions,
    groups,
    groupState,
    scenes,
    events: { append: (event) => outbox.append(event) },
    outbox,
    settings,
    seenCommands,
    lanClients,
    snapshots,
    flush,
    backupNow: () => {
      if (!backups) return Promise.reject(new StoreError('invalid_argument', 'no backup dir configured'));
      return backups.backupNow();
    },
    commitStats: () => batch.commitStats(),
    storageProblem: () => trouble.problem(),
    close: () => (closing ??= close()),
  };
}

function openMigrated(path: string, migrations: MigrationFile[], now: () => number, log: StoreLog): Database.Database {
  const { db, checker } = openChecked(path);
  try {
    const applied = applyMigrations(db, migrations, now);
    if (applied.length > 0) log.info('store: migrations applied', { path, versions: applied });
    return db;
  } catch (err) {
    // The checker is still open, so this close does not checkpoint a WAL into a file that may
    // be damaged (and delete the -wal) before openRecovering moves the set aside.
    db.close();
    throw err;
  } finally {
    checker?.close();
  }
}

function openRecovering(
  path: string,
  migrations: MigrationFile[],
  now: () => number,
  log: StoreLog,
  backupDir: string | undefined,
): { db: Database.Database; recovered?: RecoveryReport } {
  try {
    return { db: openMigrated(path, migrations, now, log) };
  } catch (err) {
    if (!isCorruption(err)) throw err;
    const reason = (err as Error).message;
    const lastSeq = salvageLastSeq(path);
    const movedTo = moveAside(path, now());
    log.error('store: database is corrupt; moved aside, starting a fresh one', { path, movedTo, reason });
    const db = openMigrated(path, migrations, now, log);
    // The cloud de-duplicates by seq: new events must not reuse seqs the old database handed
    // out. Use the old high-water mark if it can be read, and at least a time-derived floor
    // (1000 per ms since the epoch, which no earlier database can have reached).
    raiseSeqFloor(db, Math.max(lastSeq, now() * 1000));
    // Names and rooms exist only in our database: take them from the newest usable backup.
    let restored: ReturnType<typeof restoreFromBackup>;
    try {
      restored = backupDir === undefined ? undefined : restoreFromBackup(db, path, backupDir, log);
    } catch (err) {
      db.close();
      throw err;
    }
    if (!restored) return { db, recovered: { movedTo, reason } };
    log.warn('store: devices, names, rooms and state restored from a backup', {
      path,
      from: restored.from,
      devices: restored.devices,
      states: restored.states,
    });
    return {
      db,
      recovered: { movedTo, reason, restoredFrom: restored.from, restoredDevices: restored.devices, restoredStates: restored.states },
    };
  }
}

/** Best effort: the highest outbox seq recorded in a damaged database, or 0. */
function salvageLastSeq(path: string): number {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'outbox'`).get() as { seq: number } | undefined;
      return typeof row?.seq === 'number' ? row.seq : 0;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}
