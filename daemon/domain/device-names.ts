// What a device's IEEE address, name and room look like as the device table stores them. The
// store enforces these rules and the cloud command decoder checks them up front, so both use
// this module and cannot drift apart.
import type { Ieee } from './events.js';

const IEEE_PATTERN = /^0x[0-9a-f]{16}$/;
/** Longest name or room, after trimming. */
export const MAX_LABEL_LENGTH = 128;
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** True for an address in the stored form: "0x" + 16 lower-case hex digits. */
export function isIeee(value: string): boolean {
  return IEEE_PATTERN.test(value);
}

/** The stored form of an address given in any case, or undefined when it is not one. */
export function normalizeIeee(value: string | undefined): Ieee | undefined {
  const lower = (value ?? '').toLowerCase();
  return isIeee(lower) ? lower : undefined;
}

/**
 * What is wrong with a name or room, or undefined when it is usable: 1-128 printable
 * characters after trimming (the stored value is the trimmed one).
 */
export function labelProblem(label: string | undefined): string | undefined {
  const clean = typeof label === 'string' ? label.trim() : '';
  if (clean === '') return 'must not be empty';
  if (clean.length > MAX_LABEL_LENGTH) return `is longer than ${MAX_LABEL_LENGTH} characters`;
  if (CONTROL_CHARACTER.test(clean)) return 'contains control characters';
  return undefined;
}
