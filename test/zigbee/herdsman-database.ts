// Edits zigbee-herdsman's database.db (one JSON object per line) the way a device answering
// with odd types leaves it, for tests that start with such a device already paired.
import fs from 'node:fs';
import path from 'node:path';

/** Sets one field (e.g. manufName, modelId) of the device's entry; the daemon must be stopped. */
export function setHerdsmanDeviceField(herdsmanDir: string, ieee: string, field: string, value: unknown): void {
  const file = path.join(herdsmanDir, 'database.db');
  let found = false;
  const lines = fs.readFileSync(file, 'utf8').split('\n').map((line) => {
    if (line.trim() === '') return line;
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (entry.ieeeAddr !== ieee) return line;
    found = true;
    return JSON.stringify({ ...entry, [field]: value });
  });
  if (!found) throw new Error(`no device ${ieee} in ${file}`);
  fs.writeFileSync(file, lines.join('\n'));
}

/** The device's entry as herdsman saved it. */
export function herdsmanDeviceEntry(herdsmanDir: string, ieee: string): Record<string, unknown> | undefined {
  for (const line of fs.readFileSync(path.join(herdsmanDir, 'database.db'), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (entry.ieeeAddr === ieee) return entry;
  }
  return undefined;
}
