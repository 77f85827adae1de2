// Where the compile cache lives and how an unusable one is reported, without a process: the
// node:module functions are passed in (test/ops/compile-cache.test.ts runs the real ones).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { compileCacheDir, enableCompileCache } from '../../daemon/ops/compile-cache.js';

const CODES = { FAILED: 0, ENABLED: 1, ALREADY_ENABLED: 2, DISABLED: 3 };

t.test('systemd CacheDirectory= (its first entry) wins over <data_dir>/cache', async (t) => {
  t.equal(compileCacheDir({}, '/var/lib/zigbee-hubd'), '/var/lib/zigbee-hubd/cache');
  t.equal(compileCacheDir({ CACHE_DIRECTORY: '/var/cache/zigbee-hubd' }, '/data'), '/var/cache/zigbee-hubd');
  t.equal(compileCacheDir({ CACHE_DIRECTORY: '/var/cache/a:/var/cache/b' }, '/data'), '/var/cache/a');
  t.equal(compileCacheDir({ CACHE_DIRECTORY: '' }, '/data'), '/data/cache');
});

t.test('every outcome is a status with a reason, never an exception', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-cc-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const cache = path.join(dir, 'cache');
  t.match(enableCompileCache({}, cache), { status: 'unsupported', reason: /no compile cache/ }, 'Node 20: no API');
  t.same(enableCompileCache({ enableCompileCache: (d) => ({ status: 1, directory: d }), constants: { compileCacheStatus: CODES } }, cache), { dir: cache, status: 'enabled' });
  t.ok(fs.statSync(cache).isDirectory(), 'the dir is created');
  t.same(enableCompileCache({ enableCompileCache: () => ({ status: 2 }), constants: { compileCacheStatus: CODES } }, cache), { dir: cache, status: 'already_enabled' });
  t.same(enableCompileCache({ enableCompileCache: () => ({ status: 3 }), constants: { compileCacheStatus: CODES } }, cache), { dir: cache, status: 'disabled', reason: 'NODE_DISABLE_COMPILE_CACHE is set' });
  t.same(enableCompileCache({ enableCompileCache: () => ({ status: 0, message: 'Cannot create cache directory' }), constants: { compileCacheStatus: CODES } }, cache), { dir: cache, status: 'failed', reason: 'Cannot create cache directory' });
  const thrower = { enableCompileCache: () => { throw new Error('boom'); }, constants: { compileCacheStatus: CODES } };
  t.same(enableCompileCache(thrower, cache), { dir: cache, status: 'failed', reason: 'boom' });
  fs.writeFileSync(path.join(dir, 'file'), '');
  t.match(enableCompileCache({ enableCompileCache: (d) => ({ status: 1, directory: d }) }, path.join(dir, 'file', 'cache')), { status: 'failed', reason: /ENOTDIR/ }, 'a dir that cannot be created');
});
