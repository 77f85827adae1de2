// Devices answer text attributes (Basic cluster manufacturerName, modelId, dateCode, ...) with
// whatever ZCL type their firmware picked: a uint16, a struct, an array, bytes that are not
// UTF-8, a NaN, a 250-character string. This turns any of them into the text we store and
// show, or undefined when nothing sensible is left; and it repairs herdsman's own device
// object, which trusts those attributes to be strings.
import type { HerdsmanDevice } from './herdsman-types.js';

/** Longest text kept (a ZCL character string holds up to 254 bytes; names are far shorter). */
export const MAX_TEXT_LENGTH = 64;

/** Printable text for a value a device sent where text belongs; undefined when there is none. */
export function textOf(value: unknown): string | undefined {
  let text: string | undefined;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : undefined;
  else if (typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  else if (value instanceof Uint8Array) text = bytesText(value);
  if (text === undefined) return undefined; // arrays, structs, null: no text in them
  // Control characters (a trailing NUL is common), and U+FFFD left by bytes that were not UTF-8.
   
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '').trim();
  if (clean.length === 0) return undefined;
  return clean.length > MAX_TEXT_LENGTH ? clean.slice(0, MAX_TEXT_LENGTH) : clean;
}

function bytesText(bytes: Uint8Array): string {
  const printable = bytes.every((b) => b >= 0x20 && b < 0x7f);
  return printable ? Buffer.from(bytes).toString('latin1') : `0x${Buffer.from(bytes).toString('hex')}`;
}

/** herdsman Device properties backed by Basic cluster text attributes. */
const HERDSMAN_TEXT_FIELDS = ['manufacturerName', 'modelID', 'dateCode', 'softwareBuildID'] as const;

/**
 * Replaces a non-string Basic text attribute on herdsman's Device by its text (or removes it),
 * and returns the names of the fields it changed.
 *
 * Why: herdsman 10.9.x copies Basic cluster values into the device without checking their
 * type (at interview, and `Controller.onZclOrRawData` -> `Device.updateGenBasic` for every
 * genBasic report or read response), saves them to its database, and then calls string
 * methods on them: `Device.onZclData` runs `this.manufacturerName?.startsWith("_TZ")` for every
 * ZCL frame of the device, outside any try/catch, so a uint16 manufacturerName rejects the
 * frame's promise (an unhandled rejection: the process used to stop, and at every restart
 * again, since herdsman keeps the device); the interview quirks call `modelID.match()`, and
 * the converters' `findByDevice` calls `zigbeeModel.toLowerCase()`. This must run before
 * herdsman touches the device: synchronously in the 'message' and 'deviceInterview' listeners
 * (herdsman emits both before its own handling continues) and for every device loaded from
 * its database at start. Strings are left as they are: converters match on them verbatim.
 */
export function repairHerdsmanTextFields(device: HerdsmanDevice): string[] {
  const fields = device as unknown as Record<(typeof HERDSMAN_TEXT_FIELDS)[number], unknown>;
  const changed: string[] = [];
  for (const field of HERDSMAN_TEXT_FIELDS) {
    const value = fields[field];
    if (value === undefined || typeof value === 'string') continue;
    fields[field] = textOf(value);
    changed.push(field);
  }
  return changed;
}
