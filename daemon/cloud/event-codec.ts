// Domain events (daemon/domain/events.ts) <-> cloud.proto Event messages.
import type {
  DeviceDescription,
  GatewayStatus,
  HubEvent,
  InterviewStatus,
  SequencedEvent,
  SnapshotDevice,
} from '../domain/events.js';
import { fromStruct, toStruct } from './struct-codec.js';
import type { WireDeviceDescription, WireDeviceType, WireEvent, WireGatewayStatus, WireInterviewStatus, WireSnapshotDevice } from './wire.js';

const INTERVIEW_TO_WIRE: Record<InterviewStatus, WireInterviewStatus> = {
  pending: 'INTERVIEW_STATUS_PENDING',
  in_progress: 'INTERVIEW_STATUS_IN_PROGRESS',
  successful: 'INTERVIEW_STATUS_SUCCESSFUL',
  failed: 'INTERVIEW_STATUS_FAILED',
};

const DEVICE_TYPE_TO_WIRE: Record<DeviceDescription['type'], WireDeviceType> = {
  Coordinator: 'DEVICE_TYPE_COORDINATOR',
  Router: 'DEVICE_TYPE_ROUTER',
  EndDevice: 'DEVICE_TYPE_END_DEVICE',
  Unknown: 'DEVICE_TYPE_UNSPECIFIED',
};

function interviewFromWire(status: WireInterviewStatus | undefined): InterviewStatus {
  const found = (Object.keys(INTERVIEW_TO_WIRE) as InterviewStatus[]).find((key) => INTERVIEW_TO_WIRE[key] === status);
  return found ?? 'pending';
}

function deviceTypeFromWire(type: WireDeviceType | undefined): DeviceDescription['type'] {
  const found = (Object.keys(DEVICE_TYPE_TO_WIRE) as Array<DeviceDescription['type']>).find(
    (key) => DEVICE_TYPE_TO_WIRE[key] === type,
  );
  return found ?? 'Unknown';
}

export function encodeEvent({ seq, at, event }: SequencedEvent): WireEvent {
  const wire: WireEvent = { seq, at_ms: at };
  switch (event.kind) {
    case 'device_joined':
      wire.device_joined = { ieee: event.ieee, nwk: event.nwk };
      break;
    case 'device_interview':
      wire.device_interview = {
        ieee: event.ieee,
        status: INTERVIEW_TO_WIRE[event.status],
        device: event.device ? encodeDevice(event.device) : null,
      };
      break;
    case 'device_left':
      wire.device_left = { ieee: event.ieee };
      break;
    case 'device_removed':
      wire.device_removed = { ieee: event.ieee };
      break;
    case 'device_renamed':
      wire.device_renamed = { ieee: event.ieee, name: event.name, room: event.room };
      break;
    case 'state_changed':
      wire.state_changed = { ieee: event.ieee, state: toStruct(event.state), changed: event.changed };
      break;
    case 'availability_changed':
      wire.availability_changed = { ieee: event.ieee, available: event.available };
      break;
    case 'permit_join_changed':
      wire.permit_join_changed = { open: event.open, seconds: event.seconds };
      break;
    case 'command_result':
      wire.command_result = {
        command_id: event.commandId,
        ok: event.ok,
        error: event.error,
        state: event.state ? toStruct(event.state) : null,
      };
      break;
    case 'resync_requested':
      wire.resync_requested = { reason: event.reason };
      break;
    case 'gap':
      wire.gap = { from_seq: event.fromSeq, to_seq: event.toSeq, dropped: event.dropped, reason: event.reason };
      break;
    case 'health_changed':
      wire.health_changed = { component: event.component, status: event.status, reason: event.reason };
      break;
    case 'device_quarantined':
      wire.device_quarantined = { ieee: event.ieee, reason: event.reason, stage: event.stage };
      break;
    case 'snapshot_started':
      wire.snapshot_started = { snapshot_id: event.snapshotId, devices: event.devices, reason: event.reason, groups: event.groups };
      break;
    case 'snapshot_device':
      wire.snapshot_device = encodeSnapshotDevice(event.snapshotId, event.device);
      break;
    case 'snapshot_ended':
      wire.snapshot_ended = { snapshot_id: event.snapshotId, devices: event.devices, groups: event.groups };
      break;
    case 'gateway_status':
      wire.gateway_status = encodeGatewayStatus(event);
      break;
    case 'group_state_changed':
      wire.group_state_changed = { group_id: event.groupId, state: toStruct(event.state), changed: event.changed };
      break;
    case 'group_changed':
      wire.group_changed = {
        group_id: event.groupId,
        name: event.name,
        members: event.members,
        deleted: event.deleted,
        ...(event.snapshotId !== undefined ? { snapshot_id: event.snapshotId, state: toStruct(event.state ?? {}) } : {}),
      };
      break;
    default: {
      const unknown: never = event;
      throw new Error(`cannot encode event kind ${(unknown as { kind: string }).kind}`);
    }
  }
  return wire;
}

