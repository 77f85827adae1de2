// The cloud link's identity files (CA, client certificate and key, token), read once at start
// so that a missing, unreadable or empty file is a configuration error naming its key (exit 78,
// no restart loop), not a crash in the middle of starting the radio.
import fs from 'node:fs';
import { ConfigError, type HubConfig } from './config.js';

export interface CloudIdentity {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** A secret: register it with the logger before anything can print it. */
  token?: string;
  insecureLoopback: boolean;
}

/** Reads the files the config names; throws ConfigError listing every problem. */
export function readCloudIdentity(config: HubConfig): CloudIdentity {
  const problems: Array<{ path: string; message: string }> = [];
  const read = (key: string, file: string | undefined): Buffer | undefined => {
    if (file === undefined) return undefined;
    try {
      const content = fs.readFileSync(file);
      if (content.length === 0) problems.push({ path: `cloud.${key}`, message: `${file} is empty` });
      return content;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      problems.push({ path: `cloud.${key}`, message: `cannot read ${file} (${code})` });
      return undefined;
    }
  };
  const { cloud } = config;
  const ca = read('ca_file', cloud.caFile);
  const cert = read('cert_file', cloud.certFile);
  const key = read('key_file', cloud.keyFile);
  const tokenBytes = read('token_file', cloud.tokenFile);
  const token = tokenBytes?.toString('utf8').trim();
  if (tokenBytes && tokenBytes.length > 0 && !token) problems.push({ path: 'cloud.token_file', message: `${cloud.tokenFile} holds only whitespace` });
  if (problems.length > 0) throw new ConfigError(config.source, problems);
  return {
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(token ? { token } : {}),
    insecureLoopback: cloud.insecure,
  };
}
