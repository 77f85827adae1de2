// How a HubEvent is stored in the outbox, and which events may be shed under pressure.
import type { HubEvent } from '../domain/events.js';

/** telemetry may be dropped (with a gap event) when the outbox is over its bounds; keep never. */
export type EventClass = 'telemetry' | 'keep';

export function eventClass(event: HubEvent): EventClass {
  // Only state reports and gateway status are telemetry: a newer one supersedes them. Joins,
  // leaves, renames, availability, command results, snapshots and gaps carry facts the cloud
  // cannot learn otherwise.
  return event.kind === 'state_changed' || event.kind === 'gateway_status' ? 'telemetry' : 'keep';
}

export function encodeEvent(event: HubEvent): string {
  return JSON.stringify(event);
}

export function decodeEvent(payload: string): HubEvent {
  return JSON.parse(payload) as HubEvent;
}

/**
 * JSON with object keys sorted, so two equal values always encode to the same string and
 * "did this state value change" is a string comparison.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return canonicalJson(withToJson.toJSON());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const keys = Object.keys(value).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || typeof v === 'function') continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}
