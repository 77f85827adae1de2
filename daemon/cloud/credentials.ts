// How the gateway proves who it is and protects the link: TLS always (optionally mTLS with a
// client certificate) and an optional bearer token in call metadata. Plaintext exists only
// for development against a loopback address and must be asked for explicitly.
import * as grpc from '@grpc/grpc-js';
import { isLoopbackTarget } from '../domain/loopback.js';

export type Pem = string | Buffer;

export type CloudCredentials =
  /** Plaintext; refused unless the target is a loopback address or a unix socket. */
  | 'insecure-loopback'
  | {
      /** CA bundle that signs the platform's certificate; the system roots when absent. */
      ca?: Pem;
      /** Client certificate chain and key for mTLS (both or neither). */
      cert?: Pem;
      key?: Pem;
      /** Sent as "authorization: Bearer <token>"; never logged. */
      token?: string;
      /** Plaintext with a token, for loopback development only (same rule as the string form). */
      insecureLoopback?: boolean;
    };

export class CloudLinkConfigError extends Error {
  override name = 'CloudLinkConfigError';
}

export function channelCredentials(target: string, credentials: CloudCredentials): grpc.ChannelCredentials {
  const settings = credentials === 'insecure-loopback' ? { insecureLoopback: true } : credentials;
  if (settings.insecureLoopback) {
    if (!isLoopbackTarget(target)) {
      throw new CloudLinkConfigError(
        `refusing plaintext (insecure-loopback) to non-loopback target "${target}": configure TLS credentials`,
      );
    }
    return grpc.credentials.createInsecure();
  }
  const { ca, cert, key } = settings as { ca?: Pem; cert?: Pem; key?: Pem };
  if (!!cert !== !!key) throw new CloudLinkConfigError('cloud credentials: cert and key must be given together');
  return grpc.credentials.createSsl(toBuffer(ca), toBuffer(key), toBuffer(cert));
}

/**
 * Channel options the credentials impose. Plaintext is allowed only because the target is this
 * machine, so it must be a direct connection: grpc-js would otherwise honour grpc_proxy /
 * https_proxy / http_proxy from the environment and send the plaintext stream (token included)
 * through the proxy. TLS links keep the environment's proxy settings (HTTP CONNECT, TLS end to
 * end through the tunnel; no_grpc_proxy / no_proxy exclude hosts).
 */
export function credentialChannelOptions(credentials: CloudCredentials): grpc.ChannelOptions {
  const plaintext = credentials === 'insecure-loopback' || credentials.insecureLoopback === true;
  return plaintext ? { 'grpc.enable_http_proxy': 0 } : {};
}

/** Call metadata carrying the token, if any. */
export function callMetadata(credentials: CloudCredentials): grpc.Metadata {
  const metadata = new grpc.Metadata();
  if (credentials !== 'insecure-loopback' && credentials.token) {
    if (/[\r\n]/.test(credentials.token)) throw new CloudLinkConfigError('cloud credentials: token contains a line break');
    metadata.set('authorization', `Bearer ${credentials.token}`);
  }
  return metadata;
}

function toBuffer(pem: Pem | undefined): Buffer | null {
  if (pem === undefined) return null;
  return typeof pem === 'string' ? Buffer.from(pem) : pem;
}
