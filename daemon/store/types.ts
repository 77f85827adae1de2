// Public types of the store. Only domain types cross this line: nothing from better-sqlite3.
import type { DeviceDescription, DeviceState, HubEvent, Ieee, SequencedEvent } from '../domain/events.js';
import type { FsyncFile } from './wal-sync.js';

export interface GroupRecord {
  id: number;
  name: string;
  members: Array<{ ieee: Ieee; endpoint: number }>;
}

export type SceneTargetRef = { groupId: number } | { ieee: Ieee; endpoint: number };

export interface SceneRecord {
  target: SceneTargetRef;
  sceneId: number;
  name: string;
  /** ieee -> the state of that member (or the device) when the scene was stored. */
  state: Record<Ieee, DeviceState>;
}

/** Structured logger; the daemon's ops logger fits this shape. */
export interface StoreLog {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Wall clock and timers for time-based logic (daily backups, timestamps). Tests pass a fake one. */
export interface StoreClock {
  now(): number;
  /** fn may return a promise that never rejects: a fake clock awaits it, the real one ignores it. */
  setTimeout(fn: () => void | Promise<void>, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Offline bounds of the outbox. Beyond any of them the oldest telemetry is dropped. */
export interface OutboxBounds {
  maxEvents: number;
  maxBytes: number;
  maxAgeMs: number;
  /**
   * When a bound is crossed, telemetry is shed down to this fraction of every bound (0.9 = 90%),
   * so drops come in chunks with one gap event each, not one gap event per commit.
   */
  shedToFraction: number;
}

export interface BackupOptions {
  /** Directory for backup files; created if missing. */
  dir: string;
  /** How many backups to keep (newest first). */
  keep: number;
  /** Time between scheduled backups; default one day. */
  intervalMs?: number;
  /** Also back up in close(); default true. */
  onClose?: boolean;
}

/** Where the store reports its own health (the hub's HealthBoard fits this shape). */
export interface StoreHealth {
  report(component: 'store', status: 'ok' | 'bad', reason?: string): void;
}

export interface StoreOptions {
  /** Path of the SQLite database file; its directory is created if missing. */
  path: string;
  /** Folder with NNNN_name.sql files; default: `sqlite-migrations/` at the package root. */
  migrationsDir?: string;
  clock?: StoreClock;
  log: StoreLog;
  /**
   * Least time between the starts of two commits (each one fsync), so at most 1000 / this many
   * fsyncs a second; default 20 ms (50/s). A write commits at once when the last commit is older.
   */
  commitIntervalMs?: number;
  /** Longest a lazy write (a cloud ack) waits when nothing else asks for a commit; default 1000 ms. */
  lazyCommitMs?: number;
  /**
   * How often last-seen times and link quality, kept in memory, are written; default 30 s. A
   * power cut loses at most this much (plus lazyCommitMs) of them; close() writes them.
   */
  seenFlushMs?: number;
  /** Commit early when this many writes are pending; default 2000. */
  maxPendingWrites?: number;
  /**
   * The asynchronous fsync of the -wal file (default fs.fsync). Tests pass one that holds the
   * real fsync, to see what happens between a COMMIT and its durability.
   */
  fsyncFile?: FsyncFile;
  outboxBounds?: Partial<OutboxBounds>;
  backup?: BackupOptions;
  /** Told 'bad' when commits start failing (disk full, read-only, I/O error) and 'ok' when they work again. */
  health?: StoreHealth;
  /** While commits fail, how often to try again to store what is held; default 5000 ms. */
  storageRetryMs?: number;
}

/** Why and where a corrupt database was moved aside at open. */
export interface RecoveryReport {
  /** The corrupt file's new path (its -wal/-shm moved beside it under the same name). */
  movedTo: string;
  reason: string;
  /**
   * The backup whose devices (names, rooms) and latest device state were copied into the fresh
   * database (never its outbox); unset when there was no usable backup (or none configured).
   */
  restoredFrom?: string;
  /** Rows copied from restoredFrom. */
  restoredDevices?: number;
  restoredStates?: number;
}

/** A device as the hub knows it: the zigbee edge's description plus what the hub adds. */
export interface DeviceRecord extends DeviceDescription {
  /** Friendly name, unique (ASCII case-insensitive); the ieee until renamed. */
  name: string;
  room?: string;
  joinedAt: number;
  lastSeen?: number;
  linkquality?: number;
  available: boolean;
  /** Set while the device has left the network; cleared when it joins again. */
  leftAt?: number;
  /** Set while the hub ignores the device (its data kept failing); cleared by a re-interview or removal. */
  quarantine?: DeviceQuarantine;
}

export interface DeviceQuarantine {
  reason: string;
  /** Where it failed: 'interview', 'message', 'configure', 'start'. */
  stage: string;
  /** Milliseconds since the epoch. */
  at: number;
}

export interface UpsertResult {
  /** True for a new device or one that had left: a device_joined event was queued. */
  joined: boolean;
  /** True when the interview status changed: a device_interview event was queued. */
  interviewChanged: boolean;
}

export interface DeviceStore {
  /** Insert or update from the zigbee edge. Queues device_joined / device_interview as needed. */
  upsert(desc: DeviceDescription): UpsertResult;
  get(ieee: Ieee): DeviceRecord | undefined;
  /** Whether the table has the device (also one that left); much cheaper than get(). */
  has(ieee: Ieee): boolean;
  getByName(name: string): DeviceRecord | undefined;
  list(): DeviceRecord[];
  /** Throws NameTakenError if another device has the name; queues device_renamed. */
  rename(ieee: Ieee, name: string): void;
  /** null clears the room; queues device_renamed (which carries name and room). */
  setRoom(ieee: Ieee, room: string | null): void;
  /** The device left the network: kept (name, room) but marked left; queues device_left. */
  markLeft(ieee: Ieee): boolean;
  /** A user removed the device: row and state deleted; queues device_removed. */
  remove(ieee: Ieee): boolean;
  /** No event, no write: last frame time and link quality, in memory, stored every seenFlushMs. */
  markSeen(ieee: Ieee, seen?: { at?: number; linkquality?: number }): void;
  /** Queues availability_changed when the value changes; returns whether it did. */
  setAvailability(ieee: Ieee, available: boolean): boolean;
  /**
   * Marks the device quarantined and queues device_quarantined, unless it already is for the
   * same reason and stage; returns whether it changed. Throws UnknownDeviceError.
   */
  quarantine(ieee: Ieee, reason: string, stage: string): boolean;
  /** Clears a quarantine (no event); returns whether there was one. */
  releaseQuarantine(ieee: Ieee): boolean;
}

export interface StateStore {
  /** Latest state of a device; undefined for an unknown device. */
  get(ieee: Ieee): DeviceState | undefined;
  /**
   * Stores the keys whose value differs from the stored one and queues one state_changed event
   * carrying the device's full latest state and the names of those keys, in the same
   * transaction. Undefined values are ignored.
   * Throws UnknownDeviceError for a device not in the table.
   */
  apply(ieee: Ieee, partial: DeviceState): { changed: string[] };
}

/** Seqs handed out before their COMMIT whose transaction was lost; never given to other events. */
export interface RolledBackSeqs {
  fromSeq: number;
  toSeq: number;
  /** Why the commit failed (SQLite's message, e.g. "database or disk is full"). */
  reason: string;
}

export interface OutboxStats {
  /** Events waiting (not yet acknowledged). */
  events: number;
  bytes: number;
  oldestAt?: number;
  /** Highest seq that is durable; readAfter never returns more. */
  lastSeq: number;
  lastAcked: number;
  /** Telemetry events dropped by the bounds since the store opened. */
  droppedSinceOpen: number;
}

export interface OutboxReader {
  /** Durable events with seq > afterSeq, in seq order, at most `limit`. */
  readAfter(afterSeq: number, limit: number): SequencedEvent[];
  /** Cumulative: everything <= uptoSeq is delivered; deleted and the cursor stored (grouped). */
  ack(uptoSeq: number): void;
  lastAcked(): number;
  stats(): OutboxStats;
  /**
   * Called (in a microtask) with the new last durable seq after each commit that added events.
   * Returns the unsubscribe function.
   */
  onAppend(listener: (lastSeq: number) => void): () => void;
  /**
   * Not durable: each write's events as soon as the write returned, before their COMMIT (for
   * local consumers that may see a change one commit early: LAN watchers, never the cloud).
   */
  onUncommittedAppend(listener: (events: readonly SequencedEvent[]) => void): () => void;
  /** Events handed to onUncommittedAppend listeners were lost with their transaction; their seqs stay unused. */
  onRollback(listener: (lost: RolledBackSeqs) => void): () => void;
  /** Id of this outbox's seq sequence; different after a rebuild and in every backup copy. */
  epoch(): string;
  /** Highest durable seq: the most readAfter can return (stats().lastSeq, without the query). */
  lastCommittedSeq(): number;
  /**
   * The platform has seen seqs up to `aboveSeq` that this database never committed (it lost its
   * last commits, or was restored by hand), so new events would reuse seqs it has de-duplicated.
   * Starts a new epoch (the cloud cursor restarts at 0, events not yet acked are sent again in
   * it) whose next seqs lie above `aboveSeq`, with a resync_requested event carrying `reason`.
   * Committed before it returns; returns the new epoch.
   */
  startNewEpoch(aboveSeq: number, reason: string): string;
}

/** 'started': it began running (or was answered at once) but no result is recorded yet. */
export type SeenCommandState = 'started' | 'answered';

/** Ids of commands the hub started, and whether each was answered (bounded; oldest forgotten first). */
export interface SeenCommandsStore {
  /** undefined: never seen (or long forgotten). */
  state(id: string): SeenCommandState | undefined;
  /** The command starts now: it must never run again. Durable when it returns (commits at once). */
  add(id: string): void;
  /** Its result is in the outbox. */
  markAnswered(id: string): void;
}

export interface SettingsStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
}

export type LanClientScope = 'read' | 'control' | 'admin';

/** A client paired with the LAN API (its token is not here: only its hash is stored). */
export interface LanClientRecord {
  id: string;
  name: string;
  scope: LanClientScope;
  createdAt: number;
  lastUsedAt?: number;
}

export interface LanClientStore {
  /** tokenSha256: hex SHA-256 of the bearer token; the token itself is never stored. */
  add(client: { id: string; name: string; tokenSha256: string; scope: LanClientScope }): LanClientRecord;
  findByTokenHash(tokenSha256: string): LanClientRecord | undefined;
  list(): LanClientRecord[];
  /** Revokes: the row goes. Returns whether it existed. */
  remove(id: string): boolean;
  markUsed(id: string, at: number): void;
}

export interface CommitStats {
  commits: number;
  committedWrites: number;
  failedCommits: number;
  pendingWrites: number;
  /** Time spent in COMMIT (WAL writes, checkpoints; the fsync too without a WalSync), blocking the event loop; total and worst. */
  commitMsTotal: number;
  commitMsMax: number;
  /** fsyncs of the WAL off the event loop (each makes every commit staged before it durable), failed ones, the slowest. */
  syncs: number;
  failedSyncs: number;
  syncMsMax: number;
  /** Commits whose COMMIT returned but whose fsync has not completed. */
  stagedCommits: number;
}

/** A snapshot queued in the outbox. */
export interface SnapshotInfo {
  snapshotId: string;
  devices: number;
  groups: number;
}

export interface SnapshotStore {
  /**
   * Queues snapshot_started, one snapshot_device per device (by ieee), one group_changed per
   * group (by id, with the snapshot id and its state) and snapshot_ended, as
   * consecutive outbox events in one write; clears an owed snapshot.
   */
  queue(reason: string): SnapshotInfo;
  /** Why a snapshot is owed (a gap or resync_requested was written since the last one), or undefined. */
  owed(): string | undefined;
  /** Queues the owed snapshot, if one is. */
  queueOwed(): SnapshotInfo | undefined;
}

export interface DeviceOptionsStore {
  /** The device's options; {} for none or an unknown device. */
  get(ieee: Ieee): Record<string, unknown>;
  /** Replaces them ({} clears); throws UnknownDeviceError for a device not in the table. */
  set(ieee: Ieee, options: Record<string, unknown>): void;
}

export interface GroupStore {
  list(): GroupRecord[];
  /** By id, or by name. */
  get(ref: number | string): GroupRecord | undefined;
  /** Throws StoreError name_taken for a name another group holds; a known id is left as it is. */
  create(id: number, name: string): void;
  /** Throws StoreError name_taken for a name another group holds. */
  rename(id: number, name: string): void;
  remove(id: number): void;
  addMember(id: number, ieee: Ieee, endpoint: number): void;
  removeMember(id: number, ieee: Ieee, endpoint: number): void;
  replaceMembers(id: number, members: Array<{ ieee: Ieee; endpoint: number }>, known: (ieee: Ieee) => boolean): void;
  /** The groups an endpoint of this device belongs to. */
  ofDevice(ieee: Ieee): Array<{ groupId: number; endpoint: number }>;
}

export interface SceneStore {
  list(): SceneRecord[];
  /** By scene id or name, on that target. */
  get(target: SceneTargetRef, ref: number | string): SceneRecord | undefined;
  /** Stores or replaces; StoreError name_taken when another scene of the target has the name. */
  put(scene: SceneRecord): void;
  remove(target: SceneTargetRef, sceneId: number): void;
}

/** A group's state as derived from its members (written by hub/group-state.ts only). */
export interface GroupStateStore {
  /** {} for a group without state. */
  get(groupId: number): DeviceState;
  /** Stores what differs, with a group_state_changed event; an unknown group is ignored. */
  apply(groupId: number, partial: DeviceState): { changed: string[] };
}

export interface Store {
  /** Set when the database was corrupt at open and was replaced by a fresh one. */
  readonly recovered?: RecoveryReport;
  readonly devices: DeviceStore;
  readonly state: StateStore;
  /** Per-device converter options (checked by the zigbee edge before they are stored). */
  readonly deviceOptions: DeviceOptionsStore;
  /** Zigbee groups: names and member endpoints. */
  readonly groups: GroupStore;
  readonly groupState: GroupStateStore;
  /** Scenes on groups and device endpoints: names and the state stored with them. */
  readonly scenes: SceneStore;
  readonly events: { append(event: HubEvent): void };
  readonly outbox: OutboxReader;
  readonly settings: SettingsStore;
  readonly seenCommands: SeenCommandsStore;
  readonly lanClients: LanClientStore;
  readonly snapshots: SnapshotStore;
  /** Resolves when every write queued so far is durable (shares the next group commit). */
  flush(): Promise<void>;
  /** Online backup of everything durable; resolves with the backup file's path. */
  backupNow(): Promise<string>;
  commitStats(): CommitStats;
  /** Why commits are failing right now (disk full, read-only, ...), in words; undefined when they work. */
  storageProblem(): string | undefined;
  /**
   * Commits what is queued, backs up if configured, closes the database. Rejects (after closing)
   * when storage was failing and events could not be stored: the error says how many and why.
   */
  close(): Promise<void>;
}
