// Per-device options are checked against the definition's `options` (what its converters
// read: temperature_calibration, temperature_precision, transition, invert_cover, ...) before
// they are stored, so a typo or an out-of-range value is refused with a reason instead of
// being silently ignored by every converter afterwards.
import { ZigbeeError } from './errors.js';
import { valueProblem } from './expose-validation.js';
import type { ConverterDefinition } from './herdsman-types.js';

/** The expose fields of an option we read (the converters' Expose classes have this shape). */
interface OptionLike {
  type: string;
  name?: string;
  property?: string;
  access?: number;
}

const ACCESS_SET = 0b010;
/** Options go to every converter call: keep them few and small. */
const MAX_OPTIONS = 64;

/** The definition's options by name. */
export function optionsOf(definition: ConverterDefinition): Map<string, OptionLike> {
  const list = (definition.options ?? []) as unknown as OptionLike[];
  const byName = new Map<string, OptionLike>();
  for (const option of list) {
    const name = option.property ?? option.name;
    if (name !== undefined) byName.set(name, option);
  }
  return byName;
}

/**
 * Throws ZigbeeError (unsupported_key for an option the definition does not know,
 * invalid_value for a value that does not fit) for the first problem; null removes an option
 * and is always fine.
 */
export function checkOptions(definition: ConverterDefinition, changes: Record<string, unknown>): void {
  const known = optionsOf(definition);
  if (Object.keys(changes).length > MAX_OPTIONS) throw new ZigbeeError('invalid_value', `more than ${MAX_OPTIONS} options`);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) continue;
    const option = known.get(key);
    if (!option) {
      const names = [...known.keys()].sort().join(', ') || 'none';
      throw new ZigbeeError('unsupported_key', `${definition.model} has no option '${key}' (options: ${names})`);
    }
    // Options are all settable; their exposes do not always say so.
    const problem = valueProblem(key, value, { ...option, access: ACCESS_SET });
    if (problem) throw new ZigbeeError('invalid_value', `${definition.model}: option ${problem}`);
  }
}
