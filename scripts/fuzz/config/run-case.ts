// Runs `zigbee-hubd --config FILE --check-config` on one generated config: it must exit 0 or
// 78, a 78 must name a key, and an identity file known to be unusable must be a 78 naming it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { blankNumbers } from '../daemon-log.js';
import type { ConfigCase, FileContent, FileKey } from './cases.js';
import { havePems, writeIdentityFile } from './identity-files.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const EXIT_CONFIG = 78;
const CHECK_TIMEOUT_MS = 60_000;

/** Set by the runner: where config refusals are counted. */
export type RefusalCounter = (reason: string) => void;

export async function runConfigCase(input: ConfigCase, countRefusal: RefusalCounter): Promise<() => string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-config-'));
  try {
    const config = baseConfig(input, dir);
    for (const [key, value] of input.mutations) setPath(config, key.split('.'), value);
    let text = JSON.stringify(config, null, 2);
    if (input.truncate !== undefined) text = text.slice(0, Math.floor(text.length * input.truncate));
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, text);
    const { code, signal, stderr } = await checkConfig(file);
    const problems: string[] = [];
    if (code !== 0 && code !== EXIT_CONFIG) problems.push(`--check-config exited with code ${code} (signal ${signal}), expected 0 or 78:\n${stderr.slice(0, 1500)}`);
    if (code === EXIT_CONFIG) {
      countRefusal(`config: ${blankNumbers(firstProblem(stderr)).slice(0, 120)}`);
      if (!namesAKey(stderr, input)) problems.push(`--check-config refused the config without naming a key:\n${stderr.slice(0, 1500)}`);
    }
    const bad = input.mutations.length === 0 && input.truncate === undefined ? unusableFile(input) : undefined;
    if (bad && code !== EXIT_CONFIG) problems.push(`cloud.${bad.key} holding ${bad.content} was accepted by --check-config (exit ${code}), expected 78 naming cloud.${bad.key}`);
    else if (bad && !bad.names.some((key) => stderr.includes(key))) {
      problems.push(`cloud.${bad.key} holding ${bad.content} was refused without naming cloud.${bad.key}:\n${stderr.slice(0, 800)}`);
    }
    return () => problems;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function baseConfig(input: ConfigCase, dir: string): Record<string, unknown> {
  const files = Object.fromEntries(Object.entries(input.files).map(([key, content]) => [key, writeIdentityFile(dir, key, content)]));
  const cloud =
    input.base === 'insecure'
      ? { target: '127.0.0.1:50051', insecure: true, gateway_id: 'fuzz-gw' }
      : { target: 'hub.example.com:443', gateway_id: 'fuzz-gw', ...files };
  return { data_dir: path.join(dir, 'data'), serial: { path: 'tcp://127.0.0.1:6638' }, cloud, log: { level: 'info', format: 'json' } };
}

/** Sets a nested key, as an own property even for "__proto__". */
function setPath(target: Record<string, unknown>, keys: string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
    if (typeof next !== 'object' || next === null || Array.isArray(next)) Object.defineProperty(node, key, { value: {}, enumerable: true, writable: true, configurable: true });
    node = node[key] as Record<string, unknown>;
  }
  Object.defineProperty(node, keys[keys.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
}

/** The identity file (if any) that no daemon can use, when nothing else in the config is wrong. */
function unusableFile(input: ConfigCase): { key: FileKey; content: FileContent; names: string[] } | undefined {
  const files = input.files;
  const pems = havePems();
  const tokenBad: FileContent[] = ['token-with-line-break', 'token-with-control-byte', 'whitespace', 'empty', 'missing', 'garbage-pem', 'cert', 'key', 'other-key', 'ca', 'directory'];
  if (files.token_file && tokenBad.includes(files.token_file)) return { key: 'token_file', content: files.token_file, names: ['cloud.token_file'] };
  if (!pems) return undefined;
  if (files.ca_file && !['ca', 'cert'].includes(files.ca_file)) return { key: 'ca_file', content: files.ca_file, names: ['cloud.ca_file'] };
  // A certificate and key that do not belong together may be named on either side of the pair.
  const pair = ['cloud.cert_file', 'cloud.key_file'];
  if (files.cert_file && files.cert_file !== 'cert') return { key: 'cert_file', content: files.cert_file, names: pair };
  if (files.key_file && files.key_file !== 'key') return { key: 'key_file', content: files.key_file, names: pair };
  return undefined;
}

/** A problem line in the documented form: `config FILE: key.path: message` (or an unknown key, bad JSON, an empty file). */
function namesAKey(stderr: string, input: ConfigCase): boolean {
  if (input.mutations.some(([key]) => key.includes('.') && stderr.includes(key))) return true;
  return stderr.split('\n').some((line) => /^config .*?: (unknown key|not valid JSON|not valid YAML at line \d+, column \d+|the file |[A-Za-z_][\w.]*: )/.test(line));
}

function firstProblem(stderr: string): string {
  const line = stderr.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.replace(/^config [^:]*: /, '');
}

function checkConfig(file: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/zigbee-hubd.js'), '--config', file, '--check-config'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHECK_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}
