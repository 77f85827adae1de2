// TypeScript shapes of the cloud.proto messages as @grpc/proto-loader encodes and decodes them
// with PROTO_LOADER_OPTIONS (see proto.ts). Hand-written to stay readable; codec.test.ts
// round-trips every message through real protobuf encoding so a drift from the .proto shows.
// On decode, scalars are always present (defaults: true); oneof members and `optional`
// fields are present only when set. On encode, anything may be omitted.

export type WireInterviewStatus =
  | 'INTERVIEW_STATUS_UNSPECIFIED'
  | 'INTERVIEW_STATUS_PENDING'
  | 'INTERVIEW_STATUS_IN_PROGRESS'
  | 'INTERVIEW_STATUS_SUCCESSFUL'
  | 'INTERVIEW_STATUS_FAILED';

export type WireDeviceType =
  | 'DEVICE_TYPE_UNSPECIFIED'
  | 'DEVICE_TYPE_COORDINATOR'
  | 'DEVICE_TYPE_ROUTER'
  | 'DEVICE_TYPE_END_DEVICE';

/** google.protobuf.Value; its field names are camelCase (protobufjs' bundled definition). */
export interface WireValue {
  nullValue?: 'NULL_VALUE' | 0;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: WireStruct;
  listValue?: { values?: WireValue[] };
  kind?: 'nullValue' | 'numberValue' | 'stringValue' | 'boolValue' | 'structValue' | 'listValue';
}

/** google.protobuf.Struct */
export interface WireStruct {
  fields?: Record<string, WireValue>;
}

export interface WireHello {
  gateway_id?: string;
  firmware_version?: string;
  last_acked_seq?: number;
  outbox_epoch?: string;
}

export interface WireEndpoint {
  id?: number;
  profile_id?: number;
  device_id?: number;
  in_clusters?: number[];
  out_clusters?: number[];
}

export interface WireDeviceDescription {
  ieee?: string;
  nwk?: number;
  type?: WireDeviceType;
  manufacturer_code?: number;
  manufacturer_name?: string;
  model_id?: string;
  power_source?: string;
  model?: string;
  vendor?: string;
  description?: string;
  supported?: boolean;
  interview?: WireInterviewStatus;
  endpoints?: WireEndpoint[];
}

export interface WireEventPayloads {
  device_joined?: { ieee?: string; nwk?: number };
  device_interview?: { ieee?: string; status?: WireInterviewStatus; device?: WireDeviceDescription | null };
  device_left?: { ieee?: string };
  device_removed?: { ieee?: string };
  device_renamed?: { ieee?: string; name?: string; room?: string };
  state_changed?: { ieee?: string; state?: WireStruct | null; changed?: string[] };
  availability_changed?: { ieee?: string; available?: boolean };
  permit_join_changed?: { open?: boolean; seconds?: number };
  command_result?: { command_id?: string; ok?: boolean; error?: string; state?: WireStruct | null };
  resync_requested?: { reason?: string };
  gap?: { from_seq?: number; to_seq?: number; dropped?: number; reason?: string };
  health_changed?: { component?: string; status?: string; reason?: string };
  device_quarantined?: { ieee?: string; reason?: string; stage?: string };
  group_state_changed?: { group_id?: number; state?: WireStruct | null; changed?: string[] };
  group_changed?: { group_id?: number; name?: string; members?: Array<{ ieee?: string; endpoint?: number }>; deleted?: boolean; snapshot_id?: string; state?: WireStruct | null };
  snapshot_started?: { snapshot_id?: string; devices?: number; groups?: number; reason?: string };
  snapshot_device?: WireSnapshotDevice;
  snapshot_ended?: { snapshot_id?: string; devices?: number; groups?: number };
  gateway_status?: WireGatewayStatus;
}

export interface WireGatewayStatus {
  reason?: string;
  firmware_version?: string;
  node_version?: string;
  coordinator?: { type?: string; firmware?: string; ieee?: string } | null;
  channel?: number;
  pan_id?: number;
  extended_pan_id?: string;
  devices?: { total?: number; available?: number; unavailable?: number; left?: number; quarantined?: number } | null;
  uptime_seconds?: number;
  outbox?: { events?: number; bytes?: number; oldest_age_ms?: number } | null;
  last_error?: string;
  health?: Array<{ component?: string; status?: string; reason?: string }>;
}

export interface WireSnapshotDevice {
  snapshot_id?: string;
  device?: WireDeviceDescription | null;
  name?: string;
  room?: string;
  available?: boolean;
  left?: boolean;
  quarantine?: { ieee?: string; reason?: string; stage?: string } | null;
  state?: WireStruct | null;
  last_seen_ms?: number;
}

export type WireEventPayloadName = keyof WireEventPayloads;

export interface WireEvent extends WireEventPayloads {
  seq?: number;
  at_ms?: number;
  payload?: WireEventPayloadName;
}

export interface HubMessage {
  hello?: WireHello;
  events?: { events?: WireEvent[] };
  ping?: { sent_at_ms?: number };
  body?: 'hello' | 'events' | 'ping';
}

export interface WireCommandActions {
  set_state?: { ieee?: string; state?: WireStruct | null };
  permit_join?: { seconds?: number; via?: string };
  remove_device?: { ieee?: string; force?: boolean };
  rename_device?: { ieee?: string; name?: string };
  /** room absent = out of any room (proto3 optional). */
  set_room?: { ieee?: string; room?: string };
  reinterview_device?: { ieee?: string };
  reconfigure_device?: { ieee?: string };
  set_device_options?: { ieee?: string; options?: WireStruct | null };
  request_snapshot?: Record<string, never>;
  read_state?: { ieee?: string; keys?: string[] };
  create_group?: { name?: string; group_id?: number };
  delete_group?: { group_id?: number };
  rename_group?: { group_id?: number; name?: string };
  change_group_member?: { group_id?: number; ieee?: string; endpoint?: string; remove?: boolean };
  set_group_state?: { group_id?: number; state?: WireStruct | null };
  store_scene?: { group_id?: number; ieee?: string; endpoint?: string; scene_id?: number; name?: string };
  use_scene?: { group_id?: number; ieee?: string; endpoint?: string; scene_id?: number; remove?: boolean };
  bind?: {
    ieee?: string; endpoint?: string; target_group_id?: number; target_ieee?: string; target_endpoint?: string; clusters?: string[]; unbind?: boolean;
  };
  configure_reporting?: {
    ieee?: string; endpoint?: string; cluster?: string; attribute?: string; minimum_interval?: number; maximum_interval?: number; reportable_change?: number;
  };
}

export interface WireCommand extends WireCommandActions {
  id?: string;
  expires_at_ms?: number;
  action?: keyof WireCommandActions;
  /** Never on the wire: set by the gateway's decoder for a command it would not or could not decode. */
  undecodable?: string;
}

export interface CloudMessage {
  welcome?: { last_seq_seen?: number };
  ack?: { up_to_seq?: number };
  command?: WireCommand;
  pong?: { sent_at_ms?: number };
  body?: 'welcome' | 'ack' | 'command' | 'pong';
  /** Never on the wire: set by the gateway's decoder for a message that is no readable command. */
  undecodable?: string;
}
