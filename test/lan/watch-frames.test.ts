// WatchFrames: the LAN's event messages as the proto defines them (decoded here with the
// service's own deserializer), a batch assembled from cached single messages, split under 1 MiB.
import t from 'tap';
import type { SequencedEvent } from '../../daemon/domain/events.js';
import { hubLanService } from '../../daemon/lan/index.js';
import { MAX_BATCH_BYTES, WatchFrames } from '../../daemon/lan/watch-frames.js';
import { fromStruct } from '../../daemon/cloud/index.js';

const method = hubLanService['WatchEvents']!;
const decode = (bytes: Buffer) => method.responseDeserialize(bytes) as Record<string, any>;

function stateEvent(seq: number, label = 'x'): SequencedEvent {
  return { seq, at: 1_700_000_000_000 + seq, event: { kind: 'state_changed', ieee: '0x00158d0000000001', state: { temperature: seq / 10, label }, changed: ['temperature'] } };
}

t.test('singles are `event` messages; a batch is one `events` message with the same events in order', async (t) => {
  const frames = new WatchFrames(method.responseSerialize);
  const events = [stateEvent(1), stateEvent(2), stateEvent(5)];
  const singles = frames.singles(events).map(decode);
  t.same(singles.map((m) => [m['body'], Number(m['event'].seq)]), [['event', 1], ['event', 2], ['event', 5]]);

  const [batch, ...rest] = frames.batches([events.slice(0, 2), events.slice(2)]).map(decode);
  t.same(rest, [], 'two commits, one message');
  t.equal(batch!['body'], 'events');
  const decoded = batch!['events'].events;
  t.same(decoded.map((e: any) => Number(e.seq)), [1, 2, 5]);
  t.same(decoded.map((e: any) => Number(e.at_ms)), events.map((e) => e.at));
  t.same(fromStruct(decoded[2].state_changed.state), { temperature: 0.5, label: 'x' });
  t.same(decode(frames.singles([events[2]!])[0]!)['event'], decoded[2], 'a batched event decodes as the single one does');
});

t.test('one commit is encoded once for every watcher', async (t) => {
  let serialized = 0;
  const frames = new WatchFrames((value) => (serialized++, method.responseSerialize(value)));
  const commit = [stateEvent(1), stateEvent(2)];
  const first = frames.batches([commit]);
  const again = frames.batches([commit]);
  t.equal(again, first, 'the same buffers');
  t.equal(serialized, 2, 'each event serialised once');
  frames.singles(commit);
  t.equal(serialized, 2, 'and not again for a client taking singles');
});

t.test('a batch over 1 MiB is split, every message under it, no event lost or reordered', async (t) => {
  const frames = new WatchFrames(method.responseSerialize);
  const big = 'y'.repeat(60 * 1024);
  const events = Array.from({ length: 40 }, (_, i) => stateEvent(i + 1, big));
  const messages = frames.batches([events.slice(0, 25), events.slice(25)]);
  t.ok(messages.length >= 3, `${messages.length} messages for about 2.4 MB`);
  t.ok(messages.every((m) => m.length <= MAX_BATCH_BYTES), 'each under the limit');
  const seqs = messages.flatMap((m) => decode(m)['events'].events.map((e: any) => Number(e.seq)));
  t.same(seqs, events.map((e) => e.seq));
});
