// Picks what bin/zigbee-hubd.js and bin/hubctl.js run: the compiled JavaScript in dist/ (an
// install: `npm run build`, no TypeScript loader, no compile at every start) or the TypeScript
// sources through tsx (a checkout: tests, demo, development).
//
// ZIGBEE_HUBD_RUNTIME=dist|source forces one. Unset: dist/ when it was built after the last
// change to any source beside it, else the sources. An install carries no sources, so it always
// runs dist/; a checkout never runs a dist/ left over from an older build by mistake.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
// The sources that dist/ is compiled from (tsconfig.build.json's include).
const SOURCE_ROOTS = ['daemon', 'scripts/hubctl', 'scripts/hubctl.ts'];

/** Imports `relative` (e.g. 'daemon/cli') from dist/ as .js or from the sources as .ts. */
export async function importEntry(relative) {
  return (await loadEntry(relative)).exports;
}

/**
 * importEntry, also saying which was loaded: `{ exports, compiled }` (compiled: from dist/).
 * `beforeCompiled` runs just before dist/ is imported (not for the sources).
 */
export async function loadEntry(relative, beforeCompiled) {
  const compiled = `${ROOT}dist/${relative}.js`;
  const wanted = process.env.ZIGBEE_HUBD_RUNTIME;
  if (wanted !== undefined && wanted !== 'dist' && wanted !== 'source') {
    fail(`ZIGBEE_HUBD_RUNTIME must be "dist" or "source", got "${wanted}"`);
  }
  if (wanted === 'dist' || (wanted === undefined && existsSync(compiled) && !sourcesNewerThan(statSync(compiled).mtimeMs))) {
    if (!existsSync(compiled)) fail(`${compiled} is missing: run \`npm run build\` first`);
    beforeCompiled?.();
    return { exports: await import(new URL(`file://${compiled}`).href), compiled: true };
  }
  const source = `${ROOT}${relative}.ts`;
  if (!existsSync(source)) fail(`neither dist/${relative}.js nor ${relative}.ts is here: run \`npm run build\``);
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    fail('running from source needs tsx (a dev dependency); build with `npm run build` instead');
  }
  register();
  return { exports: await import(new URL(`file://${source}`).href), compiled: false };
}

function sourcesNewerThan(builtMs) {
  const newer = (file) => {
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return false;
    }
    if (stat.isDirectory()) return readdirSync(file).some((name) => newer(`${file}/${name}`));
    return file.endsWith('.ts') && stat.mtimeMs > builtMs;
  };
  return SOURCE_ROOTS.some((root) => newer(ROOT + root));
}

function fail(message) {
  process.stderr.write(`zigbee-hubd: ${message}\n`);
  // EX_SOFTWARE: the install is incomplete, not the config.
  process.exit(70);
}
