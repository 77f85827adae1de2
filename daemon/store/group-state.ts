// A group's latest state, one row per (group, key), written only by the hub's group-state
// follower (hub/group-state.ts). Like device state: an unchanged value costs no write and no
// event; a group_state_changed event carries the full latest state plus the changed keys, in
// the transaction of the rows. Groups are few and small, so there is no cache: each apply
// reads the group's rows.
import type Database from 'better-sqlite3';
import type { DeviceState } from '../domain/events.js';
import { canonicalJson } from './event-codec.js';
import type { Outbox } from './outbox.js';
import type { WriteBatch } from './write-batch.js';

export class GroupStates {
  private readonly stmts;

  constructor(
    db: Database.Database,
    private readonly batch: WriteBatch,
    private readonly outbox: Outbox,
    private readonly now: () => number,
  ) {
    this.stmts = {
      exists: db.prepare<[number], { one: number }>('SELECT 1 AS one FROM groups WHERE id = ?'),
      load: db.prepare<[number], { key: string; value: string }>('SELECT key, value FROM group_state WHERE group_id = ?'),
      upsert: db.prepare<[number, string, string, number]>(
        `INSERT INTO group_state (group_id, key, value, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (group_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      ),
    };
  }

  /** The group's state; {} for a group without state or an unknown group. */
  get(groupId: number): DeviceState {
    const state: DeviceState = {};
    for (const row of this.stmts.load.all(groupId)) state[row.key] = JSON.parse(row.value) as unknown;
    return state;
  }

  /** Stores what differs; an unknown group (deleted meanwhile) is ignored. */
  apply(groupId: number, partial: DeviceState): { changed: string[] } {
    if (!this.stmts.exists.get(groupId)) return { changed: [] };
    const stored = new Map(this.stmts.load.all(groupId).map((row) => [row.key, row.value]));
    const changed: Array<[string, string]> = [];
    for (const [key, value] of Object.entries(partial)) {
      if (value === undefined) continue;
      const json = canonicalJson(value);
      if (stored.get(key) !== json) changed.push([key, json]);
    }
    if (changed.length === 0) return { changed: [] };
    const state: DeviceState = {};
    for (const [key, json] of stored) state[key] = JSON.parse(json) as unknown;
    for (const [key, json] of changed) state[key] = JSON.parse(json) as unknown;
    this.batch.run(() => {
      const at = this.now();
      for (const [key, json] of changed) this.stmts.upsert.run(groupId, key, json, at);
      this.outbox.insert({ kind: 'group_state_changed', groupId, state, changed: changed.map(([key]) => key) });
    });
    return { changed: changed.map(([key]) => key) };
  }
}