function encodeGatewayStatus(status: GatewayStatus): WireGatewayStatus {
  return {
    reason: status.reason,
    firmware_version: status.firmwareVersion,
    node_version: status.nodeVersion,
    coordinator: status.coordinator,
    channel: status.network?.channel ?? 0,
    pan_id: status.network?.panId ?? 0,
    extended_pan_id: status.network?.extendedPanId ?? '',
    devices: status.devices,
    uptime_seconds: status.uptimeSeconds,
    outbox: { events: status.outbox.events, bytes: status.outbox.bytes, oldest_age_ms: status.outbox.oldestAgeMs },
    last_error: status.lastError,
    health: status.health,
  };
}

function decodeGatewayStatus(wire: WireGatewayStatus): HubEvent {
  const coordinator = wire.coordinator ?? {};
  const devices = wire.devices ?? {};
  const outbox = wire.outbox ?? {};
  return {
    kind: 'gateway_status',
    reason: wire.reason ?? '',
    firmwareVersion: wire.firmware_version ?? '',
    nodeVersion: wire.node_version ?? '',
    coordinator: { type: coordinator.type ?? '', firmware: coordinator.firmware ?? '', ieee: coordinator.ieee ?? '' },
    ...(wire.channel ? { network: { channel: wire.channel, panId: wire.pan_id ?? 0, extendedPanId: wire.extended_pan_id ?? '' } } : {}),
    devices: {
      total: devices.total ?? 0,
      available: devices.available ?? 0,
      unavailable: devices.unavailable ?? 0,
      left: devices.left ?? 0,
      quarantined: devices.quarantined ?? 0,
    },
    uptimeSeconds: wire.uptime_seconds ?? 0,
    outbox: { events: outbox.events ?? 0, bytes: outbox.bytes ?? 0, oldestAgeMs: outbox.oldest_age_ms ?? 0 },
    ...(wire.last_error !== undefined ? { lastError: wire.last_error } : {}),
    health: (wire.health ?? []).map(({ component, status, reason }) => ({
      component: component ?? '',
      status: status === 'ok' || status === 'degraded' ? status : 'bad',
      ...(reason !== undefined ? { reason } : {}),
    })),
  };
}

function encodeSnapshotDevice(snapshotId: string, device: SnapshotDevice): WireSnapshotDevice {
  return {
    snapshot_id: snapshotId,
    device: encodeDevice(device.description),
    name: device.name,
    room: device.room,
    available: device.available,
    left: device.left,
    quarantine: device.quarantine ? { ieee: device.description.ieee, reason: device.quarantine.reason, stage: device.quarantine.stage } : null,
    state: toStruct(device.state),
    last_seen_ms: device.lastSeen ?? 0,
  };
}

function decodeSnapshotDevice(wire: WireSnapshotDevice): SnapshotDevice {
  const { quarantine } = wire;
  return {
    description: decodeDevice(wire.device ?? {}),
    name: wire.name ?? '',
    ...(wire.room !== undefined ? { room: wire.room } : {}),
    available: !!wire.available,
    left: !!wire.left,
    ...(quarantine ? { quarantine: { reason: quarantine.reason ?? '', stage: quarantine.stage ?? '' } } : {}),
    state: fromStruct(wire.state),
    ...(wire.last_seen_ms ? { lastSeen: wire.last_seen_ms } : {}),
  };
}

function encodeDevice(device: DeviceDescription): WireDeviceDescription {
  return {
    ieee: device.ieee,
    nwk: device.nwk,
    type: DEVICE_TYPE_TO_WIRE[device.type],
    manufacturer_code: device.manufacturerCode,
    manufacturer_name: device.manufacturerName,
    model_id: device.modelId,
    power_source: device.powerSource,
    model: device.model,
    vendor: device.vendor,
    description: device.description,
    supported: device.supported,
    interview: INTERVIEW_TO_WIRE[device.interview],
    endpoints: device.endpoints.map((endpoint) => ({
      id: endpoint.id,
      profile_id: endpoint.profileId,
      device_id: endpoint.deviceId,
      in_clusters: endpoint.inClusters,
      out_clusters: endpoint.outClusters,
    })),
  };
}

/** Decodes a received Event; undefined when its payload is unknown (a newer gateway). */
export function decodeEvent(wire: WireEvent): SequencedEvent | undefined {
  const event = decodePayload(wire);
  return event && { seq: wire.seq ?? 0, at: wire.at_ms ?? 0, event };
}

