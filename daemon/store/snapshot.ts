// Snapshots: every device and group the hub knows, queued as one contiguous run of outbox
// events (snapshot_started, snapshot_device per device by ieee, group_changed with the
// snapshot's id and the group's state per group by id, snapshot_ended) in one write, so the
// platform can replace its copy at once. A gap or a resync_requested written to the outbox
// marks a snapshot as owed (durably, in that transaction): the platform's copy is stale from
// then on, and the hub sends one by itself on its next connect (cloud.proto, SNAPSHOTS).
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { DeviceDescription, SnapshotDevice } from '../domain/events.js';
import type { Devices } from './devices.js';
import type { DeviceStates } from './device-state.js';
import type { GroupStates } from './group-state.js';
import type { Groups } from './groups.js';
import { type Outbox, SNAPSHOT_OWED_KEY } from './outbox.js';
import type { DeviceRecord, SnapshotInfo } from './types.js';
import type { WriteBatch } from './write-batch.js';

export class Snapshots {
  private readonly owedStmt: Database.Statement<[string], { value: string }>;
  private readonly clearOwed: Database.Statement<[string]>;

  constructor(
    db: Database.Database,
    private readonly batch: WriteBatch,
    private readonly outbox: Outbox,
    private readonly devices: Devices,
    private readonly states: DeviceStates,
    private readonly groups: Groups,
    private readonly groupStates: GroupStates,
  ) {
    this.owedStmt = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.clearOwed = db.prepare('DELETE FROM settings WHERE key = ?');
  }

  queue(reason: string): SnapshotInfo {
    const snapshotId = randomUUID();
    const list = this.devices.list().sort((a, b) => (a.ieee < b.ieee ? -1 : a.ieee > b.ieee ? 1 : 0));
    const groups = this.groups.list();
    const counts = { devices: list.length, groups: groups.length };
    this.batch.run(() => {
      this.outbox.insert({ kind: 'snapshot_started', snapshotId, ...counts, reason });
      for (const record of list) {
        this.outbox.insert({ kind: 'snapshot_device', snapshotId, device: snapshotDevice(record, this.states.get(record.ieee) ?? {}) });
      }
      for (const group of groups) {
        const { id, name, members } = group;
        this.outbox.insert({ kind: 'group_changed', groupId: id, name, members, deleted: false, snapshotId, state: this.groupStates.get(id) });
      }
      this.outbox.insert({ kind: 'snapshot_ended', snapshotId, ...counts });
      // This one covers whatever made a snapshot owed.
      this.clearOwed.run(SNAPSHOT_OWED_KEY);
    });
    return { snapshotId, ...counts };
  }

  /** Why a snapshot is owed, or undefined. */
  owed(): string | undefined {
    return this.owedStmt.get(SNAPSHOT_OWED_KEY)?.value;
  }

  /** Queues the owed snapshot, if one is; returns what was queued. */
  queueOwed(): SnapshotInfo | undefined {
    const why = this.owed();
    return why === undefined ? undefined : this.queue(`owed: ${why}`);
  }
}

function snapshotDevice(record: DeviceRecord, state: Record<string, unknown>): SnapshotDevice {
  const description: DeviceDescription = {
    ieee: record.ieee,
    nwk: record.nwk,
    type: record.type,
    supported: record.supported,
    interview: record.interview,
    endpoints: record.endpoints,
    ...(record.manufacturerCode !== undefined ? { manufacturerCode: record.manufacturerCode } : {}),
    ...(record.manufacturerName !== undefined ? { manufacturerName: record.manufacturerName } : {}),
    ...(record.modelId !== undefined ? { modelId: record.modelId } : {}),
    ...(record.powerSource !== undefined ? { powerSource: record.powerSource } : {}),
    ...(record.model !== undefined ? { model: record.model } : {}),
    ...(record.vendor !== undefined ? { vendor: record.vendor } : {}),
    ...(record.description !== undefined ? { description: record.description } : {}),
  };
  return {
    description,
    name: record.name,
    ...(record.room !== undefined ? { room: record.room } : {}),
    available: record.available,
    left: record.leftAt !== undefined,
    ...(record.quarantine ? { quarantine: { reason: record.quarantine.reason, stage: record.quarantine.stage } } : {}),
    state,
    ...(record.lastSeen !== undefined ? { lastSeen: record.lastSeen } : {}),
  };
}
