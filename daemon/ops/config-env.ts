// Environment overrides for every config key: ZIGBEE_HUBD_<KEY> for a top-level key and
// ZIGBEE_HUBD_<SECTION>__<KEY> inside a section (double underscore between levels, single
// underscore inside a key): ZIGBEE_HUBD_SERIAL__PATH=/dev/ttyACM0, ZIGBEE_HUBD_DATA_DIR=/srv/hub.
// A value is read as a YAML scalar, so `25`, `true` and `/dev/x` become a number, a boolean and
// a string as they would in the file. The merged result is validated like the file itself, so a
// misspelt variable is an unknown key with a "did you mean" hint, naming the variable.

import { parse as parseYaml } from 'yaml';

export const ENV_PREFIX = 'ZIGBEE_HUBD_';
/** Variables with the prefix that are not config keys (bin/entry.js reads it). */
const NOT_CONFIG = new Set(['ZIGBEE_HUBD_RUNTIME']);

export interface EnvOverrides {
  /** The file's object with every override applied (a fresh object; the input is untouched). */
  merged: unknown;
  /** Dotted key path -> the variable that set it. */
  setBy: Map<string, string>;
}

export function applyEnvOverrides(fileValue: unknown, env: NodeJS.ProcessEnv): EnvOverrides {
  const setBy = new Map<string, string>();
  const assignments = Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX) && !NOT_CONFIG.has(name))
    .sort();
  if (assignments.length === 0) return { merged: fileValue, setBy };
  // A file that is not an object is reported by the schema as it is; overrides cannot help.
  if (fileValue !== undefined && fileValue !== null && (typeof fileValue !== 'object' || Array.isArray(fileValue))) {
    return { merged: fileValue, setBy };
  }
  const merged = structuredClone((fileValue ?? {}) as Record<string, unknown>);
  for (const name of assignments) {
    const keys = name.slice(ENV_PREFIX.length).toLowerCase().split('__');
    let target: Record<string, unknown> = merged;
    for (const key of keys.slice(0, -1)) {
      const next = target[key];
      // A section the file set to a non-object keeps its value: the schema reports it.
      if (next !== undefined && (typeof next !== 'object' || next === null || Array.isArray(next))) break;
      target = (target[key] ??= {}) as Record<string, unknown>;
    }
    target[keys.at(-1)!] = readScalar(env[name] ?? '');
    setBy.set(keys.join('.'), name);
  }
  return { merged, setBy };
}

function readScalar(text: string): unknown {
  try {
    const value = parseYaml(text) as unknown;
    // Only scalars: `{a: 1}` or `[1]` in a variable is far more likely a string meant as is.
    return value !== null && typeof value === 'object' ? text : (value ?? text);
  } catch {
    return text;
  }
}
