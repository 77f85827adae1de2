// Attribute values as a simulated device holds them (scripts/virtual-coordinator definition
// format, JSON-safe): well-typed values at the edges of their type, and the odd ones real
// devices send: numbers where strings belong, long strings, non-UTF-8 bytes, NaN (ZCL
// non-values, which herdsman decodes as NaN), arrays and structs.
import fc from 'fast-check';
import type { AttributeDefinition } from '../../virtual-coordinator/devices/definition.js';
import { DataType as T, signedSize, unsignedSize } from '../../virtual-coordinator/devices/zcl/data-types.js';

const INT_RANGES: Record<number, [number, number]> = {
  [T.uint8]: [0, 0xff], [T.uint16]: [0, 0xffff], [T.uint24]: [0, 0xffffff], [T.uint32]: [0, 0xffffffff],
  [T.int8]: [-0x80, 0x7f], [T.int16]: [-0x8000, 0x7fff], [T.int24]: [-0x800000, 0x7fffff], [T.int32]: [-0x80000000, 0x7fffffff],
  [T.enum8]: [0, 0xff], [T.enum16]: [0, 0xffff], [T.bitmap8]: [0, 0xff], [T.bitmap16]: [0, 0xffff],
};

/** An integer of this ZCL type, biased to its ends (where the "invalid" sentinels live). */
export function integerOf(type: number): fc.Arbitrary<number> {
  const [min, max] = INT_RANGES[type] ?? [0, 0xff];
  return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max, 0, min + 1, max - 1));
}

/** Float32 values that survive JSON (no NaN or infinities), huge and negative ones included. */
const float32 = fc.oneof(
  fc.float({ noNaN: true, noDefaultInfinity: true, min: Math.fround(-3.4e38), max: Math.fround(3.4e38) }),
  fc.constantFrom(1e30, -5000, 0, -0, 3.4e38, 1e-30),
);

/**
 * A ZCL frame travels in one MT AF_INCOMING_MSG (250 bytes of data, with a 17-byte header); a
 * device cannot send a longer attribute in one frame, so longer strings would only test the
 * virtual coordinator's frame limit, not the hub.
 */
const MAX_TEXT_BYTES = 100;

const text = (maxLength: number) => fc.string({ unit: 'grapheme', maxLength }).map((s) => truncateUtf8(s, maxLength));

function truncateUtf8(s: string, maxBytes: number): string {
  let out = '';
  for (const ch of s) {
    if (Buffer.byteLength(out + ch) > maxBytes) break;
    out += ch;
  }
  return out;
}

/** A value of the attribute's proper type (anything, for types without a generator here). */
export function wellTyped(type: number): fc.Arbitrary<AttributeDefinition> {
  if (type === T.charStr) return text(40).map((value) => ({ type, value }));
  if (type === T.bool) return fc.boolean().map((value) => ({ type, value }));
  if (type === T.singleFloat || type === T.doubleFloat || type === T.semiFloat) return float32.map((value) => ({ type, value }));
  if (type === T.ieeeAddr) return fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((n) => ({ type, value: `0x${n.toString(16).padStart(16, '0')}` }));
  if (unsignedSize(type) !== undefined || signedSize(type) !== undefined) return integerOf(type).map((value) => ({ type, value }));
  return oddValue;
}

/** Anything at all, whatever type the attribute should have. */
export const oddValue: fc.Arbitrary<AttributeDefinition> = fc.oneof(
  integerOf(T.uint16).map((value) => ({ type: T.uint16, value })),
  integerOf(T.uint8).map((value) => ({ type: T.uint8, value })),
  integerOf(T.int32).map((value) => ({ type: T.int32, value })),
  fc.constantFrom({ type: T.uint16, value: 0xffff }, { type: T.int16, value: -0x8000 }, { type: T.uint8, value: 0xff }), // NaN in herdsman
  float32.map((value) => ({ type: T.singleFloat, value })),
  fc.boolean().map((value) => ({ type: T.bool, value })),
  text(MAX_TEXT_BYTES).map((value) => ({ type: T.charStr, value })),
  fc.string({ unit: 'binary-ascii', minLength: 40, maxLength: MAX_TEXT_BYTES }).map((value) => ({ type: T.longCharStr, value })),
  fc.uint8Array({ minLength: 1, maxLength: 60 }).map((bytes) => ({ type: T.charStr, value: nonUtf8(bytes) })),
  fc.uint8Array({ maxLength: 32 }).map((bytes) => ({ type: T.octetStr, value: [...bytes] })),
  fc.array(fc.integer({ min: 0, max: 0xff }), { maxLength: 20 }).map((elements) => ({ type: T.array, value: { elementType: T.uint8, elements } as never })),
  fc
    .array(fc.oneof(integerOf(T.uint16).map((value) => ({ type: T.uint16, value })), text(20).map((value) => ({ type: T.charStr, value }))), { maxLength: 8 })
    .map((members) => ({ type: T.struct, value: { members } as never })),
);

/** Bytes that are not valid UTF-8 (a lone continuation byte or 0xff somewhere). */
function nonUtf8(bytes: Uint8Array): number[] {
  const out = [...bytes];
  out[Math.floor(out.length / 2)] = 0xff;
  return out.slice(0, 0xfe);
}

/** Mostly the right type, sometimes anything. */
export function attributeValue(type: number): fc.Arbitrary<AttributeDefinition> {
  return fc.oneof({ arbitrary: wellTyped(type), weight: 3 }, { arbitrary: oddValue, weight: 1 });
}
