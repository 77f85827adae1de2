#!/usr/bin/env node
// Entry point for `zigbee-hubd` / `npx zigbee-hubd` / `node bin/zigbee-hubd.js`: the compiled
// daemon in dist/ when built, else the TypeScript sources through tsx (bin/entry.js decides).
import module from 'node:module';
import { loadEntry } from './entry.js';

// The first line of our code that runs: the start timeline (ready line, start_ms) counts from here.
const enteredAt = performance.now();
const { exports, compiled } = await loadEntry('daemon/cli', () => {
  // Under systemd (CacheDirectory=) the compile cache's dir is known before the config is read:
  // enabled here, it also covers the CLI's own modules. Otherwise the CLI enables it in the data
  // dir once the config is read, and reports the status either way (daemon/ops/compile-cache.ts).
  const dir = process.env.CACHE_DIRECTORY?.split(':')[0];
  if (!dir || typeof module.enableCompileCache !== 'function') return;
  try {
    module.enableCompileCache(dir);
  } catch {
    // Reported by the CLI, which tries again.
  }
});
// The V8 compile cache is for the compiled build only; tsx compiles the sources its own way.
await exports.runCli(process.argv.slice(2), { enteredAt, ...(compiled ? { compileCache: module } : {}) });
