// Typed domain events: the language the daemon's concerns (zigbee, store, cloud, lan,
// automation) speak to each other. No zigbee-herdsman, SQLite or gRPC types cross this line.

/** A device's 64-bit IEEE address, lower-case "0x" + 16 hex digits. */
export type Ieee = string;

/** Named state as zigbee-herdsman-converters produce it, e.g. { temperature: 21.5 }. */
export type DeviceState = Record<string, unknown>;

export type InterviewStatus = 'pending' | 'in_progress' | 'successful' | 'failed';

/** What the zigbee edge knows about a device after (or during) its interview. */
export interface DeviceDescription {
  ieee: Ieee;
  nwk: number;
  type: 'Coordinator' | 'Router' | 'EndDevice' | 'Unknown';
  manufacturerCode?: number;
  manufacturerName?: string;
  modelId?: string;
  powerSource?: string;
  /** Resolved by zigbee-herdsman-converters; absent when no definition matched. */
  model?: string;
  vendor?: string;
  description?: string;
  supported: boolean;
  interview: InterviewStatus;
  endpoints: Array<{ id: number; profileId?: number; deviceId?: number; inClusters: number[]; outClusters: number[] }>;
}

export type HubEvent =
  | { kind: 'device_joined'; ieee: Ieee; nwk: number }
  | { kind: 'device_interview'; ieee: Ieee; status: InterviewStatus; device?: DeviceDescription }
  | { kind: 'device_left'; ieee: Ieee }
  | { kind: 'device_removed'; ieee: Ieee }
  | { kind: 'device_renamed'; ieee: Ieee; name: string; room?: string }
  | { kind: 'state_changed'; ieee: Ieee; state: DeviceState; changed: string[] }
  | { kind: 'availability_changed'; ieee: Ieee; available: boolean }
  | { kind: 'permit_join_changed'; open: boolean; seconds: number }
  | { kind: 'command_result'; commandId: string; ok: boolean; error?: string; state?: DeviceState }
  | { kind: 'resync_requested'; reason: string }
  /**
   * Telemetry was dropped from the outbox before delivery (offline bounds exceeded). Every
   * dropped seq lies in [fromSeq, toSeq]; `dropped` says how many. Never join/leave/results.
   */
  | { kind: 'gap'; fromSeq: number; toSeq: number; dropped: number; reason: string }
  /** A component of the hub changed health (see domain/health.ts). */
  | { kind: 'health_changed'; component: string; status: 'ok' | 'degraded' | 'bad'; reason?: string }
  /**
   * A device is set aside: its data kept failing (or the hub died while handling it), so the
   * hub ignores it until it is re-interviewed or removed. `stage` says where it failed
   * ('interview', 'message', 'configure', 'start').
   */
  | { kind: 'device_quarantined'; ieee: Ieee; reason: string; stage: string }
  /**
   * A snapshot: snapshot_started, one snapshot_device per device, one group_changed per group
   * (with snapshotId and state), snapshot_ended, with consecutive seqs, so the platform can
   * replace its copy of the devices and groups at once.
   */
  | { kind: 'snapshot_started'; snapshotId: string; devices: number; groups: number; reason: string }
  | { kind: 'snapshot_device'; snapshotId: string; device: SnapshotDevice }
  | { kind: 'snapshot_ended'; snapshotId: string; devices: number; groups: number }
  /** The gateway itself: at every cloud connect and when a slow-moving field changes. */
  | ({ kind: 'gateway_status' } & GatewayStatus)
  /**
   * A group's state, derived from its members as Zigbee2MQTT does (see hub/group-state.ts):
   * its full latest state plus the changed keys, like state_changed for a device.
   */
  | { kind: 'group_state_changed'; groupId: number; state: DeviceState; changed: string[] }
  /**
   * A group was created, renamed or deleted, or its members changed: the group as it is now.
   * Inside a snapshot: snapshotId set, with the group's state.
   */
  | { kind: 'group_changed'; groupId: number; name: string; members: GroupMemberRef[]; deleted: boolean; snapshotId?: string; state?: DeviceState };

/** A member of a group: one endpoint of a device. */
export interface GroupMemberRef {
  ieee: Ieee;
  endpoint: number;
}

export interface GatewayStatus {
  /** 'connected' (after a Welcome) or 'changed'. */
  reason: string;
  firmwareVersion: string;
  nodeVersion: string;
  /** Empty strings while the coordinator is not available. */
  coordinator: { type: string; firmware: string; ieee: string };
  /** Absent while the network is not up. */
  network?: { channel: number; panId: number; extendedPanId: string };
  devices: { total: number; available: number; unavailable: number; left: number; quarantined: number };
  uptimeSeconds: number;
  outbox: { events: number; bytes: number; oldestAgeMs: number };
  /** The newest "component: reason" of a health component that turned bad or degraded. */
  lastError?: string;
  health: Array<{ component: string; status: 'ok' | 'degraded' | 'bad'; reason?: string }>;
}

/** One device in a snapshot: what the hub knows about it right now. */
export interface SnapshotDevice {
  description: DeviceDescription;
  name: string;
  room?: string;
  available: boolean;
  /** It left the network by itself and is kept until removed. */
  left: boolean;
  quarantine?: { reason: string; stage: string };
  /** Full latest state. */
  state: DeviceState;
  /** Milliseconds since the epoch; absent when never heard. */
  lastSeen?: number;
}

