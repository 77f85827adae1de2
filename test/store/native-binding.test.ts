// The Node 24.19-24.21 better-sqlite3 abort guard (daemon/store/native-binding-check.ts): it
// refuses exactly the affected Node versions with a build made against 24.19+ headers, and
// nothing else. NODE24_BETTER_SQLITE3 names such a build where one exists (scripts/ci/node24.sh
// makes one); without it, a copy of this machine's build carrying the destructor's call stands in.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { betterSqliteBinding, nativeBindingProblem } from '../../daemon/store/native-binding-check.js';
import { openStore } from '../../daemon/store/open-store.js';

const AFFECTED = ['24.19.0', 'v24.20.0', '24.21.0', '24.21.9'];
const UNAFFECTED = ['20.19.0', '22.23.2', '24.18.1', '24.22.0', '24.22.3', '26.0.0'];

function node24HeadersBuild(t: Test): string {
  const given = process.env.NODE24_BETTER_SQLITE3;
  if (given) return given;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-binding-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'better_sqlite3.node');
  fs.writeFileSync(file, Buffer.concat([fs.readFileSync(betterSqliteBinding()!), Buffer.from('_ZN4node28RemoveEnvironmentCleanupHookEPN2v87IsolateEPFvPvES3_\0')]));
  return file;
}

t.test('the build this process runs is accepted on this Node, and the store opens', async (t) => {
  const binding = betterSqliteBinding();
  t.ok(binding && fs.existsSync(binding), `found ${binding}`);
  t.equal(nativeBindingProblem(process.versions.node, binding), undefined);
  if (!fs.readFileSync(binding!).includes('RemoveEnvironmentCleanupHook')) {
    // Built against headers older than 24.19 (Node 20 or 22 here): safe on every Node.
    for (const version of [...AFFECTED, ...UNAFFECTED]) t.equal(nativeBindingProblem(version, binding), undefined, `${version}: built against older headers`);
  }
  const dir = t.testdir({});
  const store = openStore({ path: path.join(dir, 'hub.db'), log: { debug() {}, info() {}, warn() {}, error() {} } });
  await store.close();
});

t.test('a build against Node 24.19+ headers: refused on 24.19-24.21 naming the fix, accepted elsewhere', async (t) => {
  const binding = node24HeadersBuild(t);
  for (const version of AFFECTED) {
    const problem = nativeBindingProblem(version, binding);
    t.match(problem, `Node v${version.replace(/^v/, '')} aborts the process when the garbage collector frees a database statement`, version);
    t.match(problem, 'Upgrade Node to 24.22 or later');
    t.match(problem, binding, 'names the build');
  }
  for (const version of UNAFFECTED) t.equal(nativeBindingProblem(version, binding), undefined, version);
  t.equal(nativeBindingProblem('24.21.0', path.join(path.dirname(binding), 'missing.node')), undefined, 'no build to look at: not refused');
});
