// Zigbee groups: friendly names and member endpoints. Which endpoints are members is what the
// devices were told (the hub writes a member only after the device confirmed); at start it is
// reconciled with herdsman's groups (hub/reconcile-groups.ts).
import type Database from 'better-sqlite3';
import type { Ieee } from '../domain/events.js';
import { StoreError } from './errors.js';
import type { WriteBatch } from './write-batch.js';

export interface GroupRecord {
  id: number;
  name: string;
  members: Array<{ ieee: Ieee; endpoint: number }>;
}

export class Groups {
  private readonly stmts;

  constructor(
    db: Database.Database,
    private readonly batch: WriteBatch,
    private readonly now: () => number,
  ) {
    this.stmts = {
      list: db.prepare<[], { id: number; name: string }>('SELECT id, name FROM groups ORDER BY id'),
      byId: db.prepare<[number], { id: number; name: string }>('SELECT id, name FROM groups WHERE id = ?'),
      byName: db.prepare<[string], { id: number; name: string }>('SELECT id, name FROM groups WHERE name = ?'),
      members: db.prepare<[number], { ieee: string; endpoint: number }>('SELECT ieee, endpoint FROM group_members WHERE group_id = ? ORDER BY ieee, endpoint'),
      insert: db.prepare<[number, string, number]>('INSERT INTO groups (id, name, created_at) VALUES (?, ?, ?)'),
      remove: db.prepare<[number]>('DELETE FROM groups WHERE id = ?'),
      addMember: db.prepare<[number, string, number]>('INSERT OR IGNORE INTO group_members (group_id, ieee, endpoint) VALUES (?, ?, ?)'),
      removeMember: db.prepare<[number, string, number]>('DELETE FROM group_members WHERE group_id = ? AND ieee = ? AND endpoint = ?'),
      clearMembers: db.prepare<[number]>('DELETE FROM group_members WHERE group_id = ?'),
    };
  }

  list(): GroupRecord[] {
    return this.stmts.list.all().map((g) => this.withMembers(g));
  }

  /** By id, or by name. */
  get(ref: number | string): GroupRecord | undefined {
    const row = typeof ref === 'number' ? this.stmts.byId.get(ref) : this.stmts.byName.get(ref);
    return row ? this.withMembers(row) : undefined;
  }

  /** Throws StoreError name_taken for a name another group holds. */
  create(id: number, name: string): void {
    const holder = this.stmts.byName.get(name);
    if (holder && holder.id !== id) throw new StoreError('name_taken', `group name "${name}" is already used by group ${holder.id}`);
    if (this.stmts.byId.get(id)) return;
    this.batch.run(() => this.stmts.insert.run(id, name, this.now()));
  }

  remove(id: number): void {
    this.batch.run(() => this.stmts.remove.run(id));
  }

  addMember(id: number, ieee: Ieee, endpoint: number): void {
    this.batch.run(() => this.stmts.addMember.run(id, ieee, endpoint));
  }

  removeMember(id: number, ieee: Ieee, endpoint: number): void {
    this.batch.run(() => this.stmts.removeMember.run(id, ieee, endpoint));
  }

  /** The members as the radio knows them (reconciliation at start); members not in our device table are left out. */
  replaceMembers(id: number, members: Array<{ ieee: Ieee; endpoint: number }>, known: (ieee: Ieee) => boolean): void {
    this.batch.run(() => {
      this.stmts.clearMembers.run(id);
      for (const m of members) if (known(m.ieee)) this.stmts.addMember.run(id, m.ieee, m.endpoint);
    });
  }

  private withMembers(row: { id: number; name: string }): GroupRecord {
    return { id: row.id, name: row.name, members: this.stmts.members.all(row.id) };
  }
}
