// The replacement for herdsman's Z-Stack UNPI parser must parse exactly like the original (same
// frames, same handling of stray bytes, bad checksums and split reads), only in linear time and
// without building debug text nobody prints.
import t from 'tap';
import { setLogger } from 'zigbee-herdsman';
import parserModule from 'zigbee-herdsman/dist/adapter/z-stack/unpi/parser.js';
import { installUnpiParserFix } from '../../daemon/zigbee/unpi-parser-fix.js';

const { Parser } = parserModule;
const quiet = () => undefined;
setLogger({ debug: quiet, info: quiet, warning: quiet, error: quiet }); // herdsman's default prints every debug line
type ParserInstance = InstanceType<typeof Parser>;

// The original methods, kept before the fix replaces them, on a subclass that shadows the fix.
const original = { _transform: Parser.prototype._transform, parseNext: (Parser.prototype as unknown as { parseNext: unknown }).parseNext };
class OriginalParser extends Parser {}
Object.assign(OriginalParser.prototype, original);

function frame(type: number, subsystem: number, command: number, data: number[]): Buffer {
  const body = [data.length, (type << 5) | subsystem, command, ...data];
  return Buffer.from([0xfe, ...body, body.reduce((fcs, b) => fcs ^ b, 0)]);
}

/** Feeds the chunks through a parser and lists what it emitted, in order. */
async function parse(parser: ParserInstance, chunks: Buffer[]): Promise<string[]> {
  const out: string[] = [];
  parser.on('parsed', (f: { type: number; subsystem: number; commandID: number; data: Buffer; fcs: number }) =>
    out.push(`${f.type}/${f.subsystem}/${f.commandID}/${f.data.toString('hex')}/${f.fcs}`),
  );
  for (const chunk of chunks) await new Promise<void>((resolve) => parser.write(chunk, () => resolve()));
  return out;
}

/** Splits bytes at pseudo-random points (deterministic). */
function split(bytes: Buffer, seed: number): Buffer[] {
  const chunks: Buffer[] = [];
  let x = seed;
  for (let pos = 0; pos < bytes.length; ) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const size = 1 + (x % 40);
    chunks.push(bytes.subarray(pos, pos + size));
    pos += size;
  }
  return chunks;
}

t.test('installs over the parser it was written for, once', async (t) => {
  t.equal(installUnpiParserFix(), true);
  t.equal(installUnpiParserFix(), true, 'idempotent');
  t.not(Parser.prototype._transform, original._transform, 'replaced');
});

t.test('parses like the original: whole reads, split reads, stray bytes, bad checksums, a short tail', async (t) => {
  installUnpiParserFix();
  const badFcs = frame(2, 4, 0x81, [1, 2, 3]);
  badFcs[badFcs.length - 1]! ^= 0xff;
  const stream = Buffer.concat([
    frame(3, 1, 0x02, [0x00]),
    Buffer.from([0x00, 0x13, 0x37]), // bytes outside a frame
    frame(2, 4, 0x81, Array.from({ length: 25 }, (_, i) => i)),
    badFcs,
    frame(2, 5, 0xc1, []),
    Buffer.from([0xef]), // the bootloader byte
    ...Array.from({ length: 50 }, (_, i) => frame(2, 4, 0x81, [i, i + 1, 0xfe, i])),
    frame(3, 4, 0x01, [0x00]).subarray(0, 4), // incomplete: waits for more
  ]);
  const expected = await parse(new OriginalParser(), [stream]);
  t.equal(expected.length, 53, 'the original finds every good frame');
  t.same(await parse(new Parser(), [stream]), expected, 'one read');
  for (const seed of [1, 7, 42, 1234]) t.same(await parse(new Parser(), split(stream, seed)), expected, `split reads (seed ${seed})`);
  t.same(await parse(new Parser(), [...stream].map((b) => Buffer.from([b]))), expected, 'byte by byte');
});

t.test('builds no debug text unless the logger prints it', async (t) => {
  installUnpiParserFix();
  const debugArgs: string[] = [];
  setLogger({ debug: (m: unknown) => void debugArgs.push(typeof m), info: quiet, warning: quiet, error: quiet });
  const bad = frame(2, 4, 0x81, [9]);
  bad[bad.length - 1]! ^= 1;
  await parse(new Parser(), [Buffer.concat([frame(2, 4, 0x81, [1]), bad])]);
  t.ok(debugArgs.length > 0, 'debug lines are offered');
  t.same([...new Set(debugArgs)], ['function'], 'always as lambdas, never as built strings');
});
