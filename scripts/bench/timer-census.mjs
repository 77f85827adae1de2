// Diagnostic preload for idle-cpu.ts --census: which timers fire in the daemon, how often, and
// the JavaScript time their callbacks take, by the place that created them (first stack frame
// outside this file and node's own timers). A SIGUSR2 starts a new window; the next SIGUSR2
// writes the window's counts as JSON to $TIMER_CENSUS_OUT. Only for measuring: it wraps the
// global timer functions, which costs a stack capture per timer created.
//   node --import ./scripts/bench/timer-census.mjs bin/zigbee-hubd.js ...
import fs from 'node:fs';

const sites = new Map();
let windowStart = performance.now();
let open = false;

function siteOf() {
  const stack = new Error().stack?.split('\n').slice(2) ?? [];
  const frame = stack.find((line) => !line.includes('timer-census.mjs') && !line.includes('node:internal/timers') && !line.includes('(node:timers'));
  return (frame ?? '(unknown)').trim().replace(/^at /, '').replace(/file:\/\/.*?\/(dist|node_modules)\//, '$1/');
}

function wrap(kind, original) {
  return function (callback, ...rest) {
    if (typeof callback !== 'function') return original.call(this, callback, ...rest);
    const site = `${kind} ${siteOf()}`;
    const timed = function (...args) {
      const started = performance.now();
      try {
        return callback.apply(this, args);
      } finally {
        if (open) {
          const entry = sites.get(site) ?? { fires: 0, ms: 0 };
          entry.fires++;
          entry.ms += performance.now() - started;
          sites.set(site, entry);
        }
      }
    };
    return original.call(this, timed, ...rest);
  };
}

globalThis.setTimeout = wrap('setTimeout', globalThis.setTimeout);
globalThis.setInterval = wrap('setInterval', globalThis.setInterval);
globalThis.setImmediate = wrap('setImmediate', globalThis.setImmediate);

process.on('SIGUSR2', () => {
  if (!open) {
    sites.clear();
    windowStart = performance.now();
    open = true;
    return;
  }
  open = false;
  const seconds = (performance.now() - windowStart) / 1000;
  const rows = [...sites].map(([site, { fires, ms }]) => ({ site, firesPerSec: fires / seconds, msPerSec: ms / seconds })).sort((a, b) => b.firesPerSec - a.firesPerSec);
  fs.writeFileSync(process.env.TIMER_CENSUS_OUT ?? '/dev/stderr', JSON.stringify({ seconds, rows }, null, 1));
});
