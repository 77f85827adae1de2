// daemon/store: the only code that touches SQLite. Everything goes through openStore().
//
//   const store = openStore({ path: '/var/lib/zigbee-hubd/hub.db', log, backup: { dir, keep: 7 } });
//   if (store.recovered) { /* rebuild devices from herdsman, then: */ store.events.append({ kind: 'resync_requested', reason: ... }) }
//   store.devices.upsert(desc);                       // queues device_joined / device_interview
//   const { changed } = store.state.apply(ieee, { temperature: 21.5 });   // [] when nothing changed
//   await store.flush();                              // before telling a user "done"
//   store.outbox.onAppend(() => wakeCloudLink());     // after each commit that added events
//   store.outbox.onUncommittedAppend((events) => ...); // each write's events before COMMIT (not durable; LAN)
//   const batch = store.outbox.readAfter(lastSent, 500); ... store.outbox.ack(lastAckedByCloud);
//   await store.close();                              // commits, backs up, closes
//
// Semantics worth knowing:
// - Writes are synchronous and visible to reads at once; they become durable at the next group
//   commit: at the end of the event-loop turn when the last commit started at least
//   commitIntervalMs (default 20 ms) ago, else when it has; at once at maxPendingWrites. Cloud
//   acks are lazy (lazyCommitMs, 1 s, unless another write commits first). flush() resolves when
//   all writes queued so far are durable. A write and the events it causes commit together.
//   One exception: seenCommands.add commits at once (with whatever is queued), because the
//   command goes to the radio next; it throws when that commit fails.
// - The outbox only ever hands out durable events (readAfter, onAppend); onUncommittedAppend is
//   the exception, for LAN watchers: each write's events before COMMIT, onRollback when that
//   commit failed (those seqs are then skipped, never given to other events). Seqs are never reused (also not after a
//   corrupt database was replaced: the new one starts above the old seqs). outbox.epoch()
//   identifies the seq sequence: new for a new or rebuilt database and in every backup copy.
//   outbox.startNewEpoch(n, reason) starts a new one above n, with a resync_requested event,
//   when the cloud has seen seqs this database never committed (lost commits, restored file).
// - A corrupt database is moved aside and replaced; with a backup dir, devices (names, rooms)
//   and device_state are copied from the newest backup passing quick_check (recovered.restoredFrom),
//   never its outbox, settings or seen commands: the seq floor and new epoch stay as they are.
// - Device events are produced by the store itself, in the transaction of the row change:
//   upsert -> device_joined (new, or back after leaving) / device_interview (status changed),
//   markLeft -> device_left, remove -> device_removed, rename/setRoom -> device_renamed,
//   setAvailability -> availability_changed, state.apply -> state_changed (full latest state + changed keys).
//   snapshots.queue(reason) -> snapshot_started, snapshot_device per device, group_changed per group, snapshot_ended
//   (consecutive seqs, one write); a gap or resync_requested marks one owed (snapshots.owed()).
//   events.append is for everything else (permit_join_changed, command_result, resync_requested).
// - Over its bounds the outbox drops the oldest state_changed events and appends one `gap`
//   event per dropped chunk; other events are never dropped.
// - Errors the store throws on purpose are StoreError (with `code`); NameTakenError and
//   UnknownDeviceError are subclasses.
export { openStore, systemClock } from './open-store.js';
export { StoreError, NameTakenError, UnknownDeviceError, type StoreErrorCode } from './errors.js';
export { DEFAULT_OUTBOX_BOUNDS } from './outbox-bounds.js';
export { defaultMigrationsDir } from './migrations.js';
export type { GroupRecord, SceneRecord, SceneTargetRef } from './types.js';
export type {
  BackupOptions,
  CommitStats,
  DeviceOptionsStore,
  GroupStateStore,
  SceneStore,
  GroupStore,
  DeviceRecord,
  DeviceStore,
  LanClientRecord,
  LanClientScope,
  LanClientStore,
  OutboxBounds,
  OutboxReader,
  OutboxStats,
  RolledBackSeqs,
  RecoveryReport,
  SeenCommandState,
  SeenCommandsStore,
  SettingsStore,
  SnapshotInfo,
  SnapshotStore,
  StateStore,
  Store,
  StoreClock,
  StoreLog,
  StoreOptions,
  UpsertResult,
} from './types.js';
