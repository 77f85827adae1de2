// A LAN API client that trusts exactly one certificate: the one whose SHA-256 fingerprint was
// pinned at pairing. Hubs make their own self-signed certificates, so a CA cannot vouch for
// them; the fingerprint (printed by `hubctl admin pair` on the hub) can.
import * as grpc from '@grpc/grpc-js';
import tls from 'node:tls';
import { certificateFingerprint, createHubLanClient, type HubLanClient } from '../../daemon/lan/index.js';

export class FingerprintMismatchError extends Error {
  override readonly name = 'FingerprintMismatchError';
}

export class HubUnreachableError extends Error {
  override readonly name = 'HubUnreachableError';
}

/** "host", "host:port", "[v6]:port" -> gRPC target and tls.connect parts. */
export function parseHubAddress(address: string, defaultPort = 8443): { host: string; port: number; target: string } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(address.trim());
  if (!match) throw new Error(`expected HOST or HOST:PORT, got ${JSON.stringify(address)}`);
  const host = (match[1] ?? match[2])!;
  const port = match[3] ? Number(match[3]) : defaultPort;
  if (port < 1 || port > 65535) throw new Error(`port must be 1-65535, got ${port}`);
  return { host, port, target: `${host.includes(':') ? `[${host}]` : host}:${port}` };
}

/**
 * The certificate the hub presents, without trusting it yet (the caller compares fingerprints).
 * Nothing but the TLS handshake happens on this connection.
 */
export function fetchCertificate(address: string, timeoutMs = 10_000): Promise<{ pem: string; fingerprint: string }> {
  const { host, port } = parseHubAddress(address);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, rejectUnauthorized: false, ALPNProtocols: ['h2'], ...(isIp(host) ? {} : { servername: host }) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new HubUnreachableError(`no TLS answer from ${host}:${port} within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const raw = socket.getPeerCertificate().raw;
      socket.destroy();
      if (!raw) return reject(new HubUnreachableError(`${host}:${port} presented no certificate`));
      const pem = `-----BEGIN CERTIFICATE-----\n${raw.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
      resolve({ pem, fingerprint: certificateFingerprint(pem) });
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(new HubUnreachableError(`cannot reach ${host}:${port}: ${error.message}`));
    });
  });
}

/** A gRPC client that only completes TLS with the pinned certificate. */
export function pinnedClient(address: string, pinned: { certificate: string; fingerprint: string }): HubLanClient {
  const { target } = parseHubAddress(address);
  if (certificateFingerprint(pinned.certificate) !== pinned.fingerprint) {
    throw new FingerprintMismatchError('the stored certificate does not match the stored fingerprint: pair again');
  }
  const credentials = grpc.credentials.createSsl(Buffer.from(pinned.certificate), null, null, {
    // The host name is not what identifies a hub (it is reached by IP, mDNS name, ...): its key is.
    checkServerIdentity: (_host, cert) =>
      certificateFingerprint(cert.raw) === pinned.fingerprint
        ? undefined
        : new FingerprintMismatchError(`the hub presents certificate ${certificateFingerprint(cert.raw)}, not the pinned ${pinned.fingerprint}`),
  });
  // The certificate's name is not the address: tell TLS which name to expect so SNI and the
  // (bypassed) name check do not get in the way.
  return createHubLanClient(target, credentials, { 'grpc.ssl_target_name_override': 'zigbee-hubd' });
}

/** Fetches the hub's certificate and checks it against an expected fingerprint. */
export async function verifyHubCertificate(address: string, expectedFingerprint: string): Promise<{ pem: string; fingerprint: string }> {
  const presented = await fetchCertificate(address);
  if (presented.fingerprint !== expectedFingerprint) {
    throw new FingerprintMismatchError(
      `the hub at ${address} presents certificate ${presented.fingerprint}, not ${expectedFingerprint}: refusing to talk to it (another hub, or someone in between)`,
    );
  }
  return presented;
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
