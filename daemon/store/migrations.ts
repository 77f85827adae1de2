// Schema migrations: NNNN_name.sql files applied in order, each in one transaction that also
// records its version and the sha256 of the file. A database that is newer than this build, or
// whose applied migration files have changed since, is refused rather than guessed at.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { StoreError } from './errors.js';

export interface MigrationFile {
  version: number;
  fileName: string;
  sql: string;
  sha256: string;
}

const FILE_PATTERN = /^(\d{4})_[a-z0-9_]+\.sql$/;

/**
 * `sqlite-migrations/` at the package root. Walks up from this module so it works from source
 * (daemon/store/ via tsx) and from a build (dist/daemon/store/).
 */
export function defaultMigrationsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'sqlite-migrations');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new StoreError('bad_migrations_dir', 'no sqlite-migrations/ folder found above ' + fileURLToPath(import.meta.url));
    }
    dir = parent;
  }
}

export function loadMigrations(dir: string): MigrationFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new StoreError('bad_migrations_dir', `cannot read migrations folder ${dir}: ${(err as Error).message}`, { cause: err });
  }
  const files: MigrationFile[] = [];
  for (const fileName of names.filter((n) => n.endsWith('.sql')).sort()) {
    const match = FILE_PATTERN.exec(fileName);
    // A .sql file that is not picked up would be a silent schema hole: refuse instead.
    if (!match) throw new StoreError('bad_migrations_dir', `migration file ${fileName} in ${dir} is not named NNNN_name.sql`);
    const bytes = readFileSync(join(dir, fileName));
    files.push({
      version: Number(match[1]),
      fileName,
      sql: bytes.toString('utf8'),
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  }
  for (let i = 1; i < files.length; i++) {
    if (files[i]!.version === files[i - 1]!.version) {
      throw new StoreError('bad_migrations_dir', `migrations ${files[i - 1]!.fileName} and ${files[i]!.fileName} share version ${files[i]!.version}`);
    }
  }
  if (files.length === 0) throw new StoreError('bad_migrations_dir', `no migrations in ${dir}`);
  return files;
}

interface AppliedRow {
  version: number;
  name: string;
  sha256: string;
}

/** Checks what is applied against the files, then applies the missing ones. Returns versions applied now. */
export function applyMigrations(db: Database.Database, files: MigrationFile[], now: () => number): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY NOT NULL,
    name       TEXT    NOT NULL,
    sha256     TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const applied = db.prepare('SELECT version, name, sha256 FROM schema_migrations ORDER BY version').all() as AppliedRow[];
  const byVersion = new Map(files.map((f) => [f.version, f]));

  const unknown = applied.filter((row) => !byVersion.has(row.version));
  if (unknown.length > 0) {
    const known = files[files.length - 1]!.version;
    throw new StoreError(
      'database_newer',
      `database has migration(s) ${unknown.map((r) => `${pad(r.version)} (${r.name})`).join(', ')} that this build does not have ` +
        `(it knows up to ${pad(known)}): it was written by a newer zigbee-hubd; refusing to open it`,
    );
  }
  for (const row of applied) {
    const file = byVersion.get(row.version)!;
    if (file.sha256 !== row.sha256) {
      throw new StoreError(
        'migration_changed',
        `migration ${file.fileName} was changed after it was applied to this database ` +
          `(applied sha256 ${row.sha256.slice(0, 12)}…, file now ${file.sha256.slice(0, 12)}…); refusing to open it`,
      );
    }
  }

  const done = new Set(applied.map((r) => r.version));
  const record = db.prepare('INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)');
  const newlyApplied: number[] = [];
  for (const file of files) {
    if (done.has(file.version)) continue;
    const apply = db.transaction(() => {
      db.exec(file.sql);
      record.run(file.version, file.fileName, file.sha256, now());
      // Mirrors the version in the header so `sqlite3 hub.db 'PRAGMA user_version'` tells it.
      db.pragma(`user_version = ${file.version}`);
    });
    try {
      apply();
    } catch (err) {
      throw new StoreError(
        'migration_failed',
        `migration ${file.fileName} failed and was rolled back: ${(err as Error).message}`,
        { cause: err },
      );
    }
    newlyApplied.push(file.version);
  }
  return newlyApplied;
}

function pad(version: number): string {
  return String(version).padStart(4, '0');
}
