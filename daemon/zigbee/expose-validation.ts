// Checks a requested value against what the definition exposes for that property (type,
// range, allowed values, settable or not) before anything is sent to the radio, so that a
// bad command fails fast with a clear message instead of as a converter's stack trace.
import type { ConverterDefinition, HerdsmanDevice } from './herdsman-types.js';
import type { ExposeRange } from './sanitizer.js';

/** The expose fields we read; the converters' Expose classes all have this shape. */
interface ExposeLike {
  type: string;
  name?: string;
  property?: string;
  /** Set on per-endpoint exposes (property "state_l2", endpoint "l2"). */
  endpoint?: string;
  access?: number;
  features?: ExposeLike[];
  value_on?: unknown;
  value_off?: unknown;
  value_toggle?: unknown;
  value_min?: number;
  value_max?: number;
  presets?: Array<{ name: string; value: unknown }>;
  values?: unknown[];
}

/** The converters' access bit for "can be set". */
const ACCESS_SET = 0b010;
/** The converters' access bit for "can be read from the device" (get). */
const ACCESS_GET = 0b100;

/** Property -> expose, for the leaves of the definition's exposes (lights are descended). */
export function exposedProperties(definition: ConverterDefinition, device: HerdsmanDevice): Map<string, ExposeLike> {
  const list = (
    typeof definition.exposes === 'function' ? definition.exposes(device, {}) : definition.exposes
  ) as unknown as ExposeLike[];
  const byProperty = new Map<string, ExposeLike>();
  const walk = (exposes: ExposeLike[]): void => {
    for (const expose of exposes) {
      if (expose.property !== undefined) byProperty.set(expose.property, expose);
      else if (expose.features) walk(expose.features);
    }
  };
  walk(list);
  return byProperty;
}

/**
 * value_min / value_max of the definition's numeric exposes, by property: what the device
 * says its readings can be. A definition whose exposes cannot be worked out gives none (the
 * sanitizer's physical rules still apply).
 */
export function exposeRanges(definition: ConverterDefinition, device: HerdsmanDevice): Map<string, ExposeRange> {
  const ranges = new Map<string, ExposeRange>();
  let exposes: Map<string, ExposeLike>;
  try {
    exposes = exposedProperties(definition, device);
  } catch {
    return ranges;
  }
  for (const [property, expose] of exposes) {
    if (expose.type !== 'numeric') continue;
    const range: ExposeRange = {};
    if (typeof expose.value_min === 'number' && Number.isFinite(expose.value_min)) range.min = expose.value_min;
    if (typeof expose.value_max === 'number' && Number.isFinite(expose.value_max)) range.max = expose.value_max;
    if (range.min !== undefined || range.max !== undefined) ranges.set(property, range);
  }
  return ranges;
}

/** An expose without an access field is not settable: only an explicit set bit counts. */
export function isSettable(expose: ExposeLike): boolean {
  return expose.access !== undefined && (expose.access & ACCESS_SET) !== 0;
}

/** Like isSettable, for reading from the device: only an explicit get bit counts. */
export function isGettable(expose: ExposeLike): boolean {
  return expose.access !== undefined && (expose.access & ACCESS_GET) !== 0;
}

/** A reason the value cannot be set, or undefined when it looks fine. */
export function valueProblem(key: string, value: unknown, expose: ExposeLike | undefined): string | undefined {
  if (value === undefined || value === null) return `${quoteKey(key)} needs a value`;
  if (!expose) return undefined; // not described: the converter judges
  if (!isSettable(expose)) return `${quoteKey(key)} is read-only`;
  switch (expose.type) {
    case 'binary': {
      const allowed = [expose.value_on, expose.value_off, expose.value_toggle].filter((v) => v !== undefined);
      return sameAsOneOf(value, allowed) ? undefined : `${quoteKey(key)} must be one of ${allowed.map(show).join(', ')}, got ${show(value)}`;
    }
    case 'numeric': {
      const presets = (expose.presets ?? []).map((p) => p.name);
      if (typeof value === 'string' && presets.includes(value)) return undefined;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        const hint = presets.length > 0 ? ` or one of ${presets.join(', ')}` : '';
        return `${quoteKey(key)} must be a number${hint}, got ${show(value)}`;
      }
      if (expose.value_min !== undefined && value < expose.value_min) return `${quoteKey(key)} ${value} is below ${expose.value_min}`;
      if (expose.value_max !== undefined && value > expose.value_max) return `${quoteKey(key)} ${value} is above ${expose.value_max}`;
      return undefined;
    }
    case 'enum':
      return sameAsOneOf(value, expose.values ?? []) ? undefined : `${quoteKey(key)} must be one of ${(expose.values ?? []).map(show).join(', ')}, got ${show(value)}`;
    case 'text':
      return typeof value === 'string' ? undefined : `${quoteKey(key)} must be text, got ${show(value)}`;
    case 'composite':
      return typeof value === 'object' && !Array.isArray(value) ? undefined : `${quoteKey(key)} must be an object, got ${show(value)}`;
    case 'list':
      return Array.isArray(value) ? undefined : `${quoteKey(key)} must be a list, got ${show(value)}`;
    default:
      return undefined;
  }
}

/** Equality that ignores the case of strings ("on" sets "ON"). */
function sameAsOneOf(value: unknown, allowed: unknown[]): boolean {
  return allowed.some((a) =>
    typeof a === 'string' && typeof value === 'string' ? a.toLowerCase() === value.toLowerCase() : a === value,
  );
}

/** Longest part of a value (or key) quoted in a message: errors travel to the cloud and the log. */
const MAX_QUOTED_CHARS = 64;

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const quoted = text.length <= MAX_QUOTED_CHARS ? text : `${text.slice(0, MAX_QUOTED_CHARS)}... (${text.length} characters)`;
  return typeof value === 'string' ? `'${quoted}'` : quoted;
}

function quoteKey(key: string): string {
  return key.length <= MAX_QUOTED_CHARS ? `'${key}'` : `'${key.slice(0, MAX_QUOTED_CHARS)}...' (a ${key.length}-character key)`;
}
