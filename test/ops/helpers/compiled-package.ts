// A compiled install laid out in a temp dir as production has it: package.json, bin/, dist/ (built
// by tsc from tsconfig.build.json), proto/, sqlite-migrations/ and a node_modules without tsx,
// typescript or esbuild, and no TypeScript sources: whatever runs there runs compiled.
import { execFile } from 'node:child_process';
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
  const tsc = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', path.join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', path.join(dir, 'dist')], {
    cwd: REPO_ROOT,
    timeout: 240_000,
  });
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
