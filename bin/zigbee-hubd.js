#!/usr/bin/env node
// Entry point for `zigbee-hubd` / `npx zigbee-hubd` / `node bin/zigbee-hubd.js`: the daemon is
// TypeScript run through tsx (a runtime dependency), registered here so nothing needs building.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../daemon/cli.ts');
await runCli(process.argv.slice(2));
