// V8's compile cache (node:module enableCompileCache, Node >= 22.1): the JavaScript compiled at
// one start is kept on disk, so the next start skips compiling the daemon and its dependencies
// (compiling was a fifth of a start's CPU, docs/BENCHMARKS.md). Only for the compiled build
// (bin/zigbee-hubd.js decides); Node 20 has no such cache and runs as before. A cache that
// cannot be used never stops a start: the daemon runs uncached and says so in one line.
import fs from 'node:fs';
import path from 'node:path';

/** The part of node:module used here; the functions are absent on Node 20. */
export interface CompileCacheApi {
  enableCompileCache?: (dir: string) => { status: number; message?: string; directory?: string };
  flushCompileCache?: () => void;
  constants?: { compileCacheStatus?: Record<string, number> };
}

export type CompileCacheStatus = 'enabled' | 'already_enabled' | 'failed' | 'disabled' | 'unsupported';

export interface CompileCacheResult {
  dir: string;
  status: CompileCacheStatus;
  /** Why it is not in use (failed, disabled, unsupported). */
  reason?: string;
}

/**
 * systemd's CacheDirectory= (the unit's /var/cache/zigbee-hubd) when set, else `cache/` in the
 * data dir: the one place the daemon already owns and may write (the OS's default, /tmp, is
 * private and emptied per service run under PrivateTmp=yes, and a system user has no home).
 */
export function compileCacheDir(env: NodeJS.ProcessEnv, dataDir: string): string {
  // Several CacheDirectory= entries arrive colon-separated: ours is the first.
  const fromSystemd = env.CACHE_DIRECTORY?.split(':')[0];
  return fromSystemd ? fromSystemd : path.join(dataDir, 'cache');
}

export function enableCompileCache(api: CompileCacheApi, dir: string): CompileCacheResult {
  if (typeof api.enableCompileCache !== 'function') return { dir, status: 'unsupported', reason: `node ${process.version} has no compile cache (22.1 or later has)` };
  try {
    // Owner-only like the rest of the data dir; the cache holds nothing secret but code.
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const result = api.enableCompileCache(dir);
    const codes = api.constants?.compileCacheStatus ?? {};
    const name = Object.keys(codes).find((key) => codes[key] === result.status)?.toLowerCase() ?? `status ${result.status}`;
    // Node names its versioned subfolder; a cache enabled earlier elsewhere is named as such.
    const inUse = result.directory === undefined || result.directory.startsWith(dir) ? dir : result.directory;
    if (name === 'enabled' || name === 'already_enabled') return { dir: inUse, status: name };
    if (name === 'disabled') return { dir, status: 'disabled', reason: result.message ?? 'NODE_DISABLE_COMPILE_CACHE is set' };
    return { dir, status: 'failed', reason: result.message ?? name };
  } catch (error) {
    return { dir, status: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Writes what was compiled so far now (Node writes it only at a clean exit otherwise). */
export function flushCompileCache(api: CompileCacheApi): void {
  try {
    api.flushCompileCache?.();
  } catch {
    // A cache that cannot be written costs the next start its speed, nothing else.
  }
}
