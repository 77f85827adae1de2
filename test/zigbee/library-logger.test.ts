import t from 'tap';
import { createLibraryLogger, secretRedactor } from '../../daemon/zigbee/library-logger.js';
import type { ZigbeeLogger } from '../../daemon/zigbee/types.js';

const key = [1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 13];

function recordingLogger(lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }>): ZigbeeLogger {
  const log: ZigbeeLogger = {
    debug: (msg, fields) => lines.push({ level: 'debug', msg, fields }),
    info: (msg, fields) => lines.push({ level: 'info', msg, fields }),
    warn: (msg, fields) => lines.push({ level: 'warn', msg, fields }),
    error: (msg, fields) => lines.push({ level: 'error', msg, fields }),
    child: () => log,
  };
  return log;
}

t.test('the network key never leaves in any spelling herdsman may use', async (t) => {
  const redact = secretRedactor(key);
  const hex = key.map((b) => b.toString(16).padStart(2, '0'));
  for (const spelling of [
    `networkKey: [${key.join(',')}]`,
    `key ${key.join(', ')}`,
    `PRECFGKEY ${hex.join('')}`,
    `PRECFGKEY ${hex.join('').toUpperCase()}`,
    `key ${hex.join(':')}`,
    `key ${hex.join(' ')}`,
  ]) {
    const out = redact(spelling);
    t.match(out, /<redacted>/, spelling);
    t.notMatch(out, hex.join(''));
    t.notMatch(out, key.join(','));
  }
  t.equal(redact('panID 6754, channel 11'), 'panID 6754, channel 11');
});

t.test('levels map to ours, debug is only built when forwarded', async (t) => {
  const lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = [];
  const quiet = createLibraryLogger(recordingLogger(lines), { forwardDebug: () => false, redact: (m) => m });
  let built = 0;
  quiet.debug(() => {
    built++;
    return 'expensive';
  }, 'zh:controller');
  quiet.warning('careful', 'zh:adapter');
  quiet.error('broken', 'zhc:lumi');
  quiet.info(() => 'hello', 'zh:controller');
  t.equal(built, 0);
  t.same(lines, [
    { level: 'warn', msg: 'careful', fields: { ns: 'zh:adapter' } },
    { level: 'error', msg: 'broken', fields: { ns: 'zhc:lumi' } },
    { level: 'info', msg: 'hello', fields: { ns: 'zh:controller' } },
  ]);
  const verbose = createLibraryLogger(recordingLogger(lines), { forwardDebug: () => true, redact: secretRedactor(key) });
  verbose.debug(() => `nv ${key.join(',')}`, 'zh:zstack');
  t.same(lines.at(-1), { level: 'debug', msg: 'nv <redacted>', fields: { ns: 'zh:zstack' } });
});
