// Many known devices without pairing each: the herdsman database entry of one device paired for
// real is copied under new ids and addresses, so the next start knows `count` devices (the
// daemon imports the copies into its store at that start). Used by the start-to-ready benches.
import fs from 'node:fs';

export function cloneHerdsmanDevice(databaseFile: string, ieee: string, count: number): void {
  const entries = fs.readFileSync(databaseFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  const real = entries.find((e) => e.ieeeAddr === ieee);
  if (!real) throw new Error(`${ieee} is not in ${databaseFile}`);
  let id = Math.max(...entries.map((e) => Number(e.id)));
  for (let i = 1; i < count; i++) {
    entries.push({ ...real, id: ++id, ieeeAddr: `0x00124b00be${i.toString(16).padStart(6, '0')}`, nwkAddr: 0x1000 + i });
  }
  fs.writeFileSync(databaseFile, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
}
