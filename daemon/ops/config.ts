// Loading the daemon's JSON config file. Every problem found is reported at once, each naming
// the file and the key path ("config /etc/zigbee-hubd/config.json: serial.path: expected a
// string, got 42"), so a bad config fails at start instead of at 3 a.m. Format: CONFIG.md.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigSection, type ConfigProblem } from './config-reader.js';
import { readHubConfig, type HubConfig } from './config-schema.js';
import { describeJsonSyntaxError, findJsonSyntaxError } from './json-syntax-error.js';

export type { HubConfig, AdapterName, LogFormat } from './config-schema.js';
export type { ConfigProblem } from './config-reader.js';

export class ConfigError extends Error {
  constructor(
    /** The config file (or other source) the problems are in. */
    readonly source: string,
    readonly problems: ConfigProblem[],
  ) {
    super(problems.map((p) => `config ${source}: ${p.path === '' ? '' : `${p.path}: `}${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

export interface ParseOptions {
  /** For the default gateway id; os.hostname() when omitted. */
  hostname?: string;
}

const DEFAULTS_SOURCE = '(defaults)';

/** All defaults, as if an empty `{}` file had been given. Relative paths are against the cwd. */
export function defaultConfig(options: ParseOptions = {}): HubConfig {
  return parseConfig({}, DEFAULTS_SOURCE, options);
}

/**
 * Validates an already parsed JSON value. `source` is the config file's path: relative paths
 * in the config are resolved against its folder (against the cwd when it is not a file path).
 */
export function parseConfig(obj: unknown, source: string, options: ParseOptions = {}): HubConfig {
  const problems: ConfigProblem[] = [];
  const isFile = source !== DEFAULTS_SOURCE;
  const top = new ConfigSection(obj, '', problems);
  const config = readHubConfig(top, {
    baseDir: isFile ? path.dirname(path.resolve(source)) : process.cwd(),
    hostname: options.hostname ?? os.hostname(),
    source: isFile ? path.resolve(source) : source,
  });
  if (problems.length > 0) throw new ConfigError(source, problems);
  return config;
}

/** Reads, parses and validates a config file. Throws ConfigError with a message fit for stderr. */
export function loadConfig(file: string, options: ParseOptions = {}): HubConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [{ path: '', message: `cannot read the file: ${describeReadError(error)}` }]);
  }
  return parseConfig(parseJsonText(text, file), file, options);
}

function parseJsonText(raw: string, file: string): unknown {
  // Editors on other systems like to prepend a byte-order mark; JSON.parse rejects it.
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.trim() === '') {
    throw new ConfigError(file, [{ path: '', message: 'the file is empty (an empty object {} means "all defaults")' }]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const where = findJsonSyntaxError(text);
    const message = where === undefined ? 'not valid JSON' : `not valid JSON at ${describeJsonSyntaxError(where)}`;
    throw new ConfigError(file, [{ path: '', message }]);
  }
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory, not a file';
  return error instanceof Error ? error.message : String(error);
}
