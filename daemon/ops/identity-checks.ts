// What the cloud identity files must hold, checked before anything starts: a token that can go
// into a gRPC metadata header, PEM that parses, a key that belongs to its certificate, a CA file
// made of certificates. Each check returns a problem in words (never the secret) or undefined.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';

/**
 * A bearer token is sent as "authorization: Bearer <token>": one line of visible ASCII. A line
 * break inside it (a file with two lines) would otherwise fail only when the link starts.
 */
export function tokenProblem(token: string, file: string): string | undefined {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 0x21 && c <= 0x7e) continue;
    const what = c === 0x0a || c === 0x0d ? 'a line break' : c === 0x20 || c === 0x09 ? 'whitespace' : 'a control or non-ASCII character';
    return `${file} must hold the token on one line of visible ASCII characters; found ${what} at character ${i + 1}`;
  }
  return undefined;
}

/** The certificates in a PEM bundle; a problem when there is none or one does not parse. */
export function caProblem(pem: Buffer, file: string): string | undefined {
  const blocks = pemBlocks(pem.toString('utf8'), 'CERTIFICATE');
  if (blocks.length === 0) return `${file} holds no PEM certificate ("-----BEGIN CERTIFICATE-----")`;
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (error) {
      return `${file}: certificate ${index + 1} of ${blocks.length} does not parse (${reason(error)})`;
    }
  }
  return undefined;
}

export function certificateOf(pem: Buffer, file: string): { cert?: X509Certificate; problem?: string } {
  if (pemBlocks(pem.toString('utf8'), 'CERTIFICATE').length === 0) return { problem: `${file} holds no PEM certificate ("-----BEGIN CERTIFICATE-----")` };
  try {
    return { cert: new X509Certificate(pem) };
  } catch (error) {
    return { problem: `${file} does not hold a valid certificate (${reason(error)})` };
  }
}

export function privateKeyOf(pem: Buffer, file: string): { key?: KeyObject; problem?: string } {
  try {
    return { key: createPrivateKey({ key: pem, format: 'pem' }) };
  } catch (error) {
    const encrypted = /ENCRYPTED/.test(pem.toString('utf8')) ? ': it is encrypted, and the daemon has no passphrase for it' : '';
    return { problem: `${file} does not hold a usable PEM private key${encrypted || ` (${reason(error)})`}` };
  }
}

export function keyMatchProblem(cert: X509Certificate, key: KeyObject, certFile: string, keyFile: string): string | undefined {
  return cert.checkPrivateKey(key) ? undefined : `${keyFile} is not the private key of the certificate in ${certFile}`;
}

function pemBlocks(text: string, label: string): string[] {
  const pattern = new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`, 'g');
  return text.match(pattern) ?? [];
}

/** OpenSSL's words without the stack; they never contain the key material. */
function reason(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  return typeof e.message === 'string' ? e.message.split('\n')[0]! : String(error);
}
