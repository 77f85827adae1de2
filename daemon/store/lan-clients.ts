// Clients paired with the LAN API. The store keeps what the LAN module hands it: a token's
// SHA-256 (never the token), a name and a scope. Written through the group commit like
// everything else; pairing flushes before it hands out the token.
import type Database from 'better-sqlite3';
import { StoreError } from './errors.js';
import type { LanClientRecord, LanClientScope, LanClientStore } from './types.js';
import type { WriteBatch } from './write-batch.js';

interface Row {
  id: string;
  name: string;
  scope: LanClientScope;
  created_at: number;
  last_used_at: number | null;
}

const SCOPES: readonly LanClientScope[] = ['read', 'control', 'admin'];

export class LanClients implements LanClientStore {
  private readonly insertStmt: Database.Statement<[string, string, string, string, number]>;
  private readonly byHashStmt: Database.Statement<[string], Row>;
  private readonly listStmt: Database.Statement<[], Row>;
  private readonly deleteStmt: Database.Statement<[string]>;
  private readonly touchStmt: Database.Statement<[number, string]>;

  constructor(
    db: Database.Database,
    private readonly batch: WriteBatch,
    private readonly now: () => number,
  ) {
    this.insertStmt = db.prepare('INSERT INTO lan_clients (id, name, token_sha256, scope, created_at) VALUES (?, ?, ?, ?, ?)');
    this.byHashStmt = db.prepare('SELECT id, name, scope, created_at, last_used_at FROM lan_clients WHERE token_sha256 = ?');
    this.listStmt = db.prepare('SELECT id, name, scope, created_at, last_used_at FROM lan_clients ORDER BY created_at, id');
    this.deleteStmt = db.prepare('DELETE FROM lan_clients WHERE id = ?');
    this.touchStmt = db.prepare('UPDATE lan_clients SET last_used_at = ? WHERE id = ?');
  }

  add(client: { id: string; name: string; tokenSha256: string; scope: LanClientScope }): LanClientRecord {
    if (!/^[0-9a-f]{64}$/.test(client.tokenSha256)) throw new StoreError('invalid_argument', 'a LAN client needs a token hash of 64 hex digits');
    if (!SCOPES.includes(client.scope)) throw new StoreError('invalid_argument', `unknown LAN client scope ${JSON.stringify(client.scope)}`);
    const createdAt = this.now();
    this.batch.run(() => this.insertStmt.run(client.id, client.name, client.tokenSha256, client.scope, createdAt));
    return { id: client.id, name: client.name, scope: client.scope, createdAt };
  }

  findByTokenHash(tokenSha256: string): LanClientRecord | undefined {
    const row = this.byHashStmt.get(tokenSha256);
    return row ? toRecord(row) : undefined;
  }

  list(): LanClientRecord[] {
    return this.listStmt.all().map(toRecord);
  }

  remove(id: string): boolean {
    let removed = false;
    this.batch.run(() => {
      removed = this.deleteStmt.run(id).changes > 0;
    });
    return removed;
  }

  markUsed(id: string, at: number): void {
    this.batch.run(() => this.touchStmt.run(at, id));
  }
}

function toRecord(row: Row): LanClientRecord {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    createdAt: row.created_at,
    ...(row.last_used_at !== null ? { lastUsedAt: row.last_used_at } : {}),
  };
}
