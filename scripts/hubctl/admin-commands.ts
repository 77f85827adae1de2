// `hubctl admin pair|clients|revoke`: run on the hub itself, over the daemon's admin socket.
import { adminRequest } from './admin-client.js';
import type { Wire } from './calls.js';
import { EXIT, UsageError } from './exit.js';
import { relativeTime, table } from './format.js';

export async function admin(args: string[], socket: string, scope: string | undefined, print: (human: string, json: unknown) => void): Promise<number> {
  const [sub, id] = args;
  switch (sub) {
    case 'pair': {
      const reply = await adminRequest(socket, { cmd: 'pair', scope: scope ?? 'control' });
      const seconds = Math.round((reply['expires_at_ms'] - Date.now()) / 1000);
      print(
        `pairing window open for ${seconds} s (scope ${scope ?? 'control'})\n  code:        ${reply['code']}\n  fingerprint: ${reply['fingerprint']}\n  port:        ${reply['port']}\n` +
          `on the client: hubctl pair <this hub's address>:${reply['port']} --code ${reply['code']} --fingerprint ${reply['fingerprint']}`,
        reply,
      );
      return EXIT.ok;
    }
    case 'clients': {
      const reply = await adminRequest(socket, { cmd: 'clients' });
      print(clientsTable(reply['clients']), reply['clients']);
      return EXIT.ok;
    }
    case 'revoke': {
      if (!id) throw new UsageError('admin revoke CLIENT-ID');
      await adminRequest(socket, { cmd: 'revoke', client_id: id });
      print(`revoked ${id}`, {});
      return EXIT.ok;
    }
    default:
      throw new UsageError('admin pair|clients|revoke');
  }
}

export function clientsTable(clients: Wire[]): string {
  const rows = [['ID', 'NAME', 'SCOPE', 'CREATED', 'LAST USED']];
  for (const c of clients) {
    rows.push([c['id'], c['name'], scopeName(c['scope']), relativeTime(c['created_at_ms']), relativeTime(c['last_used_at_ms'])]);
  }
  return table(rows);
}

export function scopeName(wire: string): string {
  return String(wire).replace('SCOPE_', '').toLowerCase();
}

