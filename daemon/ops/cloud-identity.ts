// The cloud link's identity files (CA, client certificate and key, token), read and checked
// once with the config (also by --check-config) so that a missing, unreadable, empty or
// malformed file, or a key that is not the certificate's, is a configuration error naming its
// key (exit 78, no restart loop), not a crash in the middle of starting the radio.
import fs from 'node:fs';
import { ConfigError, type HubConfig } from './config.js';
import { caProblem, certificateOf, keyMatchProblem, privateKeyOf, tokenProblem } from './identity-checks.js';

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
  const problem = (path: string, message: string | undefined) => {
    if (message !== undefined) problems.push({ path, message });
  };
  if (token) problem('cloud.token_file', tokenProblem(token, cloud.tokenFile!));
  if (ca && ca.length > 0) problem('cloud.ca_file', caProblem(ca, cloud.caFile!));
  const parsedCert = cert && cert.length > 0 ? certificateOf(cert, cloud.certFile!) : undefined;
  const parsedKey = key && key.length > 0 ? privateKeyOf(key, cloud.keyFile!) : undefined;
  problem('cloud.cert_file', parsedCert?.problem);
  problem('cloud.key_file', parsedKey?.problem);
  if (parsedCert?.cert && parsedKey?.key) problem('cloud.key_file', keyMatchProblem(parsedCert.cert, parsedKey.key, cloud.certFile!, cloud.keyFile!));
  if (problems.length > 0) throw new ConfigError(config.source, problems);
  return {
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(token ? { token } : {}),
    insecureLoopback: cloud.insecure,
  };
}

/**
 * A config refused for other reasons still has its identity files checked, so one run names
 * every problem (a token put in ca_file and no token_file: both), not one per edit.
 */
export function withIdentityProblems(error: ConfigError): ConfigError {
  if (!error.partial) return error;
  try {
    readCloudIdentity(error.partial);
    return error;
  } catch (identityError) {
    if (!(identityError instanceof ConfigError)) return error;
    const named = new Set(error.problems.map((p) => p.path));
    const extra = identityError.problems.filter((p) => !named.has(p.path));
    return extra.length === 0 ? error : new ConfigError(error.source, [...error.problems, ...extra]);
  }
}
