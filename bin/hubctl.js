#!/usr/bin/env node
// Entry point for `hubctl` / `npx hubctl`: the LAN API's command-line client (scripts/hubctl.ts),
// TypeScript run through tsx like the daemon.
import { register } from 'tsx/esm/api';

register();
const { runHubctl } = await import('../scripts/hubctl.ts');
const interrupted = new Promise((resolve) => process.once('SIGINT', () => resolve()));
const code = await runHubctl(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(line + '\n'),
  stderr: (line) => process.stderr.write(line + '\n'),
  env: process.env,
  interrupted,
});
process.exit(code);
