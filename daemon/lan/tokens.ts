// Bearer tokens and pairing codes. A token is 256 random bits; the store only ever sees its
// SHA-256. The "zhl_" prefix lets secret scanners and the log redactor recognise one.
import crypto from 'node:crypto';

export const TOKEN_PREFIX = 'zhl_';

export function newToken(): string {
  return TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Short public id of a client (not a secret). */
export function newClientId(): string {
  return crypto.randomBytes(6).toString('hex');
}

/** 8 digits shown as "1234-5678": typed by a person, guarded by the window and the failure limits. */
export function newPairingCode(): string {
  const digits = crypto.randomInt(0, 100_000_000).toString().padStart(8, '0');
  return `${digits.slice(0, 4)}-${digits.slice(4)}`;
}

export function normalisePairingCode(text: string): string {
  return text.replace(/[\s-]/g, '');
}

/** Constant-time comparison of two strings (different lengths compare unequal). */
export function sameSecret(a: string, b: string): boolean {
  const left = crypto.createHash('sha256').update(a).digest();
  const right = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(left, right);
}
