// Bridges the logger interface of zigbee-herdsman and zigbee-herdsman-converters (both take
// `(messageOrLambda, namespace)` and a `warning` level) into our structured ZigbeeLogger.
// Both libraries hold their logger in a module-level variable, so this is set once per
// process; the last ZigbeeNetwork started wins (there is one network per daemon).
import type { ZigbeeLogger } from './types.js';

export interface LibraryLogger {
  debug: (messageOrLambda: string | (() => string), namespace: string) => void;
  info: (messageOrLambda: string | (() => string), namespace: string) => void;
  warning: (messageOrLambda: string | (() => string), namespace: string) => void;
  error: (messageOrLambda: string | (() => string), namespace: string) => void;
}

export interface LibraryLoggerOptions {
  /** Herdsman's debug output is large (every frame); build it only when this says so. */
  forwardDebug: () => boolean;
  /** Rewrites a message before it leaves, e.g. to remove the network key. */
  redact: (message: string) => string;
}

export function createLibraryLogger(log: ZigbeeLogger, options: LibraryLoggerOptions): LibraryLogger {
  const text = (m: string | (() => string)): string => options.redact(typeof m === 'function' ? m() : m);
  return {
    debug: (m, ns) => {
      if (options.forwardDebug()) log.debug(text(m), { ns });
    },
    info: (m, ns) => log.info(text(m), { ns }),
    warning: (m, ns) => log.warn(text(m), { ns }),
    error: (m, ns) => log.error(text(m), { ns }),
  };
}

/**
 * Builds a function that replaces every spelling of the secret bytes we can expect in a
 * library log line (JSON array, comma list, hex with or without separators) by a marker.
 */
export function secretRedactor(secret: readonly number[]): (message: string) => string {
  if (secret.length === 0) return (m) => m;
  const hex = secret.map((b) => b.toString(16).padStart(2, '0'));
  const spellings = new Set<string>([
    secret.join(','),
    secret.join(', '),
    hex.join(''),
    hex.join(':'),
    hex.join(' '),
  ]);
  const patterns = [...spellings].map((s) => new RegExp(escapeRegExp(s), 'gi'));
  return (message) => {
    let out = message;
    for (const pattern of patterns) out = out.replace(pattern, '<redacted>');
    return out;
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
