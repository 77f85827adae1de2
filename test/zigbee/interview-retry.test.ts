// The retry policy for failed and incomplete interviews, on a hand-driven clock: bounded
// attempts, growing delays, routers retried by the timer, sleepy devices on their next sign
// of life once the delay has passed, a person's request resetting the budget.
import t from 'tap';
import { InterviewRetry, type InterviewOutcome } from '../../daemon/zigbee/interview-retry.js';
import type { ZigbeeLogger } from '../../daemon/zigbee/types.js';

const ROUTER = '0x00124b0000000001';
const SLEEPY = '0x00124b0000000002';

/** setTimeout/clearTimeout and a clock that only move when the test says so. */
function manualTime() {
  let now = 1_000_000;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    clock: { now: () => now },
    timers: {
      setTimeout: (fn: () => void, ms: number) => {
        const id = nextId++;
        timers.set(id, { at: now + ms, fn });
        return id;
      },
      clearTimeout: (id: unknown) => void timers.delete(id as number),
    },
    /** Moves time forward, firing due timers in order (also ones they schedule). */
    advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, x]) => x.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = until;
    },
    pending: () => timers.size,
  };
}

function quietLog(lines: string[] = []): ZigbeeLogger {
  const write = (msg: string) => void lines.push(msg);
  return { debug: write, info: write, warn: write, error: write, child: () => quietLog(lines) };
}

/** A policy whose retries end with the outcomes the test queues up (reported like the network does). */
function setup(options: { maxRetries?: number; outcomes?: InterviewOutcome[]; started?: boolean } = {}) {
  const time = manualTime();
  const attempts: Array<{ ieee: string; at: number }> = [];
  const outcomes = [...(options.outcomes ?? [])];
  const lines: string[] = [];
  const retry: InterviewRetry = new InterviewRetry({
    maxRetries: options.maxRetries ?? 3,
    delaysMs: [5_000, 30_000],
    clock: time.clock,
    timers: time.timers,
    log: quietLog(lines),
    listens: (ieee) => ieee === ROUTER,
    retry: async (ieee) => {
      if (options.started === false) return false;
      attempts.push({ ieee, at: time.clock.now() });
      retry.onOutcome(ieee, outcomes.shift() ?? 'failed');
      return true;
    },
  });
  return { time, retry, attempts, lines };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

t.test('a router is retried by the timer with growing delays, a bounded number of times', async (t) => {
  const { time, retry, attempts, lines } = setup({ maxRetries: 3 });
  const start = time.clock.now();
  retry.onOutcome(ROUTER, 'failed');
  time.advance(4_999);
  t.equal(attempts.length, 0, 'not before the first delay');
  time.advance(1);
  await settle();
  t.same(attempts.map((a) => a.at - start), [5_000], 'first retry after 5 s');
  time.advance(30_000);
  await settle();
  time.advance(30_000);
  await settle();
  t.same(attempts.map((a) => a.at - start), [5_000, 35_000, 65_000], 'then every 30 s (the last delay repeats)');
  time.advance(10 * 60_000);
  await settle();
  t.equal(attempts.length, 3, 'and no more than maxRetries');
  t.equal(time.pending(), 0, 'no timer left behind');
  t.same(retry.waiting(), [], 'nothing waiting once the budget is used up');
  t.ok(lines.some((l) => /retries used up/.test(l)), 'giving up is logged');
});

t.test('a retry that succeeds ends the retries', async (t) => {
  const { time, retry, attempts } = setup({ outcomes: ['failed', 'successful'] });
  retry.onOutcome(ROUTER, 'incomplete');
  time.advance(5_000);
  await settle();
  time.advance(30_000);
  await settle();
  time.advance(60 * 60_000);
  await settle();
  t.equal(attempts.length, 2);
  t.same(retry.waiting(), []);
  t.equal(time.pending(), 0);
});

t.test('a sleepy device is retried on its first sign of life after the delay, not before', async (t) => {
  const { time, retry, attempts } = setup({ outcomes: ['successful'] });
  retry.onOutcome(SLEEPY, 'failed');
  time.advance(1_000);
  retry.onSignOfLife(SLEEPY);
  time.advance(0);
  await settle();
  t.equal(attempts.length, 0, 'a message before the delay does not trigger a retry');
  time.advance(10_000);
  await settle();
  t.equal(attempts.length, 0, 'the timer alone does not retry a device that sleeps');
  retry.onSignOfLife(SLEEPY);
  time.advance(0);
  await settle();
  t.equal(attempts.length, 1, 'the next message does');
  t.same(retry.waiting(), [], 'which succeeded');
});

t.test('a retry that finds another interview running does not use up an attempt', async (t) => {
  const { time, retry, attempts } = setup({ maxRetries: 1, started: false });
  retry.onOutcome(ROUTER, 'failed');
  time.advance(5_000);
  await settle();
  t.equal(attempts.length, 0);
  t.same(retry.waiting(), [ROUTER], 'still waiting for an attempt of its own');
  // The running interview (herdsman's, at a rejoin) fails too: the retry is scheduled again.
  retry.onOutcome(ROUTER, 'failed');
  t.equal(time.pending(), 1, 'one timer, not two');
});

t.test('a person asking for an interview resets the budget; a device that left is forgotten', async (t) => {
  const { time, retry, attempts } = setup({ maxRetries: 1 });
  retry.onOutcome(ROUTER, 'failed');
  time.advance(5_000);
  await settle();
  t.equal(attempts.length, 1);
  t.same(retry.waiting(), [], 'budget used up');
  retry.reset(ROUTER);
  retry.onOutcome(ROUTER, 'failed'); // the requested interview failed too
  time.advance(5_000);
  await settle();
  t.equal(attempts.length, 2, 'retried again after the reset');

  retry.onOutcome(SLEEPY, 'failed');
  retry.forget(SLEEPY);
  time.advance(60_000);
  retry.onSignOfLife(SLEEPY);
  time.advance(0);
  await settle();
  t.equal(attempts.filter((a) => a.ieee === SLEEPY).length, 0);
  t.equal(time.pending(), 0);
});

t.test('stop clears every pending retry', async (t) => {
  const { time, retry, attempts } = setup();
  retry.onOutcome(ROUTER, 'failed');
  retry.onOutcome(SLEEPY, 'incomplete');
  retry.stop();
  t.equal(time.pending(), 0);
  time.advance(60_000);
  await settle();
  t.equal(attempts.length, 0);
});
