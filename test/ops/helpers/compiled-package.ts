// A compiled install laid out in a temp dir as production has it: package.json, bin/, dist/ (built
// by tsc from tsconfig.build.json), proto/, sqlite-migrations/ and a node_modules without tsx,
// typescript or esbuild, and no TypeScript sources: whatever runs there runs compiled.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The TypeScript loader and compiler: absent from the compiled package. */
export const BUILD_ONLY_PACKAGES = ['tsx', 'typescript', 'esbuild', '@esbuild'];

export async function buildCompiledPackage(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-compiled-'));
  fs.cpSync(await compiledDist(), path.join(dir, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(dir, 'package.json'));
  fs.cpSync(path.join(REPO_ROOT, 'bin'), path.join(dir, 'bin'), { recursive: true });
  for (const shared of ['proto', 'sqlite-migrations']) fs.symlinkSync(path.join(REPO_ROOT, shared), path.join(dir, shared));
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(modules);
  const repoModules = fs.realpathSync(path.join(REPO_ROOT, 'node_modules'));
  for (const name of fs.readdirSync(repoModules)) {
    if (BUILD_ONLY_PACKAGES.includes(name) || name.startsWith('.')) continue;
    fs.symlinkSync(path.join(repoModules, name), path.join(modules, name));
  }
  return dir;
}

// What `npm run build` compiles (tsconfig.build.json's include) and what decides its output.
const BUILD_INPUTS = ['daemon', 'scripts/hubctl', 'scripts/hubctl.ts', 'tsconfig.json', 'tsconfig.build.json', 'node_modules/typescript/package.json'];

/**
 * dist/ as `npm run build` makes it. tsc takes 20-40 s here and several test files need the
 * same output, so it is compiled once into the temp dir under a hash of its inputs: any change
 * to them compiles anew, so a copy never runs stale code.
 */
async function compiledDist(): Promise<string> {
  const cached = path.join(os.tmpdir(), `zigbee-hubd-test-dist-${buildInputsHash()}`);
  if (fs.existsSync(cached)) return cached;
  const staging = fs.mkdtempSync(`${cached}.tmp-`);
  const tsc = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', path.join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', staging], {
      cwd: REPO_ROOT,
      timeout: 240_000,
    });
    fs.renameSync(staging, cached);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    // Another test process compiled the same inputs first: its copy is as good.
    if (!fs.existsSync(cached)) throw error;
  }
  return cached;
}

function buildInputsHash(): string {
  const hash = createHash('sha256');
  const add = (file: string): void => {
    if (fs.statSync(file).isDirectory()) {
      for (const name of fs.readdirSync(file).sort()) add(path.join(file, name));
    } else if (/\.(ts|json)$/.test(file)) {
      hash.update(path.relative(REPO_ROOT, file));
      hash.update(fs.readFileSync(file));
    }
  };
  for (const input of BUILD_INPUTS) add(path.join(REPO_ROOT, input));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The config a packaged daemon runs with in these tests: data in `./data` of its run dir, the
 * virtual coordinator on `port`, JSON logs at info; cloud link and LAN off unless `over` says.
 */
export function packagedDaemonConfig(port: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    data_dir: './data',
    serial: { path: `tcp://127.0.0.1:${port}`, adapter: 'zstack' },
    cloud: { enabled: false },
    lan: { enabled: false },
    log: { level: 'info', format: 'json' },
    ...over,
  };
}