/** An event as it sits in the outbox: numbered, timestamped, in commit order. */
export interface SequencedEvent {
  seq: number;
  /** Milliseconds since the epoch when the event was committed. */
  at: number;
  event: HubEvent;
}

/**
 * A command for a device or for the hub, from the cloud or the LAN. A device is addressed by
 * `ieee`: its IEEE address or, from a person (LAN), its friendly name; the executor resolves
 * either against the device table.
 */
export type HubCommand =
  | { kind: 'set_state'; id: string; ieee: Ieee; state: DeviceState; expiresAt?: number }
  /** `via`: only this router (ieee or name) opens; closing (0) always closes everywhere. */
  | { kind: 'permit_join'; id: string; seconds: number; via?: Ieee; expiresAt?: number }
  /** Leave request, then forgotten; `force` forgets without asking (a device that is gone). */
  | { kind: 'remove_device'; id: string; ieee: Ieee; force?: boolean; expiresAt?: number }
  /** Friendly names are unique: a name another device holds is refused. */
  | { kind: 'rename_device'; id: string; ieee: Ieee; name: string; expiresAt?: number }
  /** null takes the device out of its room. */
  | { kind: 'set_room'; id: string; ieee: Ieee; room: string | null; expiresAt?: number }
  /** Interview again (descriptors, Basic attributes) and re-resolve the converters definition. */
  | { kind: 'reinterview_device'; id: string; ieee: Ieee; expiresAt?: number }
  /** Run the definition's configure step (bindings, reporting) again. */
  | { kind: 'reconfigure_device'; id: string; ieee: Ieee; expiresAt?: number }
  /**
   * Changes per-device converter options (temperature_calibration, precision, transition,
   * invert_cover, ...): merged into the stored ones, null removes one. Checked against the
   * device definition's options; the result's state is the device's options afterwards.
   */
  | { kind: 'set_options'; id: string; ieee: Ieee; options: Record<string, unknown>; expiresAt?: number }
  /** Queue a snapshot of every device (cloud only: the LAN has ListDevices). */
  | { kind: 'request_snapshot'; id: string; expiresAt?: number }
  /** Read these state keys from the device itself; fresh values are stored and reported. */
  | { kind: 'read_state'; id: string; ieee: Ieee; keys: string[]; expiresAt?: number }
  | GroupCommand
  | SceneCommand
  | BindingCommand;

/**
 * Bindings and reporting. `bind` binds (or with unbind, unbinds) the device endpoint's output
 * clusters (the named ones, or every bindable one the target takes) to a device endpoint or a
 * group, so the device's commands go there without the hub. `configure_reporting` sets how one
 * attribute is reported. Results hold the device's bindings or reporting afterwards.
 */
export type BindingCommand =
  | { kind: 'bind'; id: string; ieee: Ieee; endpoint?: string; target: SceneTarget; clusters?: string[]; unbind?: boolean; expiresAt?: number }
  | {
      kind: 'configure_reporting';
      id: string;
      ieee: Ieee;
      endpoint?: string;
      cluster: string;
      attribute: string;
      /** Seconds. */
      minimumInterval: number;
      /** Seconds; 65535 turns periodic reports off. */
      maximumInterval: number;
      reportableChange: number;
      expiresAt?: number;
    };

/** Where a scene lives (or a binding points): a group (id or name), or one endpoint of a device (default endpoint when absent). */
export type SceneTarget = { group: number | string } | { ieee: Ieee; endpoint?: string };

/**
 * Scenes (genScenes), 0..255 per target. A store takes the target's current state on the
 * devices themselves, with a name unique per target; the result's state holds the scene.
 * `scene` in recall/remove: its id or (from a person) its name.
 */
export type SceneCommand =
  | { kind: 'store_scene'; id: string; target: SceneTarget; sceneId: number; name: string; expiresAt?: number }
  | { kind: 'recall_scene'; id: string; target: SceneTarget; scene: number | string; expiresAt?: number }
  | { kind: 'remove_scene'; id: string; target: SceneTarget; scene: number | string; expiresAt?: number };

/**
 * Zigbee groups. A group is named by its id or its name. Members are device endpoints
 * (`endpoint`: a name such as "left", an id, or absent for the device's default); the device
 * is told, so a remote bound to the group keeps working without the hub.
 */
export type GroupCommand =
  /** Without groupId the lowest free id is taken; the result's state holds group_id. */
  | { kind: 'create_group'; id: string; name: string; groupId?: number; expiresAt?: number }
  | { kind: 'delete_group'; id: string; group: number | string; expiresAt?: number }
  /** Group names are unique like device names: a name another group holds is refused. */
  | { kind: 'rename_group'; id: string; group: number | string; name: string; expiresAt?: number }
  | { kind: 'add_group_member'; id: string; group: number | string; ieee: Ieee; endpoint?: string; expiresAt?: number }
  | { kind: 'remove_group_member'; id: string; group: number | string; ieee: Ieee; endpoint?: string; expiresAt?: number }
  /** Through the members' converters, one group-addressed frame per converter. */
  | { kind: 'set_group_state'; id: string; group: number | string; state: DeviceState; expiresAt?: number };
