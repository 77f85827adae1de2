import t from 'tap';
import { encodeFrame, MtType, Subsystem, UnpiParser, type MtFrame } from '../../scripts/virtual-coordinator/transport/unpi.js';

const ping: MtFrame = { type: MtType.SREQ, subsystem: Subsystem.SYS, command: 0x01, data: Buffer.alloc(0) };
const version: MtFrame = {
  type: MtType.SRSP,
  subsystem: Subsystem.SYS,
  command: 0x02,
  data: Buffer.from([0x02, 0x01, 0x02, 0x07, 0x01, 0x3e, 0x98, 0x34, 0x01]),
};

t.test('encodes the known SYS ping frame byte for byte', async (t) => {
  // FE 00 21 01 20 is the ping every ZNP host sends.
  t.same([...encodeFrame(ping)], [0xfe, 0x00, 0x21, 0x01, 0x20]);
});

t.test('round trips frames of every size up to 250 data bytes', async (t) => {
  const parser = new UnpiParser();
  for (const size of [0, 1, 17, 249, 250]) {
    const frame: MtFrame = { type: MtType.AREQ, subsystem: Subsystem.AF, command: 0x81, data: Buffer.alloc(size, size & 0xff) };
    const [parsed, ...rest] = parser.push(encodeFrame(frame));
    t.same(rest, []);
    t.same(parsed, frame, `size ${size}`);
  }
  t.throws(() => encodeFrame({ ...ping, data: Buffer.alloc(251) }), RangeError);
});

t.test('parses several frames from one chunk', async (t) => {
  const parser = new UnpiParser();
  const frames = parser.push(Buffer.concat([encodeFrame(ping), encodeFrame(version), encodeFrame(ping)]));
  t.same(frames, [ping, version, ping]);
  t.equal(parser.stats.frames, 3);
});

t.test('reassembles a frame split into single bytes', async (t) => {
  const parser = new UnpiParser();
  const bytes = encodeFrame(version);
  const got: MtFrame[] = [];
  for (const byte of bytes) got.push(...parser.push(Buffer.from([byte])));
  t.same(got, [version]);
});

t.test('waits for a truncated frame and completes it with the next chunk', async (t) => {
  const parser = new UnpiParser();
  const bytes = encodeFrame(version);
  t.same(parser.push(bytes.subarray(0, 6)), []);
  t.same(parser.push(Buffer.concat([bytes.subarray(6), encodeFrame(ping).subarray(0, 2)])), [version]);
  t.same(parser.push(encodeFrame(ping).subarray(2)), [ping]);
});

t.test('skips garbage and the 0xEF bootloader byte between frames', async (t) => {
  const parser = new UnpiParser();
  const stream = Buffer.concat([Buffer.from([0xef, 0x00, 0x13]), encodeFrame(ping), Buffer.from([0xaa, 0xef]), encodeFrame(version)]);
  t.same(parser.push(stream), [ping, version]);
  t.equal(parser.stats.skippedBytes, 5);
});

t.test('drops a frame with a bad FCS, counts it, and keeps parsing', async (t) => {
  const parser = new UnpiParser();
  const bad = encodeFrame(version);
  bad[bad.length - 1] ^= 0xff;
  t.same(parser.push(Buffer.concat([bad, encodeFrame(ping)])), [ping]);
  t.equal(parser.stats.badFcs, 1);
});

t.test('a stray 0xFE with an impossible length does not swallow the next frame', async (t) => {
  const parser = new UnpiParser();
  t.same(parser.push(Buffer.concat([Buffer.from([0xfe, 0xff]), encodeFrame(ping)])), [ping]);
});
