// Reconnect delays grow exponentially up to the cap, jitter only shortens them, reset works.
import t from 'tap';
import { Backoff } from '../../daemon/cloud/backoff.js';
import { RecentIds } from '../../daemon/cloud/recent-ids.js';

const OPTIONS = { initialMs: 100, maxMs: 1000, multiplier: 2, jitter: 0.5, healthyAfterMs: 0 };

t.test('exponential, capped, reset', async (t) => {
  const backoff = new Backoff(OPTIONS, () => 0);
  t.same([1, 2, 3, 4, 5, 6].map(() => backoff.next()), [100, 200, 400, 800, 1000, 1000]);
  t.equal(backoff.attempts, 6);
  backoff.reset();
  t.equal(backoff.next(), 100);
});

t.test('jitter takes off at most its fraction', async (t) => {
  const max = new Backoff(OPTIONS, () => 0.999999);
  t.same([1, 2, 3].map(() => max.next()), [50, 100, 200]);
  const full = new Backoff({ ...OPTIONS, jitter: 1 }, () => 0.25);
  t.equal(full.next(), 75);
});

t.test('nonsense options are refused', async (t) => {
  t.throws(() => new Backoff({ ...OPTIONS, initialMs: 0 }), RangeError);
  t.throws(() => new Backoff({ ...OPTIONS, maxMs: 50 }), RangeError);
  t.throws(() => new Backoff({ ...OPTIONS, jitter: 2 }), RangeError);
});

t.test('RecentIds remembers the newest ids up to its capacity', async (t) => {
  const ids = new RecentIds(3);
  for (const id of ['a', 'b', 'c', 'a', 'd']) ids.add(id);
  t.same(['a', 'b', 'c', 'd'].map((id) => ids.state(id)), [undefined, 'started', 'started', 'started']);
  t.equal(ids.size, 3);
  ids.markAnswered('c');
  ids.markAnswered('gone');
  t.same(['b', 'c', 'gone'].map((id) => ids.state(id)), ['started', 'answered', undefined]);
});
