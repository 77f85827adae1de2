// Scenes by target (a group, or one endpoint of a device) and scene id, with a name and the
// state the hub saw when the scene was stored. What the devices hold is theirs: the hub writes
// a scene only after the device confirmed storing it (hub/scene-commands.ts).
import type Database from 'better-sqlite3';
import type { DeviceState, Ieee } from '../domain/events.js';
import { StoreError } from './errors.js';
import type { SceneRecord, SceneTargetRef } from './types.js';
import type { WriteBatch } from './write-batch.js';

interface Row {
  group_id: number | null;
  ieee: string | null;
  endpoint: number | null;
  scene_id: number;
  name: string;
  state: string;
}

const TARGET = 'COALESCE(group_id, 0) = ? AND COALESCE(ieee, \'\') = ? AND COALESCE(endpoint, 0) = ?';

export class Scenes {
  private readonly stmts;

  constructor(
    db: Database.Database,
    private readonly batch: WriteBatch,
    private readonly now: () => number,
  ) {
    this.stmts = {
      list: db.prepare<[], Row>('SELECT group_id, ieee, endpoint, scene_id, name, state FROM scenes ORDER BY group_id, ieee, endpoint, scene_id'),
      byId: db.prepare<[number, string, number, number], Row>(`SELECT group_id, ieee, endpoint, scene_id, name, state FROM scenes WHERE ${TARGET} AND scene_id = ?`),
      byName: db.prepare<[number, string, number, string], Row>(`SELECT group_id, ieee, endpoint, scene_id, name, state FROM scenes WHERE ${TARGET} AND name = ?`),
      remove: db.prepare<[number, string, number, number]>(`DELETE FROM scenes WHERE ${TARGET} AND scene_id = ?`),
      insert: db.prepare<[number | null, string | null, number | null, number, string, string, number]>(
        'INSERT INTO scenes (group_id, ieee, endpoint, scene_id, name, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
    };
  }

  list(): SceneRecord[] {
    return this.stmts.list.all().map(record);
  }

  /** By scene id or name, on that target. */
  get(target: SceneTargetRef, ref: number | string): SceneRecord | undefined {
    const row = typeof ref === 'number' ? this.stmts.byId.get(...key(target), ref) : this.stmts.byName.get(...key(target), ref);
    return row ? record(row) : undefined;
  }

  /** Stores (or replaces) a scene; StoreError name_taken when another scene of the target has the name. */
  put(scene: SceneRecord): void {
    const holder = this.stmts.byName.get(...key(scene.target), scene.name);
    if (holder && holder.scene_id !== scene.sceneId) throw new StoreError('name_taken', `scene name "${scene.name}" is already used by scene ${holder.scene_id} there`);
    const t = scene.target;
    this.batch.run(() => {
      this.stmts.remove.run(...key(t), scene.sceneId);
      if ('groupId' in t) this.stmts.insert.run(t.groupId, null, null, scene.sceneId, scene.name, JSON.stringify(scene.state), this.now());
      else this.stmts.insert.run(null, t.ieee, t.endpoint, scene.sceneId, scene.name, JSON.stringify(scene.state), this.now());
    });
  }

  remove(target: SceneTargetRef, sceneId: number): void {
    this.batch.run(() => this.stmts.remove.run(...key(target), sceneId));
  }
}

function key(target: SceneTargetRef): [number, string, number] {
  return 'groupId' in target ? [target.groupId, '', 0] : [0, target.ieee, target.endpoint];
}

function record(row: Row): SceneRecord {
  const target: SceneTargetRef = row.group_id !== null ? { groupId: row.group_id } : { ieee: row.ieee!, endpoint: row.endpoint! };
  return { target, sceneId: row.scene_id, name: row.name, state: JSON.parse(row.state) as Record<Ieee, DeviceState> };
}
