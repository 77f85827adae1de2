// The hub's local admin door: a unix socket in a folder only the service user (and root) can
// enter (folder 0700, socket 0600). Whoever can open it has root or the service's own account
// on the hub, which is what opening a pairing window requires; no token is involved.
// Protocol: one JSON request per line, one JSON reply line each:
//   {"cmd":"pair","scope":"control"}  -> {"ok":true,"code":"1234-5678","expires_at_ms":...,"fingerprint":"sha256:...","port":8443}
//   {"cmd":"clients"}                 -> {"ok":true,"clients":[{"id","name","scope","created_at_ms","last_used_at_ms"}]}
//   {"cmd":"revoke","client_id":"…"}  -> {"ok":true}
//   anything wrong                    -> {"ok":false,"error":"..."}
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { LanError } from './errors.js';
import { parseScope } from './scopes.js';
import type { LanService } from './service.js';

const MAX_LINE = 4096;

export class AdminSocket {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    private readonly socketPath: string,
    private readonly service: LanService,
    private readonly apiPort: () => number,
  ) {
    this.server = net.createServer((socket) => this.serve(socket));
  }

  async start(): Promise<void> {
    // Linux cuts longer socket paths silently (sun_path is 108 bytes): refuse instead.
    if (Buffer.byteLength(this.socketPath) > 107) throw new Error(`the admin socket path ${this.socketPath} is longer than 107 bytes`);
    const dir = path.dirname(this.socketPath);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700);
    // A socket file left by a killed daemon would make listen fail with EADDRINUSE.
    fs.rmSync(this.socketPath, { force: true });
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.socketPath, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    fs.chmodSync(this.socketPath, 0o600);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    fs.rmSync(this.socketPath, { force: true });
  }

  private serve(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const lines = readline.createInterface({ input: socket, crlfDelay: Infinity });
    lines.on('line', (line) => {
      if (line.length > MAX_LINE) {
        socket.end(JSON.stringify({ ok: false, error: `request longer than ${MAX_LINE} bytes` }) + '\n');
        return;
      }
      socket.write(JSON.stringify(this.handle(line)) + '\n');
    });
  }

  private handle(line: string): Record<string, unknown> {
    try {
      let request: Record<string, unknown>;
      try {
        request = JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new LanError('invalid_argument', 'a request is one JSON object per line');
      }
      switch (request['cmd']) {
        case 'pair': {
          const scope = request['scope'] === undefined ? 'control' : parseScope(String(request['scope']));
          if (!scope) throw new LanError('invalid_argument', `scope must be read, control or admin, got ${JSON.stringify(request['scope'])}`);
          const opened = this.service.openPairingWindow(scope, 'admin socket');
          return { ok: true, code: opened.code, expires_at_ms: opened.expiresAt, fingerprint: opened.fingerprint, port: this.apiPort() };
        }
        case 'clients':
          return {
            ok: true,
            clients: this.service.localClients().map((c) => ({ id: c.id, name: c.name, scope: c.scope, created_at_ms: c.createdAt, last_used_at_ms: c.lastUsedAt ?? 0 })),
          };
        case 'revoke':
          this.service.revoke(String(request['client_id'] ?? ''), 'admin socket');
          return { ok: true };
        default:
          throw new LanError('invalid_argument', `unknown cmd ${JSON.stringify(request['cmd'])}: pair, clients or revoke`);
      }
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
