// WatchEvents messages as bytes, encoded once and shared by every watcher: each event is
// serialised once however many clients watch, and a commit's batch once for every client that
// takes batches and is keeping up. A client that fell behind gets the commits queued for it in
// one message, put together from the events' bytes without encoding anything again.
import type { SequencedEvent } from '../domain/events.js';
import { encodeWireEvent } from '../cloud/index.js';

/** A batch message stays under this (a client's default receive limit is 4 MiB). */
export const MAX_BATCH_BYTES = 1024 * 1024;

// Protobuf keys (field number << 3 | wire type 2, length-delimited) of the fields assembled here.
const RESPONSE_EVENT_KEY = 0x12; // WatchEventsResponse.event = 2
const RESPONSE_EVENTS_KEY = 0x1a; // WatchEventsResponse.events = 3
const BATCH_EVENT_KEY = 0x0a; // EventBatch.events = 1

type Serialize = (response: object) => Buffer;

export class WatchFrames {
  private readonly eventMessages = new WeakMap<SequencedEvent, Buffer>();
  private readonly commitMessages = new WeakMap<readonly SequencedEvent[], Buffer[]>();

  /** `serialize`: WatchEventsResponse (as proto-loader objects) to bytes. */
  constructor(private readonly serialize: Serialize) {}

  /** One `event` message per event: for clients that did not ask for batches. */
  singles(events: readonly SequencedEvent[]): Buffer[] {
    return events.map((event) => this.eventMessage(event));
  }

  /**
   * `events` messages holding every event of these commits, in order, split only where a
   * message would pass MAX_BATCH_BYTES. One commit alone (the usual case) is encoded once for
   * every watcher.
   */
  batches(commits: ReadonlyArray<readonly SequencedEvent[]>): Buffer[] {
    if (commits.length === 1) {
      const commit = commits[0]!;
      let messages = this.commitMessages.get(commit);
      if (!messages) {
        messages = this.assemble(commit);
        this.commitMessages.set(commit, messages);
      }
      return messages;
    }
    return this.assemble(commits.flat());
  }

  /**
   * WatchEventsResponse{event} is the key 0x12, the Event's length and its bytes; an EventBatch
   * entry is the same with the key 0x0a. So a batch is put together from the cached single
   * messages: no event is encoded twice.
   */
  private assemble(events: readonly SequencedEvent[]): Buffer[] {
    const messages: Buffer[] = [];
    let group: Buffer[] = [];
    let groupBytes = 0;
    const close = () => {
      if (group.length === 0) return;
      messages.push(batchMessage(group, groupBytes));
      group = [];
      groupBytes = 0;
    };
    for (const event of events) {
      const single = this.eventMessage(event);
      // The batch's own key and length take at most 6 bytes.
      if (groupBytes + single.length + 6 > MAX_BATCH_BYTES) close();
      group.push(single);
      groupBytes += single.length;
    }
    close();
    return messages;
  }

  private eventMessage(event: SequencedEvent): Buffer {
    let bytes = this.eventMessages.get(event);
    if (!bytes) {
      bytes = this.serialize({ event: encodeWireEvent(event) });
      if (bytes[0] !== RESPONSE_EVENT_KEY) throw new Error(`WatchEventsResponse{event} encoded with key ${bytes[0]}, not ${RESPONSE_EVENT_KEY}: lan.proto changed?`);
      this.eventMessages.set(event, bytes);
    }
    return bytes;
  }
}

/** WatchEventsResponse{events: EventBatch{events: ...}} from WatchEventsResponse{event} messages. */
function batchMessage(singles: Buffer[], length: number): Buffer {
  const header = [RESPONSE_EVENTS_KEY, ...varint(length)];
  const out = Buffer.allocUnsafe(header.length + length);
  out.set(header, 0);
  let at = header.length;
  for (const single of singles) {
    out[at] = BATCH_EVENT_KEY;
    single.copy(out, at + 1, 1);
    at += single.length;
  }
  return out;
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
  return bytes;
}
