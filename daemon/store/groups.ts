// Zigbee groups: friendly names and member endpoints. Which endpoints are members is what the
// devices were told (the hub writes a member only after the device confirmed); at start it is
// reconciled with herdsman's groups (hub/reconcile-groups.ts). Every change queues a
// group_changed event (the group as it is afterwards) in its own transaction; a device's
// removal in the removal's (dropDevice).
import type Database from 'better-sqlite3';
import type { Ieee } from '../domain/events.js';
import { StoreError } from './errors.js';
import type { Outbox } from './outbox.js';
import type { GroupRecord } from './types.js';
import type { WriteBatch } from './write-batch.js';

export class Groups {
  private readonly stmts;

  constructor(
    db: Database.Database,
    private readonly batch: WriteBatch,
    private readonly outbox: Outbox,
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
      rename: db.prepare<[string, number]>('UPDATE groups SET name = ? WHERE id = ?'),
      dropDevice: db.prepare<[string]>('DELETE FROM group_members WHERE ieee = ?'),
      ofDevice: db.prepare<[string], { group_id: number; endpoint: number }>('SELECT group_id, endpoint FROM group_members WHERE ieee = ? ORDER BY group_id, endpoint'),
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
    this.batch.run(() => {
      this.stmts.insert.run(id, name, this.now());
      this.changed(id);
    });
  }

  /** Throws StoreError name_taken for a name another group holds, unknown_group for no such group. */
  rename(id: number, name: string): void {
    const holder = this.stmts.byName.get(name);
    if (holder && holder.id !== id) throw new StoreError('name_taken', `group name "${name}" is already used by group ${holder.id}`);
    const current = this.stmts.byId.get(id);
    if (!current) throw new StoreError('invalid_argument', `unknown group ${id}`);
    if (current.name === name) return;
    this.batch.run(() => {
      this.stmts.rename.run(name, id);
      this.changed(id);
    });
  }

  remove(id: number): void {
    const current = this.get(id);
    if (!current) return;
    this.batch.run(() => {
      this.stmts.remove.run(id);
      this.outbox.insert({ kind: 'group_changed', groupId: id, name: current.name, members: [], deleted: true });
    });
  }

  addMember(id: number, ieee: Ieee, endpoint: number): void {
    this.batch.run(() => {
      if (this.stmts.addMember.run(id, ieee, endpoint).changes > 0) this.changed(id);
    });
  }

  removeMember(id: number, ieee: Ieee, endpoint: number): void {
    this.batch.run(() => {
      if (this.stmts.removeMember.run(id, ieee, endpoint).changes > 0) this.changed(id);
    });
  }

  /**
   * A device is being removed: its memberships go (the foreign key would drop them silently)
   * with a group_changed for each group it was in, as the group is without it. Runs inside the
   * removal's transaction (devices.remove).
   */
  dropDevice(ieee: Ieee): void {
    const groupIds = [...new Set(this.ofDevice(ieee).map((m) => m.groupId))];
    if (groupIds.length === 0) return;
    this.batch.run(() => {
      this.stmts.dropDevice.run(ieee);
      for (const id of groupIds) this.changed(id);
    });
  }

  /** The groups an endpoint of this device belongs to. */
  ofDevice(ieee: Ieee): Array<{ groupId: number; endpoint: number }> {
    return this.stmts.ofDevice.all(ieee).map((row) => ({ groupId: row.group_id, endpoint: row.endpoint }));
  }

  /** The members as the radio knows them (reconciliation at start); members not in our device table are left out. */
  replaceMembers(id: number, members: Array<{ ieee: Ieee; endpoint: number }>, known: (ieee: Ieee) => boolean): void {
    const before = JSON.stringify(this.get(id)?.members ?? []);
    this.batch.run(() => {
      this.stmts.clearMembers.run(id);
      for (const m of members) if (known(m.ieee)) this.stmts.addMember.run(id, m.ieee, m.endpoint);
      if (JSON.stringify(this.get(id)?.members ?? []) !== before) this.changed(id);
    });
  }

  private changed(id: number): void {
    const group = this.get(id);
    if (group) this.outbox.insert({ kind: 'group_changed', groupId: id, name: group.name, members: group.members, deleted: false });
  }

  private withMembers(row: { id: number; name: string }): GroupRecord {
    return { id: row.id, name: row.name, members: this.stmts.members.all(row.id) };
  }
}
