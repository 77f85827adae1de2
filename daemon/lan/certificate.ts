// The LAN API's TLS identity: an ECDSA P-256 key and a self-signed certificate the hub makes at
// first start and keeps in its data dir (key 0600). Clients pin the certificate's SHA-256
// fingerprint, so no CA and no host name is involved.
//
// Why built here: Node 20's crypto makes keys and signs, but has no API to create an X.509
// certificate; no certificate package is installed (node-forge, selfsigned, @peculiar/x509),
// and the `openssl` binary is not guaranteed on a slim Debian image. A self-signed certificate
// is one DER structure signed once (der.ts), so the hub needs neither.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../ops/atomic-file.js';
import * as der from './der.js';

export interface TlsIdentity {
  keyPem: string;
  certPem: string;
  /** "sha256:" + 64 lower-case hex digits of the certificate's DER bytes. */
  fingerprint: string;
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';
const BASIC_CONSTRAINTS = '2.5.29.19';
const SUBJECT_ALT_NAME = '2.5.29.17';
const VALID_YEARS = 30;

/** The identity in `dir` (lan-key.pem, lan-cert.pem), created on first use. */
export function loadOrCreateTlsIdentity(dir: string, commonName: string, now = new Date()): TlsIdentity & { created: boolean } {
  const keyFile = path.join(dir, 'lan-key.pem');
  const certFile = path.join(dir, 'lan-cert.pem');
  if (fs.existsSync(keyFile) && fs.existsSync(certFile)) {
    const keyPem = fs.readFileSync(keyFile, 'utf8');
    const certPem = fs.readFileSync(certFile, 'utf8');
    checkPair(keyPem, certPem, keyFile, certFile);
    // A key file left readable (restored by hand, copied) is made private again.
    if ((fs.statSync(keyFile).mode & 0o077) !== 0) fs.chmodSync(keyFile, 0o600);
    return { keyPem, certPem, fingerprint: certificateFingerprint(certPem), created: false };
  }
  const identity = createSelfSigned(commonName, now);
  fs.mkdirSync(dir, { recursive: true, mode: 0o750 });
  // Key first: a certificate without its key would be useless at the next start.
  writeFileAtomic(keyFile, identity.keyPem, 0o600);
  writeFileAtomic(certFile, identity.certPem, 0o644);
  return { ...identity, created: true };
}

export function createSelfSigned(commonName: string, now = new Date()): TlsIdentity {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = der.sequence(der.set(der.sequence(der.objectId(COMMON_NAME), der.utf8String(commonName))));
  const notBefore = new Date(now.getTime() - 24 * 3600_000); // a hub clock slightly behind a client's
  const notAfter = new Date(now.getTime() + VALID_YEARS * 365 * 24 * 3600_000);
  const extensions = der.explicit(
    3,
    der.sequence(
      der.sequence(der.objectId(BASIC_CONSTRAINTS), der.boolean(true), der.octetString(der.sequence())),
      // A name some TLS stacks want to see; clients check the fingerprint, not this.
      der.sequence(der.objectId(SUBJECT_ALT_NAME), der.octetString(der.sequence(der.tlv(0x82, Buffer.from(commonName, 'ascii'))))),
    ),
  );
  const signatureAlgorithm = der.sequence(der.objectId(ECDSA_WITH_SHA256));
  const tbs = der.sequence(
    der.explicit(0, der.smallInteger(2)), // v3
    der.unsignedInteger(Buffer.concat([Buffer.from([0x01]), crypto.randomBytes(15)])),
    signatureAlgorithm,
    name,
    der.sequence(der.time(notBefore), der.time(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    extensions,
  );
  const signature = crypto.sign('sha256', tbs, privateKey); // DER ECDSA-Sig-Value, as X.509 wants
  const certDer = der.sequence(tbs, signatureAlgorithm, der.bitString(signature));
  const certPem = toPem('CERTIFICATE', certDer);
  return {
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    certPem,
    fingerprint: certificateFingerprint(certPem),
  };
}

/** "sha256:" + hex of the DER bytes (what `openssl x509 -fingerprint -sha256` shows, without colons). */
export function certificateFingerprint(certPem: string | Buffer): string {
  return 'sha256:' + crypto.createHash('sha256').update(new crypto.X509Certificate(certPem).raw).digest('hex');
}

/** Accepts "sha256:AB:12...", "ab12..." and the like; undefined when it is not 32 bytes of hex. */
export function normaliseFingerprint(text: string): string | undefined {
  const hex = text.trim().toLowerCase().replace(/^sha256:/, '').replace(/[:\s]/g, '');
  return /^[0-9a-f]{64}$/.test(hex) ? 'sha256:' + hex : undefined;
}

function checkPair(keyPem: string, certPem: string, keyFile: string, certFile: string): void {
  let matches: boolean;
  try {
    matches = new crypto.X509Certificate(certPem).checkPrivateKey(crypto.createPrivateKey(keyPem));
  } catch (error) {
    throw new Error(`cannot read the LAN TLS identity (${certFile}, ${keyFile}): ${(error as Error).message}; move both aside to make a new one (clients must pair again)`, { cause: error });
  }
  if (!matches) throw new Error(`the LAN TLS key ${keyFile} does not belong to ${certFile}; move both aside to make a new one (clients must pair again)`);
}

function toPem(label: string, bytes: Buffer): string {
  const lines = bytes.toString('base64').match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN ${label}-----\n${lines}\n-----END ${label}-----\n`;
}
