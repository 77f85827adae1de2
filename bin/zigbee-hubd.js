#!/usr/bin/env node
// Entry point for `zigbee-hubd` / `npx zigbee-hubd` / `node bin/zigbee-hubd.js`: the compiled
// daemon in dist/ when built, else the TypeScript sources through tsx (bin/entry.js decides).
import { importEntry } from './entry.js';

const { runCli } = await importEntry('daemon/cli');
await runCli(process.argv.slice(2));
