// Where the daemon's memory at ready goes, part by part: a fresh Node process imports the
// daemon's heavy dependencies one after another, in the order the daemon loads them, and
// prints what each adds to RSS and to the V8 heap (after a full GC). Run it with the flags the
// compiled daemon runs with:
//   node --expose-gc scripts/bench/import-memory.mjs [--json]
// Plain JavaScript on purpose: a TypeScript loader (tsx, esbuild) would be counted in 'node itself'.
// A part's figure is what it adds on top of those before it (shared code is counted once).
const gc = globalThis.gc;
if (!gc) throw new Error('run with node --expose-gc');

const MiB = 2 ** 20;
function sample() {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
}

/** [part, how to load it], in the order the daemon loads them. */
const parts = [
  ['better-sqlite3', () => import('better-sqlite3')],
  ['@grpc/grpc-js', () => import('@grpc/grpc-js')],
  ['protobufjs + @grpc/proto-loader', () => Promise.all([import('protobufjs'), import('@grpc/proto-loader')])],
  ['prom-client', () => import('prom-client')],
  ['yaml', () => import('yaml')],
  ['bonjour-service', () => import('bonjour-service')],
  ['zigbee-herdsman', () => import('zigbee-herdsman')],
  ['zigbee-herdsman-converters (index only)', () => import('zigbee-herdsman-converters')],
  ['converters: lumi definitions (one vendor, on demand)', () => import('zigbee-herdsman-converters/devices/lumi')],
  ['converters: every vendor (what on-demand loading avoids)', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('zigbee-herdsman-converters/devices/lumi'));
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.js'))) require(path.join(dir, file));
  }],
];

const rows = [];
let before = sample();
rows.push({ part: 'node itself', rssMiB: before.rss / MiB, heapUsedMiB: before.heapUsed / MiB, externalMiB: before.external / MiB });
for (const [part, load] of parts) {
  await load();
  const after = sample();
  rows.push({ part, rssMiB: (after.rss - before.rss) / MiB, heapUsedMiB: (after.heapUsed - before.heapUsed) / MiB, externalMiB: (after.external - before.external) / MiB });
  before = after;
}
const round = (x) => Math.round(x * 10) / 10;
const out = rows.map((r) => ({ part: r.part, rssMiB: round(r.rssMiB), heapUsedMiB: round(r.heapUsedMiB), externalMiB: round(r.externalMiB) }));
if (process.argv.includes('--json')) console.log(JSON.stringify({ bench: 'import-memory', rows: out }));
else console.table(out);
