// Makes every outbox event fit the link's event limit before it is sent. An event over
// MAX_EVENT_BYTES (a device reporting a huge value, a result carrying one) would otherwise make
// a batch the platform refuses, and the same batch would be re-sent after every reconnect: the
// link would be wedged for good. The outbox keeps the event as it was; only what is sent shrinks.
import type { DeviceState, HubEvent, SequencedEvent } from '../domain/events.js';
import { encodeEvent } from './event-codec.js';
import { hubLinkService } from './proto.js';
import type { HubMessage, WireEvent } from './wire.js';
import { cutText, MAX_ERROR_CHARS, MAX_EVENT_BYTES } from './wire-limits.js';

export interface FittedEvent {
  wire: WireEvent;
  /** Its size as a one-event HubMessage: an upper bound of what it adds to a batch. */
  bytes: number;
  /** Why it was reduced; absent when it is sent as it is. */
  reduced?: string;
}

/** Values longer than this (strings, or objects and lists as JSON) are left out of a reduced state. */
const MAX_REDUCED_VALUE_CHARS = 256;
/** Most keys a reduced state keeps. */
const MAX_REDUCED_KEYS = 256;
/** The key of a reduced state that says what was left out (documented in cloud.proto). */
export const REDUCED_NOTE_KEY = '_reduced';

const serialize = hubLinkService.Connect!.requestSerialize as (message: HubMessage) => Buffer;

export function eventBytes(wire: WireEvent): number {
  return serialize({ events: { events: [wire] } }).length;
}

export function fitEvent(sequenced: SequencedEvent): FittedEvent {
  const wire = encodeEvent(sequenced);
  const bytes = eventBytes(wire);
  if (bytes <= MAX_EVENT_BYTES) return { wire, bytes };

  const why = `${sequenced.event.kind} event of ${bytes} bytes is over the ${MAX_EVENT_BYTES}-byte event limit`;
  const reduced = reduceEvent(sequenced.event, why);
  if (reduced) {
    const smaller = encodeEvent({ ...sequenced, event: reduced });
    const smallerBytes = eventBytes(smaller);
    if (smallerBytes <= MAX_EVENT_BYTES) return { wire: smaller, bytes: smallerBytes, reduced: why };
  }
  // Nothing smaller says the same: the platform learns exactly which seq it will not get.
  const gap = encodeEvent({ ...sequenced, event: { kind: 'gap', fromSeq: sequenced.seq, toSeq: sequenced.seq, dropped: 1, reason: `${why}; not sent` } });
  return { wire: gap, bytes: eventBytes(gap), reduced: `${why}; sent as a gap` };
}

/** A smaller event saying the same where that is possible; undefined where it is not. */
function reduceEvent(event: HubEvent, why: string): HubEvent | undefined {
  switch (event.kind) {
    case 'state_changed': {
      // The changed keys first: they are what this event is about; the rest is context.
      const state = reduceState(event.state, why, event.changed);
      const changed = event.changed.filter((key) => key in state).slice(0, MAX_REDUCED_KEYS);
      return { ...event, state, changed };
    }
    case 'command_result': {
      // Never dropped: the platform waits for it. Its id is at most 128 characters (command-codec).
      const error = event.error === undefined ? undefined : cutText(event.error, MAX_ERROR_CHARS);
      return {
        kind: 'command_result',
        commandId: event.commandId,
        ok: event.ok,
        ...(error !== undefined ? { error } : {}),
        ...(event.state ? { state: reduceState(event.state, why) } : {}),
      };
    }
    case 'snapshot_device':
      return { ...event, device: { ...event.device, state: reduceState(event.device.state, why) } };
    default:
      return undefined;
  }
}

/** The state's small values (keys in `first` before the others), plus a note naming what was left out. */
function reduceState(state: DeviceState, why: string, first: string[] = []): DeviceState {
  const kept: DeviceState = {};
  const left: string[] = [];
  let keptCount = 0;
  const keys = [...new Set([...first.filter((key) => key in state), ...Object.keys(state)])];
  for (const key of keys) {
    const value = state[key];
    if (keptCount < MAX_REDUCED_KEYS && key.length <= MAX_REDUCED_VALUE_CHARS && isSmall(value)) {
      kept[key] = value;
      keptCount++;
    } else left.push(key);
  }
  const names = cutText(left.join(', '), 512);
  kept[REDUCED_NOTE_KEY] = `${why}; ${left.length} of ${Object.keys(state).length} keys left out: ${names}`;
  return kept;
}

function isSmall(value: unknown): boolean {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return true;
  if (typeof value === 'string') return value.length <= MAX_REDUCED_VALUE_CHARS;
  const json = JSON.stringify(value);
  return json !== undefined && json.length <= MAX_REDUCED_VALUE_CHARS;
}
