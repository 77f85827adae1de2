// One readable line per received event, for people watching the reference cloud.
import type { HubEvent } from '../../daemon/domain/events.js';
import type { StoredEvent } from './event-store.js';

export function formatEvent({ gatewayId, seq, at, event }: StoredEvent): string {
  const time = new Date(at).toISOString().slice(11, 23);
  return `[${gatewayId} #${seq} ${time}] ${event.kind} ${describe(event)}`.trimEnd();
}

function describe(event: HubEvent): string {
  switch (event.kind) {
    case 'device_joined':
      return `${event.ieee} nwk=0x${event.nwk.toString(16).padStart(4, '0')}`;
    case 'device_interview': {
      const d = event.device;
      const what = d?.model ? ` ${d.vendor ?? '?'} ${d.model} (${d.description ?? ''})` : d?.modelId ? ` modelId=${d.modelId}` : '';
      return `${event.ieee} ${event.status}${what}`;
    }
    case 'device_left':
    case 'device_removed':
      return event.ieee;
    case 'device_renamed':
      return `${event.ieee} -> "${event.name}"${event.room !== undefined ? ` in ${event.room}` : ''}`;
    case 'state_changed':
      // The event carries the full state; the line shows what changed.
      return `${event.ieee} ${JSON.stringify(Object.fromEntries(event.changed.map((key) => [key, event.state[key]])))} (changed: ${event.changed.join(', ')}; ${Object.keys(event.state).length} keys in all)`;
    case 'availability_changed':
      return `${event.ieee} ${event.available ? 'online' : 'offline'}`;
    case 'permit_join_changed':
      return event.open ? `open for ${event.seconds}s` : 'closed';
    case 'command_result':
      return `${event.commandId} ${event.ok ? 'ok' : `FAILED: ${event.error ?? ''}`}${event.state ? ' ' + JSON.stringify(event.state) : ''}`;
    case 'resync_requested':
      return event.reason;
    case 'gap':
      return `dropped ${event.dropped} in seq ${event.fromSeq}..${event.toSeq}: ${event.reason}`;
    case 'health_changed':
      return `${event.component} ${event.status}${event.reason !== undefined ? `: ${event.reason}` : ''}`;
    case 'device_quarantined':
      return `${event.ieee} at ${event.stage}: ${event.reason}`;
    case 'snapshot_started':
      return `${event.snapshotId} ${event.devices} devices: ${event.reason}`;
    case 'snapshot_device': {
      const { description, name, available, state } = event.device;
      return `${event.snapshotId} ${description.ieee} "${name}" ${available ? 'online' : 'offline'} ${JSON.stringify(state)}`;
    }
    case 'snapshot_ended':
      return `${event.snapshotId} ${event.devices} devices`;
    case 'gateway_status': {
      const { devices, outbox, coordinator } = event;
      return `${event.reason} ${event.firmwareVersion} node ${event.nodeVersion} ${coordinator.type || 'no coordinator'} ${devices.total} devices (${devices.unavailable} unavailable), outbox ${outbox.events}${event.lastError ? `, last error: ${event.lastError}` : ''}`;
    }
    case 'group_state_changed':
      return `group ${event.groupId} ${JSON.stringify(Object.fromEntries(event.changed.map((key) => [key, event.state[key]])))}`;
    case 'group_changed':
      return `group ${event.groupId} "${event.name}" ${event.deleted ? 'deleted' : `members: ${event.members.map((m) => `${m.ieee}/${m.endpoint}`).join(', ') || 'none'}`}`;
  }
}
