// `zigbee-hubd --print-config`: the effective config (file, defaults and ZIGBEE_HUBD_*
// overrides) as YAML in the file's own key names, so it can be pasted back into a file. Values of
// keys that name secrets are masked (none of today's keys hold one: identities live in files).

import { stringify } from 'yaml';
import type { HubConfig } from './config-schema.js';
import { isSensitiveKey, REDACTED } from './redaction.js';

export function printableConfig(config: HubConfig): string {
  const { source, ...settings } = config;
  const from = source.startsWith('/') ? source : 'no file';
  return `# effective config: ${from}, defaults and ZIGBEE_HUBD_* overrides\n${stringify(toFileKeys(settings))}`;
}

function toFileKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner === undefined) continue;
    const fileKey = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    out[fileKey] = isSensitiveKey(fileKey) && typeof inner !== 'object' ? REDACTED : toFileKeys(inner);
  }
  return out;
}
