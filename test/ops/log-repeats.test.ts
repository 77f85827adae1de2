// Repeated log lines are limited in the logger: per kind (level, namespace, message, device) a
// burst per window is written, the rest counted into one "suppressed N" line.
import t from 'tap';
import { createLogger, type LoggerOptions } from '../../daemon/ops/logger.js';
import { parseConfig } from '../../daemon/ops/config.js';

const WEATHER = '0x00158d0001a2b3c4';
const PLUG = '0x00158d0001d2e3f4';

function capture(options: Partial<LoggerOptions> = {}) {
  const lines: string[] = [];
  let clock = Date.parse('2026-01-02T03:04:05.000Z');
  const log = createLogger({ out: { write: (line: string) => lines.push(line) }, format: 'json', now: () => new Date(clock), ...options });
  return {
    log,
    advance: (ms: number) => void (clock += ms),
    entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

t.test('a flood of one line: a burst is written, then one line counts the rest', async (t) => {
  const { log, advance, entries } = capture({ repeats: { burst: 3, windowMs: 60_000 } });
  const zigbee = log.child('zigbee');
  for (let i = 0; i < 20; i++) zigbee.warn('report refused', { ieee: WEATHER, reason: `temperature ${i} out of range` });
  t.equal(entries().length, 3, 'the first 3 of 20 written');
  t.same(entries().map((e) => e.reason), ['temperature 0 out of range', 'temperature 1 out of range', 'temperature 2 out of range']);

  advance(60_000);
  zigbee.warn('report refused', { ieee: WEATHER, reason: 'temperature 20 out of range' });
  const [summary, next] = entries().slice(3);
  t.match(summary, {
    level: 'warn',
    ns: 'zigbee',
    msg: 'report refused (suppressed 17 more like it)',
    suppressed: 17,
    window_seconds: 60,
    last: { ieee: WEATHER, reason: 'temperature 19 out of range' },
  }, 'the count and the last suppressed one, before the next window begins');
  t.match(next, { msg: 'report refused', reason: 'temperature 20 out of range' }, 'a new window writes again');
});

t.test('one device flooding does not hide another device, another message or another level', async (t) => {
  const { log, entries } = capture({ repeats: { burst: 2, windowMs: 60_000 } });
  for (let i = 0; i < 10; i++) log.warn('report refused', { ieee: WEATHER });
  log.warn('report refused', { ieee: PLUG });
  log.warn('interview failed', { ieee: WEATHER });
  log.error('report refused', { ieee: WEATHER });
  log.child('cloud').warn('report refused', { ieee: WEATHER });
  t.same(entries().map((e) => [e.level, e.ns, e.msg, e.ieee]), [
    ['warn', 'hubd', 'report refused', WEATHER],
    ['warn', 'hubd', 'report refused', WEATHER],
    ['warn', 'hubd', 'report refused', PLUG],
    ['warn', 'hubd', 'interview failed', WEATHER],
    ['error', 'hubd', 'report refused', WEATHER],
    ['warn', 'cloud', 'report refused', WEATHER],
  ]);
});

t.test('debug lines are never limited; repeats: false limits nothing', async (t) => {
  const debug = capture({ level: 'debug', repeats: { burst: 1, windowMs: 60_000 } });
  for (let i = 0; i < 50; i++) debug.log.debug('frame in', { n: i });
  t.equal(debug.entries().length, 50);

  const unlimited = capture({ repeats: false });
  for (let i = 0; i < 50; i++) unlimited.log.warn('report refused', { ieee: WEATHER });
  t.equal(unlimited.entries().length, 50);
});

t.test('a flood that stops still gets its count, from a timer, without another line', async (t) => {
  const lines: string[] = [];
  const log = createLogger({ out: { write: (line: string) => lines.push(line) }, format: 'json', repeats: { burst: 1, windowMs: 200 } });
  for (let i = 0; i < 5; i++) log.warn('link lost', { attempt: i });
  t.equal(lines.length, 1);
  const deadline = Date.now() + 30_000;
  while (lines.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  t.match(JSON.parse(lines[1] ?? '{}'), { msg: 'link lost (suppressed 4 more like it)', suppressed: 4, last: { attempt: 4 } });
});

t.test('flushRepeats writes what is owed at shutdown; the summary is redacted like any line', async (t) => {
  const { log, entries } = capture({ repeats: { burst: 1, windowMs: 60_000 } });
  const token = 'tok_5f0b8e2a9c1d4e7f';
  log.addSecret(token);
  for (let i = 0; i < 4; i++) log.error('cloud refused the token', { detail: `bearer ${token}` });
  log.flushRepeats();
  t.equal(entries().length, 2);
  t.match(entries()[1], { msg: 'cloud refused the token (suppressed 3 more like it)', suppressed: 3 });
  t.notMatch(JSON.stringify(entries()), token, 'the secret is in no line');
  log.flushRepeats();
  t.equal(entries().length, 2, 'each count is written once');
});

t.test('log.max_repeats_per_minute: 10 by default, 0 for no limit, checked', async (t) => {
  t.equal(parseConfig({}, '/c.yaml').log.maxRepeatsPerMinute, 10);
  t.equal(parseConfig({ log: { max_repeats_per_minute: 0 } }, '/c.yaml').log.maxRepeatsPerMinute, 0);
  t.throws(() => parseConfig({ log: { max_repeats_per_minute: -1 } }, '/c.yaml'), /log\.max_repeats_per_minute/);
  t.throws(() => parseConfig({ log: { max_repeats_per_minute: 'lots' } }, '/c.yaml'), /log\.max_repeats_per_minute/);
});
