// Loading the daemon's config file (YAML; JSON is valid YAML) with environment overrides
// (config-env.ts). Every problem found is reported at once, each naming the file and the key
// path ("config /etc/zigbee-hubd/config.yaml: serial.path: expected a string, got 42"), so a
// bad config fails at start instead of at 3 a.m. Format: CONFIG.md.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigSection, type ConfigProblem } from './config-reader.js';
import { applyEnvOverrides } from './config-env.js';
import { readHubConfig, type HubConfig } from './config-schema.js';
import { parseConfigText } from './config-text.js';

export type { HubConfig, AdapterName, LogFormat } from './config-schema.js';
export type { ConfigProblem } from './config-reader.js';

export class ConfigError extends Error {
  constructor(
    /** The config file (or other source) the problems are in. */
    readonly source: string,
    readonly problems: ConfigProblem[],
    /**
     * The config as far as it could be read (defaults where values were refused), so later
     * checks (the identity files) can still name their problems in the same run.
     */
    readonly partial?: HubConfig,
  ) {
    super(problems.map((p) => `config ${source}: ${p.path === '' ? '' : `${p.path}: `}${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

export interface ParseOptions {
  /** For the default gateway id; os.hostname() when omitted. */
  hostname?: string;
  /** ZIGBEE_HUBD_* overrides are read from here (the daemon passes process.env); none when omitted. */
  env?: NodeJS.ProcessEnv;
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
  const { merged, setBy } = applyEnvOverrides(obj, options.env ?? {});
  const top = new ConfigSection(merged, '', problems);
  const config = readHubConfig(top, {
    baseDir: isFile ? path.dirname(path.resolve(source)) : process.cwd(),
    hostname: options.hostname ?? os.hostname(),
    source: isFile ? path.resolve(source) : source,
  });
  if (problems.length > 0) throw new ConfigError(source, problems.map((p) => nameTheVariable(p, setBy)), config);
  return config;
}

/** A problem with a value an environment variable set says which variable. */
function nameTheVariable(problem: ConfigProblem, setBy: Map<string, string>): ConfigProblem {
  const unknown = /^unknown key "([^"]+)"/.exec(problem.message)?.[1];
  const keyPath = unknown === undefined ? problem.path : problem.path === '' ? unknown : `${problem.path}.${unknown}`;
  // An unknown section ("serail") was set by a variable for a key inside it (SERAIL__PATH).
  const variable = setBy.get(keyPath) ?? [...setBy].find(([setPath]) => setPath.startsWith(`${keyPath}.`))?.[1];
  return variable === undefined ? problem : { ...problem, message: `${problem.message} (set by ${variable})` };
}

/** Reads, parses and validates a config file. Throws ConfigError with a message fit for stderr. */
export function loadConfig(file: string, options: ParseOptions = {}): HubConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [{ path: '', message: `cannot read the file: ${describeReadError(error)}` }]);
  }
  const parsed = parseConfigText(text);
  if ('problem' in parsed) throw new ConfigError(file, [{ path: '', message: parsed.problem }]);
  return parseConfig(parsed.value, file, options);
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory, not a file';
  return error instanceof Error ? error.message : String(error);
}
