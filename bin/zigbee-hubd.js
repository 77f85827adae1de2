#!/usr/bin/env node
// Entry point for `zigbee-hubd` / `npx zigbee-hubd` / `node bin/zigbee-hubd.js`: the compiled
// daemon in dist/ when built, else the TypeScript sources through tsx (bin/entry.js decides).
import module from 'node:module';
import { loadEntry } from './entry.js';

// The first line of our code that runs: the start timeline (ready line, start_ms) counts from here.
const enteredAt = performance.now();
const { exports, compiled } = await loadEntry('daemon/cli');
// The V8 compile cache is for the compiled build only; tsx compiles the sources its own way.
await exports.runCli(process.argv.slice(2), { enteredAt, ...(compiled ? { compileCache: module } : {}) });
