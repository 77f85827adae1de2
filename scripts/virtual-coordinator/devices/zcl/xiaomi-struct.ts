// Xiaomi/Aqara's "0xFF01" struct: a genBasic attribute of type char string whose bytes are a
// sequence of (tag u8, ZCL data type u8, value) entries. Tags seen on real devices:
// 0x01 battery mV (uint16), 0x03 device temperature °C (int8), 0x04/0x05/0x06/0x0A counters
// and link data, 0x64 first sensor value (on/off, temperature, contact), 0x65 humidity,
// 0x66 pressure (Pa, int32), 0x95 energy (single), 0x96 voltage (single, 0.1 V),
// 0x97 current, 0x98 power (single, W).

import { ByteReader, ByteWriter } from './byte-reader.js';
import { ZclDecodeError } from './errors.js';
import { readValue, writeValue, type ZclData } from './values.js';

export interface XiaomiStructEntry {
  tag: number;
  type: number;
  value: ZclData;
}

/** The bytes that go inside the char string (without the string's own length byte). */
export function encodeXiaomiStruct(entries: XiaomiStructEntry[]): Buffer {
  const writer = new ByteWriter();
  for (const entry of entries) {
    writer.u8(entry.tag).u8(entry.type);
    writeValue(writer, entry.type, entry.value);
  }
  return writer.toBuffer();
}

/** Accepts the char string value as decoded by our codec (Buffer, or string if it was valid UTF-8). */
export function decodeXiaomiStruct(content: Buffer | string): XiaomiStructEntry[] {
  const reader = new ByteReader(typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
  const entries: XiaomiStructEntry[] = [];
  while (reader.hasMore()) {
    const tag = reader.u8('xiaomi tag');
    const type = reader.u8('xiaomi data type');
    try {
      entries.push({ tag, type, value: readValue(reader, type) });
    } catch (error) {
      if (error instanceof ZclDecodeError) throw new ZclDecodeError(`xiaomi tag 0x${tag.toString(16)}: ${error.message}`, reader.offset);
      throw error;
    }
  }
  return entries;
}
