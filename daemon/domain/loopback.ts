// Whether a gRPC target stays on this machine. Plaintext is only allowed to such a target, and
// the config check and the cloud link must give the same answer, so both ask this module.
import { BlockList, isIP } from 'node:net';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
// Also matches the long forms of ::1 and IPv4-mapped 127.x (::ffff:127.0.0.1).
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * True for "localhost" (any case), an IPv4 address in 127.0.0.0/8 or the IPv6 loopback
 * address. Other names are not trusted, "*.localhost" included: gRPC resolves them through
 * the system resolver, which need not map them to this machine.
 */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const family = isIP(host);
  if (family === 4) return LOOPBACK.check(host, 'ipv4');
  if (family === 6) return LOOPBACK.check(host, 'ipv6');
  return false;
}

/**
 * True when every address in a gRPC target is on this machine (see isLoopbackHost) or the
 * target is a unix socket. Understands "host:port", "dns:[//authority/]host:port",
 * "ipv4:a:p,b:p", "ipv6:[::1]:port" and "unix:path".
 */
export function isLoopbackTarget(target: string): boolean {
  if (/^unix(-abstract)?:/.test(target)) return true;
  let rest = target.replace(/^dns:(\/\/[^/]*\/)?/, '');
  const scheme = /^(ipv4|ipv6):/.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  const addresses = scheme ? rest.split(',') : [rest];
  return addresses.every((address) => isLoopbackHost(hostOf(address)));
}

function hostOf(address: string): string {
  if (address.startsWith('[')) return address.slice(1, address.indexOf(']'));
  // A bare IPv6 address has several colons and no port.
  if (isIP(address) === 6) return address;
  const colon = address.lastIndexOf(':');
  return colon === -1 ? address : address.slice(0, colon);
}
