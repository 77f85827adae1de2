// Node 24.19.0 to 24.21.x abort the whole process (SIGABRT in node::RemoveEnvironmentCleanupHook,
// "Assertion failed: (env) != nullptr", no JavaScript error) when V8 frees a better-sqlite3
// Statement or Database from a GC that runs outside JavaScript, e.g. while the loop is idle. That
// happens only with a better-sqlite3 built against Node 24.19+ headers: their node::ObjectWrap
// removes a cleanup hook in its destructor, which those Node versions cannot do without a
// current context. Node 24.22.0 fixed it (nodejs/node#63985); better-sqlite3 13 no longer uses
// ObjectWrap. Reproduced here: 20,000 dropped statements then 15 s idle abort on 24.21.0 and
// run clean on 24.22.3, with the same build.
//
// For a hub that restarts into the same abort, refusing to start with the reason beats a crash
// loop with none: the build is recognised by the destructor's call in the binary.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const FIRST_AFFECTED = [24, 19, 0];
const FIXED_IN = [24, 22, 0];
const OBJECT_WRAP_DESTRUCTOR_CALL = 'RemoveEnvironmentCleanupHook';

/** Why this Node and this better-sqlite3 build must not run together, or undefined. */
export function nativeBindingProblem(nodeVersion: string, bindingFile: string | undefined): string | undefined {
  const version = nodeVersion.replace(/^v/, '').split('.').map(Number);
  if (compare(version, FIRST_AFFECTED) < 0 || compare(version, FIXED_IN) >= 0) return undefined;
  if (bindingFile === undefined || !fs.existsSync(bindingFile)) return undefined; // cannot tell: let it run
  if (!fs.readFileSync(bindingFile).includes(OBJECT_WRAP_DESTRUCTOR_CALL)) return undefined;
  return (
    `Node v${version.join('.')} aborts the process when the garbage collector frees a database statement of this ` +
    `better-sqlite3 build (${bindingFile}, built against Node 24.19+ headers): Node fixed this in 24.22.0. ` +
    'Upgrade Node to 24.22 or later, or rebuild better-sqlite3 against Node 24.18.1 headers ' +
    '(npm_config_nodedir=<node-v24.18.1 folder> npm rebuild better-sqlite3)'
  );
}

/** The better-sqlite3 native module this process loads (its default location). */
export function betterSqliteBinding(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
    return path.join(path.dirname(pkg), 'build', 'Release', 'better_sqlite3.node');
  } catch {
    return undefined;
  }
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
