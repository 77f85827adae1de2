import util from 'node:util';
import t from 'tap';
import { createLogger, type LoggerOptions } from '../../daemon/ops/logger.js';

const NETWORK_KEY = Buffer.from('a1b2c3d4e5f60718293a4b5c6d7e8f90', 'hex');
const KEY_AS_LIST = [...NETWORK_KEY];

function capture(options: Partial<LoggerOptions> = {}) {
  const lines: string[] = [];
  const log = createLogger({ out: { write: (line: string) => lines.push(line) }, now: () => new Date('2025-01-02T03:04:05.678Z'), ...options });
  return { log, lines, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

t.test('JSON lines: one entry per line with time, level, ns, msg and fields', async (t) => {
  const { log, lines, entries } = capture({ format: 'json' });
  log.child('zigbee').child('adapter').info('device joined\nsecond line', { ieee: '0x00124b0001', nwk: 0x1234, level: 'shadowed' });
  t.equal(lines.length, 1);
  t.ok(lines[0]!.endsWith('\n'));
  t.equal(lines[0]!.trimEnd().split('\n').length, 1, 'a newline in the message stays inside the line');
  t.same(entries()[0], {
    time: '2025-01-02T03:04:05.678Z',
    level: 'info',
    ns: 'zigbee:adapter',
    msg: 'device joined\nsecond line',
    ieee: '0x00124b0001',
    nwk: 0x1234,
    _level: 'shadowed',
  });
});

t.test('auto format: JSON when not a TTY, readable when it is', async (t) => {
  const plain = capture();
  plain.log.warn('hello', { a: 1 });
  t.same(plain.entries()[0]?.msg, 'hello');

  const lines: string[] = [];
  const pretty = createLogger({ out: { write: (l: string) => lines.push(l), isTTY: true }, now: () => new Date('2025-01-02T03:04:05.678Z') });
  pretty.child('cloud').warn('link down', { target: 'c.example:443', attempt: 3, err: new Error('boom') });
  t.match(lines[0], /^03:04:05\.678 WARN {2}cloud: link down target=c\.example:443 attempt=3 err="boom"\n {4}Error: boom\n {8}at /);
});

t.test('levels filter below the configured level; setLevel changes it for every child', async (t) => {
  const { log, entries } = capture({ level: 'warn' });
  const child = log.child('store');
  child.debug('d');
  child.info('i');
  child.warn('w');
  child.error('e');
  t.same(
    entries().map((e) => e.level),
    ['warn', 'error'],
  );
  t.equal(child.isLevelEnabled('info'), false);
  log.setLevel('debug');
  child.debug('now visible');
  t.equal(entries().at(-1)?.msg, 'now visible');
  t.equal(child.isLevelEnabled('debug'), true);
});

t.test('fields named like secrets are redacted at any depth', async (t) => {
  const { log, lines, entries } = capture();
  log.info('start', {
    networkKey: [1, 2, 3],
    config: { cloud: { token: 'abc', api_key: 'k', password: 'p', client_secret: 's' }, network_key: 'x', tokenFile: '/etc/t' },
    list: [{ Authorization: 'Bearer zzz' }],
    ieee: '0x00124b0001',
  });
  t.same(entries()[0], {
    time: '2025-01-02T03:04:05.678Z',
    level: 'info',
    ns: 'hubd',
    msg: 'start',
    networkKey: '[redacted]',
    config: {
      cloud: { token: '[redacted]', api_key: '[redacted]', password: '[redacted]', client_secret: '[redacted]' },
      network_key: '[redacted]',
      tokenFile: '/etc/t',
    },
    list: [{ Authorization: '[redacted]' }],
    ieee: '0x00124b0001',
  });
  t.notMatch(lines[0], 'zzz');
});

t.test('registered secret values are redacted in msg, fields, nested objects and errors', async (t) => {
  const { log, lines } = capture({ level: 'debug' });
  const child = log.child('zigbee');
  child.addSecret(NETWORK_KEY); // registering on a child protects every logger of the tree
  log.addSecret('s3cr3t-cloud-token');

  const hex = NETWORK_KEY.toString('hex');
  const cause = new Error(`adapter said key ${hex.toUpperCase()}`);
  const error = new Error(`cannot form network with key ${JSON.stringify(KEY_AS_LIST)}`, { cause });
  Object.assign(error, { code: 'E_FORM', detail: { blob: NETWORK_KEY } });

  log.info(`key is ${hex}`);
  log.info('payload', { options: { networkKeyBytes: KEY_AS_LIST, text: `sent ${KEY_AS_LIST.join(', ')}` } });
  log.info('inspect', { dump: util.inspect({ key: KEY_AS_LIST }), buf: util.inspect(NETWORK_KEY) });
  log.info('z2m style', { text: KEY_AS_LIST.map((b) => `0x${b.toString(16)}`).join(', '), b64: NETWORK_KEY.toString('base64') });
  log.error('start failed', { err: error, header: 'Bearer s3cr3t-cloud-token' });
  child.debug('grpc metadata', { meta: new Map([['x-token-holder', 's3cr3t-cloud-token']]) });

  const all = lines.join('');
  t.notMatch(all, hex, 'no lower-case hex');
  t.notMatch(all, hex.toUpperCase(), 'no upper-case hex');
  t.notMatch(all, KEY_AS_LIST.join(','), 'no JSON byte list');
  t.notMatch(all, KEY_AS_LIST.slice(0, 6).join(', '), 'no inspected byte list (even wrapped over lines)');
  t.notMatch(all, NETWORK_KEY.toString('base64'));
  t.notMatch(all, 'a1 b2 c3 d4', 'no <Buffer a1 b2 ...>');
  t.notMatch(all, '0xa1, 0xb2');
  t.notMatch(all, 's3cr3t-cloud-token');

  const entries = lines.map((l) => JSON.parse(l) as Record<string, any>);
  t.equal(entries[0]!.msg, 'key is [redacted]');
  const err = entries[4]!.err;
  t.equal(err.message, 'cannot form network with key [[redacted]]');
  t.match(err.stack, /^Error: cannot form network with key \[\[redacted\]\]\n\s+at /, 'the stack is kept, redacted');
  t.equal(err.code, 'E_FORM', 'error extras are kept');
  t.equal(err.detail.blob, '[redacted]', 'a Buffer holding the key is redacted');
  t.equal(err.cause.message, 'adapter said key [redacted]', 'causes are walked too');
  t.equal(entries[4]!.header, 'Bearer [redacted]');
  t.equal(entries[1]!.options.networkKeyBytes, '[redacted]', 'an array of byte values holding the key');
  t.same(entries[5]!.meta, { 'x-token-holder': '[redacted]' });
});

t.test('values that are not plain JSON are logged safely', async (t) => {
  const { log, entries } = capture();
  const loop: Record<string, unknown> = { name: 'loop' };
  loop.self = loop;
  const shared = { n: 1 };
  log.info('odd values', { loop, pair: [shared, shared], big: 2n ** 70n, when: new Date(0), set: new Set([1]) });
  t.same(entries()[0], {
    time: '2025-01-02T03:04:05.678Z',
    level: 'info',
    ns: 'hubd',
    msg: 'odd values',
    loop: { name: 'loop', self: '[circular]' },
    pair: [{ n: 1 }, { n: 1 }],
    big: '1180591620717411303424',
    when: '1970-01-01T00:00:00.000Z',
    set: [1],
  });
});

t.test('journald priority prefix when asked for', async (t) => {
  const { log, lines } = capture({ syslogPriorityPrefix: true, level: 'debug' });
  log.error('e');
  log.warn('w');
  log.info('i');
  log.debug('d');
  t.same(
    lines.map((l) => l.slice(0, 3)),
    ['<3>', '<4>', '<6>', '<7>'],
  );
  t.same(JSON.parse(lines[0]!.slice(3)).msg, 'e');
});
