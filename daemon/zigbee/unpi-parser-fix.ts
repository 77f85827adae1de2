// A workaround for zigbee-herdsman's Z-Stack UNPI parser (adapter/z-stack/unpi/parser.js, 10.9.5
// and upstream master as of this writing). Before every frame it parses it builds the debug line
// "--- parseNext [254,3,68,...]" of everything still buffered, whatever the log level; a read of
// n frames therefore costs O(n^2). A 64 KiB read (a TCP-attached stick, or a burst after the
// event loop was busy) holds ~2,000 reports and took ~680 µs per frame: `npm run bench` capped
// at ~1,400 reports/s with 72% of the daemon's CPU in parseNext, and one such read blocks the
// event loop for over a second. The replacement parses exactly as the original does (skip to
// SOF, take the frame its length byte announces, drop it whole if the checksum fails), walking
// the buffer once, and builds debug lines only when herdsman's logger prints them.
// It also reports what it drops (the original only writes a debug line): a 'dropped' event on the
// parser, { kind: 'bad_checksum' | 'noise', bytes }, which serial-drops.ts counts and logs.
// Installed only over the implementation it was written against; drop it once upstream is fixed.
import parserModule from 'zigbee-herdsman/dist/adapter/z-stack/unpi/parser.js';
import frameModule from 'zigbee-herdsman/dist/adapter/z-stack/unpi/frame.js';
import loggerModule from 'zigbee-herdsman/dist/utils/logger.js';

const NS = 'zh:zstack:unpi:parser';
const SOF = 0xfe;
const DATA_START = 4;
const MIN_MESSAGE_LENGTH = 5;

/** What the parser dropped: a frame whose checksum failed, or bytes outside any frame. */
export interface DroppedSerialInput {
  kind: 'bad_checksum' | 'noise';
  bytes: number;
}

/** What the original keeps private and the replacement needs. */
interface ParserInternals {
  buffer: Buffer;
  emit(event: 'parsed', frame: unknown): boolean;
  emit(event: 'dropped', dropped: DroppedSerialInput): boolean;
}

function transform(this: ParserInternals, chunk: Buffer, _encoding: string, cb: () => void): void {
  // herdsman reassigns its module-level logger (setLogger): read it at call time.
  loggerModule.logger.debug(() => `<-- [${[...chunk]}]`, NS);
  this.buffer = Buffer.concat([this.buffer, chunk]); // a copy, as the original: frames are views into it
  parseAll.call(this);
  cb();
}

function parseAll(this: ParserInternals): void {
  const buffer = this.buffer;
  let pos = 0;
  for (;;) {
    if (pos < buffer.length && buffer[pos] !== SOF) {
      // Like the original: skip to the next SOF; without one, keep the bytes and wait.
      const sof = buffer.indexOf(SOF, pos);
      if (sof !== -1) {
        this.emit('dropped', { kind: 'noise', bytes: sof - pos });
        pos = sof;
      }
    }
    if (buffer.length - pos < MIN_MESSAGE_LENGTH || buffer[pos] !== SOF) break;
    const dataLength = buffer[pos + 1]!;
    const fcsPosition = DATA_START + dataLength;
    const frameLength = fcsPosition + 1;
    if (buffer.length - pos < frameLength) break;
    try {
      const frame = frameModule.Frame.fromBuffer(dataLength, fcsPosition, buffer.subarray(pos, pos + frameLength));
      loggerModule.logger.debug(() => `--> parsed ${frame}`, NS);
      this.emit('parsed', frame);
    } catch (error) {
      loggerModule.logger.debug(() => `--> error ${error}`, NS);
      this.emit('dropped', { kind: 'bad_checksum', bytes: frameLength });
    }
    pos += frameLength;
  }
  this.buffer = pos === 0 ? buffer : buffer.subarray(pos);
}

/** The eager debug line this fix exists for; if herdsman's parser no longer has it, leave it be. */
function isKnownQuadraticParser(prototype: object): boolean {
  const parseNext = (prototype as { parseNext?: unknown }).parseNext;
  return typeof parseNext === 'function' && parseNext.toString().includes('--- parseNext [${[...this.buffer]}]');
}

/**
 * Replaces the parser's methods on its prototype (one herdsman per process, like its logger).
 * Idempotent. Returns whether the replacement is in place.
 */
export function installUnpiParserFix(): boolean {
  const prototype = parserModule.Parser.prototype as unknown as Record<string, unknown>;
  if (prototype._transform === transform) return true;
  if (!isKnownQuadraticParser(prototype)) return false;
  prototype._transform = transform;
  prototype.parseNext = parseAll;
  return true;
}
