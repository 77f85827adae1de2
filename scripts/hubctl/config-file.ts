// hubctl's own config: which hub, its pinned certificate and fingerprint, and the token. One
// JSON file, mode 0600, in the user's config folder ($XDG_CONFIG_HOME/zigbee-hubd/hubctl.json,
// else ~/.config/...), or wherever --config / HUBCTL_CONFIG says. It holds a secret (the token),
// so it is written atomically with 0600 and a looser file is refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../../daemon/ops/atomic-file.js';

export interface HubctlConfig {
  address: string;
  fingerprint: string;
  certificate: string;
  token: string;
  clientId: string;
  clientName: string;
}

export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
}

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env['HUBCTL_CONFIG']) return env['HUBCTL_CONFIG'];
  const base = env['XDG_CONFIG_HOME'] || path.join(os.homedir(), '.config');
  return path.join(base, 'zigbee-hubd', 'hubctl.json');
}

export function readHubctlConfig(file: string): HubctlConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ConfigFileError(`not paired with a hub yet (no ${file}): run \`hubctl pair HOST --code CODE --fingerprint FP\``);
    throw new ConfigFileError(`cannot read ${file}: ${(error as Error).message}`);
  }
  if ((fs.statSync(file).mode & 0o077) !== 0) throw new ConfigFileError(`${file} holds a token but others can read it: chmod 600 ${file}`);
  let parsed: Partial<HubctlConfig>;
  try {
    parsed = JSON.parse(text) as Partial<HubctlConfig>;
  } catch {
    throw new ConfigFileError(`${file} is not valid JSON: pair again`);
  }
  for (const key of ['address', 'fingerprint', 'certificate', 'token'] as const) {
    if (typeof parsed[key] !== 'string' || parsed[key] === '') throw new ConfigFileError(`${file} has no "${key}": pair again`);
  }
  return parsed as HubctlConfig;
}

export function writeHubctlConfig(file: string, config: HubctlConfig): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, JSON.stringify(config, null, 2) + '\n', 0o600);
}
