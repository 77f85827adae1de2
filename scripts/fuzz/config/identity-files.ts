// Real PEM material for config cases (a CA, a certificate it signed with its key, another key),
// made once with the openssl command line; without openssl those contents are left out.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FileContent } from './cases.js';

interface Pems {
  ca: string;
  cert: string;
  key: string;
  otherKey: string;
}

let pems: Pems | null | undefined;

function makePems(): Pems | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-pems-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    openssl('req', '-x509', ...ec, '-days', '2', '-subj', '/CN=fuzz CA', '-keyout', file('ca.key'), '-out', file('ca.pem'));
    openssl('req', ...ec, '-subj', '/CN=fuzz-gw', '-keyout', file('gw.key'), '-out', file('gw.csr'));
    openssl('x509', '-req', '-in', file('gw.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '2', '-out', file('gw.pem'));
    openssl('genpkey', '-algorithm', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', file('other.key'));
    const read = (name: string) => fs.readFileSync(file(name), 'utf8');
    return { ca: read('ca.pem'), cert: read('gw.pem'), key: read('gw.key'), otherKey: read('other.key') };
  } catch {
    return null;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes the file (or a directory, or nothing for "missing") and returns its path. */
export function writeIdentityFile(dir: string, name: string, content: FileContent): string {
  if (pems === undefined) pems = makePems();
  const target = path.join(dir, name);
  const write = (data: string | Buffer) => fs.writeFileSync(target, data);
  switch (content) {
    case 'token': write('fuzz-token-0123456789abcdef\n'); break;
    case 'token-with-line-break': write('fuzz-token\n0123456789\n'); break;
    case 'token-with-control-byte': write('fuzz\u0001token\n'); break;
    case 'whitespace': write(' \n\t\n'); break;
    case 'empty': write(''); break;
    case 'missing': break;
    case 'garbage-pem': write('-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n'); break;
    case 'directory': fs.mkdirSync(target); break;
    case 'cert': write(pems?.cert ?? 'no openssl'); break;
    case 'key': write(pems?.key ?? 'no openssl'); break;
    case 'other-key': write(pems?.otherKey ?? 'no openssl'); break;
    case 'ca': write(pems?.ca ?? 'no openssl'); break;
  }
  return target;
}

export function havePems(): boolean {
  if (pems === undefined) pems = makePems();
  return pems !== null;
}
