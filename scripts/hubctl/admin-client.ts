// `hubctl admin ...`: one JSON request over the daemon's local admin socket (see
// daemon/lan/admin-socket.ts). Reaching the socket at all needs root or the service user.
import net from 'node:net';

export const DEFAULT_ADMIN_SOCKET = '/var/lib/zigbee-hubd/admin/lan.sock';

export class AdminSocketError extends Error {
  override readonly name = 'AdminSocketError';
}

export function adminRequest(socketPath: string, request: Record<string, unknown>, timeoutMs = 10_000): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let buffer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new AdminSocketError(`no answer from the admin socket ${socketPath} within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(JSON.stringify(request) + '\n'));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      clearTimeout(timer);
      socket.end();
      let reply: Record<string, any>;
      try {
        reply = JSON.parse(buffer.slice(0, end)) as Record<string, any>;
      } catch {
        return reject(new AdminSocketError('the admin socket answered something that is not JSON'));
      }
      if (reply['ok'] !== true) reject(new AdminSocketError(String(reply['error'] ?? 'the hub refused the request')));
      else resolve(reply);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const hint =
        error.code === 'EACCES'
          ? ' (permission denied: run as root or as the zigbee-hubd user)'
          : error.code === 'ENOENT'
            ? ' (no such socket: is the daemon running with lan.enabled, and is this its lan.admin_socket?)'
            : '';
      reject(new AdminSocketError(`cannot open the admin socket ${socketPath}: ${error.message}${hint}`));
    });
  });
}