function decodePayload(wire: WireEvent): HubEvent | undefined {
  const ieee = (payload: { ieee?: string }) => payload.ieee ?? '';
  if (wire.device_joined) return { kind: 'device_joined', ieee: ieee(wire.device_joined), nwk: wire.device_joined.nwk ?? 0 };
  if (wire.device_interview) {
    const { device, status } = wire.device_interview;
    return {
      kind: 'device_interview',
      ieee: ieee(wire.device_interview),
      status: interviewFromWire(status),
      ...(device ? { device: decodeDevice(device) } : {}),
    };
  }
  if (wire.device_left) return { kind: 'device_left', ieee: ieee(wire.device_left) };
  if (wire.device_removed) return { kind: 'device_removed', ieee: ieee(wire.device_removed) };
  if (wire.device_renamed) {
    const { name, room } = wire.device_renamed;
    return { kind: 'device_renamed', ieee: ieee(wire.device_renamed), name: name ?? '', ...(room !== undefined ? { room } : {}) };
  }
  if (wire.state_changed) {
    const { state, changed } = wire.state_changed;
    return { kind: 'state_changed', ieee: ieee(wire.state_changed), state: fromStruct(state), changed: changed ?? [] };
  }
  if (wire.availability_changed) {
    return { kind: 'availability_changed', ieee: ieee(wire.availability_changed), available: !!wire.availability_changed.available };
  }
  if (wire.permit_join_changed) {
    return { kind: 'permit_join_changed', open: !!wire.permit_join_changed.open, seconds: wire.permit_join_changed.seconds ?? 0 };
  }
  if (wire.command_result) {
    const { command_id, ok, error, state } = wire.command_result;
    return {
      kind: 'command_result',
      commandId: command_id ?? '',
      ok: !!ok,
      ...(error !== undefined ? { error } : {}),
      ...(state ? { state: fromStruct(state) } : {}),
    };
  }
  if (wire.resync_requested) return { kind: 'resync_requested', reason: wire.resync_requested.reason ?? '' };
  if (wire.gap) {
    const { from_seq, to_seq, dropped, reason } = wire.gap;
    return { kind: 'gap', fromSeq: from_seq ?? 0, toSeq: to_seq ?? 0, dropped: dropped ?? 0, reason: reason ?? '' };
  }
  if (wire.health_changed) {
    const { component, status, reason } = wire.health_changed;
    const known = status === 'ok' || status === 'degraded' || status === 'bad' ? status : 'bad';
    return { kind: 'health_changed', component: component ?? '', status: known, ...(reason !== undefined ? { reason } : {}) };
  }
  if (wire.device_quarantined) {
    const { reason, stage } = wire.device_quarantined;
    return { kind: 'device_quarantined', ieee: ieee(wire.device_quarantined), reason: reason ?? '', stage: stage ?? '' };
  }
  if (wire.gateway_status) return decodeGatewayStatus(wire.gateway_status);
  if (wire.group_state_changed) {
    const { group_id, state, changed } = wire.group_state_changed;
    return { kind: 'group_state_changed', groupId: group_id ?? 0, state: fromStruct(state), changed: changed ?? [] };
  }
  if (wire.group_changed) {
    const { group_id, name, members, deleted, snapshot_id, state } = wire.group_changed;
    const decoded = (members ?? []).map((m) => ({ ieee: m.ieee ?? '', endpoint: m.endpoint ?? 0 }));
    const inSnapshot = snapshot_id ? { snapshotId: snapshot_id, state: fromStruct(state) } : {};
    return { kind: 'group_changed', groupId: group_id ?? 0, name: name ?? '', members: decoded, deleted: !!deleted, ...inSnapshot };
  }
  if (wire.snapshot_started) {
    const { snapshot_id, devices, groups, reason } = wire.snapshot_started;
    return { kind: 'snapshot_started', snapshotId: snapshot_id ?? '', devices: devices ?? 0, groups: groups ?? 0, reason: reason ?? '' };
  }
  if (wire.snapshot_device) {
    return { kind: 'snapshot_device', snapshotId: wire.snapshot_device.snapshot_id ?? '', device: decodeSnapshotDevice(wire.snapshot_device) };
  }
  if (wire.snapshot_ended) {
    const { snapshot_id, devices, groups } = wire.snapshot_ended;
    return { kind: 'snapshot_ended', snapshotId: snapshot_id ?? '', devices: devices ?? 0, groups: groups ?? 0 };
  }
  return undefined;
}

function decodeDevice(wire: WireDeviceDescription): DeviceDescription {
  const device: DeviceDescription = {
    ieee: wire.ieee ?? '',
    nwk: wire.nwk ?? 0,
    type: deviceTypeFromWire(wire.type),
    supported: !!wire.supported,
    interview: interviewFromWire(wire.interview),
    endpoints: (wire.endpoints ?? []).map((endpoint) => ({
      id: endpoint.id ?? 0,
      ...(endpoint.profile_id !== undefined ? { profileId: endpoint.profile_id } : {}),
      ...(endpoint.device_id !== undefined ? { deviceId: endpoint.device_id } : {}),
      inClusters: endpoint.in_clusters ?? [],
      outClusters: endpoint.out_clusters ?? [],
    })),
  };
  // Optional description fields: copy only what is present so absent stays absent.
  if (wire.manufacturer_code !== undefined) device.manufacturerCode = wire.manufacturer_code;
  if (wire.manufacturer_name !== undefined) device.manufacturerName = wire.manufacturer_name;
  if (wire.model_id !== undefined) device.modelId = wire.model_id;
  if (wire.power_source !== undefined) device.powerSource = wire.power_source;
  if (wire.model !== undefined) device.model = wire.model;
  if (wire.vendor !== undefined) device.vendor = wire.vendor;
  if (wire.description !== undefined) device.description = wire.description;
  return device;
}
