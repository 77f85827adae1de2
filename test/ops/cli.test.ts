// The real process shell (bin/zigbee-hubd.js -> daemon/cli.ts) up to the point where it
// would start the daemon: arguments, config errors and exit codes.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const bin = path.join(repoRoot, 'bin', 'zigbee-hubd.js');

function runHubd(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: repoRoot }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

function configFile(t: Test, body: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubd-cli-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, body);
  return file;
}

t.test('a bad config exits 78 (EX_CONFIG) with the file and every offending key on stderr', async (t) => {
  const file = configFile(t, JSON.stringify({ serial: { path: 42 }, zigbee: { channel: 30 }, serail: {} }));
  const { code, stdout, stderr } = await runHubd(['--config', file]);
  t.equal(code, 78);
  t.equal(stdout, '', 'nothing started, nothing logged');
  t.same(stderr.trim().split('\n'), [
    `config ${file}: serial.path: expected a string, got 42`,
    `config ${file}: zigbee.channel: must be between 11 and 26, got 30`,
    `config ${file}: unknown key "serail" (did you mean "serial"?)`,
  ]);
});

t.test('a missing or malformed config file exits 78 naming the file', async (t) => {
  const missing = await runHubd(['-c', '/nonexistent/zigbee-hubd.json']);
  t.equal(missing.code, 78);
  t.match(missing.stderr, 'config /nonexistent/zigbee-hubd.json: cannot read the file: no such file');

  const file = configFile(t, '{"log": {"level": "debug"');
  const malformed = await runHubd(['-c', file]);
  t.equal(malformed.code, 78);
  t.match(malformed.stderr, `config ${file}: not valid YAML at line 1, column 26: Flow map`);
});

t.test('--check-config validates without starting', async (t) => {
  const file = configFile(t, '{"zigbee": {"channel": 20}}');
  const { code, stdout } = await runHubd(['--config', file, '--check-config']);
  t.equal(code, 0);
  t.equal(stdout, `config OK: ${file}\n`);
});

t.test('--help, --version and a bad option', async (t) => {
  const help = await runHubd(['--help']);
  t.equal(help.code, 0);
  t.match(help.stdout, 'Usage: zigbee-hubd [--config FILE]');

  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const version = await runHubd(['--version']);
  t.equal(version.code, 0);
  t.equal(version.stdout, `zigbee-hubd ${pkg.version}\n`);

  const bad = await runHubd(['--confg', 'x.json']);
  t.equal(bad.code, 64, 'EX_USAGE');
  t.match(bad.stderr, "Unknown option '--confg'");
  t.match(bad.stderr, 'Usage:');
});
