// Turns a bearer token into a Caller, or refuses. Unknown tokens count as failures of the
// calling address (FailureLimiter), so a client cannot cycle through guesses.
import type { LanClientStore } from '../store/index.js';
import { LanError } from './errors.js';
import type { FailureLimiter } from './failure-limiter.js';
import type { Caller } from './scopes.js';
import { tokenHash } from './tokens.js';

/** last_used_at is a hint for people, not an audit log: written at most this often per client. */
const LAST_USED_RESOLUTION_MS = 60_000;

export class Authenticator {
  private readonly lastMarked = new Map<string, number>();

  constructor(
    private readonly clients: LanClientStore,
    private readonly limiter: FailureLimiter,
    private readonly now: () => number = Date.now,
  ) {}

  authenticate(token: string | undefined, peer: string): Caller {
    const waitMs = this.limiter.blockedForMs(peer);
    if (waitMs > 0) throw new LanError('resource_exhausted', `too many failed attempts from ${peer}; try again in ${Math.ceil(waitMs / 1000)} s`);
    if (!token) throw new LanError('unauthenticated', 'no token: send "authorization: Bearer <token>" (pair first with `hubctl pair`)');
    const client = this.clients.findByTokenHash(tokenHash(token));
    if (!client) {
      this.limiter.fail(peer);
      throw new LanError('unauthenticated', 'unknown or revoked token: pair again');
    }
    const now = this.now();
    if (now - (this.lastMarked.get(client.id) ?? 0) >= LAST_USED_RESOLUTION_MS) {
      this.lastMarked.set(client.id, now);
      try {
        this.clients.markUsed(client.id, now);
      } catch {
        // A hint only: a full or read-only disk must not lock people out of their hub.
      }
    }
    return { clientId: client.id, clientName: client.name, scope: client.scope, peer };
  }
}
