// LAN service values <-> lan.proto messages (as @grpc/proto-loader decodes them, see
// daemon/cloud/proto.ts for the options: snake_case fields, enums as names, longs as numbers).
import { toStruct, toValue } from '../cloud/index.js';
import type { ComponentHealth } from '../domain/health.js';
import type { LanClientRecord } from '../store/index.js';
import type { ExposeDescription } from '../zigbee/index.js';
import type { LanDevice } from './device-view.js';
import type { LanGroup, WatchItem } from './event-watcher.js';
import type { HubInfo } from './hub-info.js';
import { parseScope, type LanScope } from './scopes.js';

type Wire = Record<string, unknown>;

const INTERVIEW: Record<string, string> = {
  pending: 'INTERVIEW_STATUS_PENDING',
  in_progress: 'INTERVIEW_STATUS_IN_PROGRESS',
  successful: 'INTERVIEW_STATUS_SUCCESSFUL',
  failed: 'INTERVIEW_STATUS_FAILED',
};
const DEVICE_TYPE: Record<string, string> = {
  Coordinator: 'DEVICE_TYPE_COORDINATOR',
  Router: 'DEVICE_TYPE_ROUTER',
  EndDevice: 'DEVICE_TYPE_END_DEVICE',
};

export function encodeScope(scope: LanScope): string {
  return `SCOPE_${scope.toUpperCase()}`;
}

/** SCOPE_UNSPECIFIED (or absent) -> undefined: the caller picks the default. */
export function decodeScope(wire: unknown): LanScope | undefined {
  if (typeof wire !== 'string' || wire === 'SCOPE_UNSPECIFIED') return undefined;
  return parseScope(wire.replace(/^SCOPE_/, '').toLowerCase());
}

export function encodeDevice({ record, state, exposes }: LanDevice): Wire {
  return {
    ieee: record.ieee,
    name: record.name,
    room: record.room,
    type: DEVICE_TYPE[record.type] ?? 'DEVICE_TYPE_UNSPECIFIED',
    model_id: record.modelId,
    manufacturer_name: record.manufacturerName,
    model: record.model,
    vendor: record.vendor,
    description: record.description,
    power_source: record.powerSource,
    supported: record.supported,
    interview: INTERVIEW[record.interview] ?? 'INTERVIEW_STATUS_UNSPECIFIED',
    available: record.available,
    last_seen_ms: record.lastSeen ?? 0,
    linkquality: record.linkquality,
    joined_at_ms: record.joinedAt,
    left: record.leftAt !== undefined,
    state: toStruct(state),
    exposes: exposes.map(encodeExpose),
  };
}

function encodeExpose(expose: ExposeDescription): Wire {
  return {
    type: expose.type,
    name: expose.name ?? '',
    property: expose.property ?? '',
    access: expose.access ?? 0,
    unit: expose.unit ?? '',
    label: expose.label ?? '',
    description: expose.description ?? '',
    value_min: expose.valueMin,
    value_max: expose.valueMax,
    value_step: expose.valueStep,
    value_on: expose.valueOn === undefined ? null : toValue(expose.valueOn),
    value_off: expose.valueOff === undefined ? null : toValue(expose.valueOff),
    value_toggle: expose.valueToggle === undefined ? null : toValue(expose.valueToggle),
    values: (expose.values ?? []).map((v) => toValue(v) ?? { nullValue: 'NULL_VALUE' }),
    presets: (expose.presets ?? []).map((p) => ({ name: p.name, value: toValue(p.value) ?? null, description: p.description ?? '' })),
    endpoint: expose.endpoint ?? '',
    features: (expose.features ?? []).map(encodeExpose),
  };
}

/** The snapshot message; events are encoded (once for every watcher) by WatchFrames. */
export function encodeSnapshot(item: Extract<WatchItem, { kind: 'snapshot' }>): Wire {
  return { snapshot: { devices: item.devices.map(encodeDevice), groups: item.groups.map(encodeGroup), seq: item.seq, epoch: item.epoch } };
}

export function encodeGroup(group: LanGroup): Wire {
  return { id: group.id, name: group.name, members: group.members.map((m) => ({ ieee: m.ieee, endpoint: m.endpoint })), state: toStruct(group.state) };
}

export function encodeHubInfo(info: HubInfo): Wire {
  return {
    hub_id: info.hubId,
    version: info.version,
    api_version: info.apiVersion,
    node_version: info.nodeVersion,
    herdsman_version: info.herdsmanVersion,
    converters_version: info.convertersVersion,
    coordinator: info.coordinator,
    network: info.network ? { channel: info.network.channel, pan_id: info.network.panId, extended_pan_id: info.network.extendedPanId } : null,
    started_at_ms: info.startedAt,
    uptime_seconds: info.uptimeSeconds,
    devices: info.devices,
    cloud: { enabled: info.cloud.enabled, state: info.cloud.state, outbox_events: info.cloud.outboxEvents },
    certificate_fingerprint: info.certificateFingerprint,
  };
}

export function encodeHealth(health: { overall: string; components: ComponentHealth[] }): Wire {
  return {
    overall: health.overall,
    components: health.components.map((c) => ({ component: c.component, status: c.status, reason: c.reason, since_ms: c.since })),
  };
}

export function encodeClient(client: LanClientRecord): Wire {
  return {
    id: client.id,
    name: client.name,
    scope: encodeScope(client.scope),
    created_at_ms: client.createdAt,
    last_used_at_ms: client.lastUsedAt ?? 0,
  };
}
