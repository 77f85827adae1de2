// The platform's reading of a received cloud.proto Event, written from the .proto alone (the
// daemon's own codec is not used: this reading cross-checks it). The result has the shape the
// gateway's documentation and tests speak of (camelCase fields, `kind` = the payload's name,
// state as a plain object); only its TypeScript type is borrowed from the daemon.
import type { DeviceDescription, HubEvent, InterviewStatus } from '../../daemon/domain/events.js';
import type { Plain } from '../lib/cloud-proto.js';

/** The event, or undefined for a payload this platform does not know (a newer gateway). */
export function decodeEvent(wire: Plain): HubEvent | undefined {
  const kind = wire.payload as string | undefined;
  const body = kind ? (wire[kind] as Plain | undefined) : undefined;
  if (!kind || !body) return undefined;
  switch (kind) {
    case 'device_interview': {
      const { device, status } = body;
      return { kind, ieee: body.ieee, status: interviewStatus(status), ...(device ? { device: deviceDescription(device) } : {}) };
    }
    case 'state_changed':
      return { kind, ieee: body.ieee, state: (body.state as Record<string, unknown> | null) ?? {}, changed: body.changed };
    case 'command_result': {
      const { state, ...rest } = camelCased(body);
      return { kind, ...rest, ...(state ? { state } : {}) } as HubEvent;
    }
    case 'health_changed':
      return { kind, ...camelCased(body), status: healthStatus(body.status) } as HubEvent;
    case 'snapshot_device':
      return { kind, snapshotId: body.snapshot_id, device: snapshotDevice(body) };
    case 'gateway_status':
      return gatewayStatus(body);
    case 'group_state_changed':
      return { kind, groupId: body.group_id, state: (body.state as Record<string, unknown> | null) ?? {}, changed: body.changed ?? [] };
    case 'group_changed': {
      const members = ((body.members ?? []) as Plain[]).map((m) => ({ ieee: m.ieee, endpoint: m.endpoint }));
      // snapshot_id (and the group's state) only on a snapshot's groups.
      const inSnapshot = body.snapshot_id ? { snapshotId: body.snapshot_id, state: (body.state as Record<string, unknown> | null) ?? {} } : {};
      return { kind, groupId: body.group_id, name: body.name, members, deleted: !!body.deleted, ...inSnapshot };
    }
    case 'device_joined':
    case 'device_left':
    case 'device_removed':
    case 'device_renamed':
    case 'availability_changed':
    case 'permit_join_changed':
    case 'resync_requested':
    case 'gap':
    case 'device_quarantined':
    case 'snapshot_started':
    case 'snapshot_ended':
      // Flat messages of scalars: the fields as they are, camelCased.
      return { kind, ...camelCased(body) } as HubEvent;
    default:
      return undefined;
  }
}

function camelCased(message: Plain): Plain {
  return Object.fromEntries(Object.entries(message).map(([key, value]) => [key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), value]));
}

/** INTERVIEW_STATUS_IN_PROGRESS -> in_progress; UNSPECIFIED reads as pending. */
function interviewStatus(name: string): InterviewStatus {
  const status = name.replace(/^INTERVIEW_STATUS_/, '').toLowerCase();
  return status === 'unspecified' ? 'pending' : (status as InterviewStatus);
}

const DEVICE_TYPES: Record<string, DeviceDescription['type']> = {
  DEVICE_TYPE_COORDINATOR: 'Coordinator',
  DEVICE_TYPE_ROUTER: 'Router',
  DEVICE_TYPE_END_DEVICE: 'EndDevice',
};

function healthStatus(status: string): 'ok' | 'degraded' | 'bad' {
  // The .proto names three; anything else is treated as the worst.
  return status === 'ok' || status === 'degraded' ? status : 'bad';
}

function deviceDescription(device: Plain): DeviceDescription {
  const { type, interview, endpoints, ...rest } = camelCased(device);
  return {
    ...rest,
    type: DEVICE_TYPES[type as string] ?? 'Unknown',
    interview: interviewStatus(interview as string),
    endpoints: (endpoints as Plain[]).map(camelCased),
  } as DeviceDescription;
}

function snapshotDevice(body: Plain): Extract<HubEvent, { kind: 'snapshot_device' }>['device'] {
  const { device, name, room, available, left, quarantine, state, last_seen_ms } = body;
  return {
    description: deviceDescription(device ?? { type: '', interview: '', endpoints: [] }),
    name,
    ...(room !== undefined ? { room } : {}),
    available,
    left,
    ...(quarantine ? { quarantine: { reason: quarantine.reason, stage: quarantine.stage } } : {}),
    state: state ?? {},
    ...(last_seen_ms ? { lastSeen: last_seen_ms } : {}),
  };
}

function gatewayStatus(body: Plain): HubEvent {
  const { reason, firmware_version, node_version, coordinator, channel, pan_id, extended_pan_id, devices, uptime_seconds, outbox, last_error, health } = body;
  const zero = { events: 0, bytes: 0, oldest_age_ms: 0 };
  return {
    kind: 'gateway_status',
    reason,
    firmwareVersion: firmware_version,
    nodeVersion: node_version,
    coordinator: coordinator ?? { type: '', firmware: '', ieee: '' },
    // Channel 0 = the radio is not up: no network to describe.
    ...(channel ? { network: { channel, panId: pan_id, extendedPanId: extended_pan_id } } : {}),
    devices: devices ?? { total: 0, available: 0, unavailable: 0, left: 0, quarantined: 0 },
    uptimeSeconds: uptime_seconds,
    outbox: camelCased(outbox ?? zero),
    ...(last_error !== undefined ? { lastError: last_error } : {}),
    health: (health as Plain[]).map((entry) => ({
      component: entry.component,
      status: healthStatus(entry.status),
      ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
    })),
  } as HubEvent;
}
