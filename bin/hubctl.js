#!/usr/bin/env node
// Entry point for `hubctl` / `npx hubctl`: the LAN API's command-line client, compiled in dist/
// when built, else scripts/hubctl.ts through tsx (bin/entry.js decides).
import { importEntry } from './entry.js';

const { runHubctl } = await importEntry('scripts/hubctl');
const interrupted = new Promise((resolve) => process.once('SIGINT', () => resolve()));
const code = await runHubctl(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(line + '\n'),
  stderr: (line) => process.stderr.write(line + '\n'),
  env: process.env,
  interrupted,
});
process.exit(code);
