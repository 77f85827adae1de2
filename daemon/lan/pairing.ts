// The pairing window: opened by someone with root or physical access (the admin socket) or by an
// admin client, it holds one single-use code until it expires. A LAN client trades the code for
// a token. Wrong codes are limited per address (FailureLimiter) and in total: after
// `maxWrongCodes` the window closes, so guessing the 8 digits is hopeless.
import type { LanClientStore } from '../store/index.js';
import { LanError } from './errors.js';
import type { FailureLimiter } from './failure-limiter.js';
import type { LanScope } from './scopes.js';
import { newClientId, newPairingCode, newToken, normalisePairingCode, sameSecret, tokenHash } from './tokens.js';

export interface PairingOptions {
  clients: LanClientStore;
  /** Makes the new client durable before its token is handed out. */
  flush: () => Promise<void>;
  limiter: FailureLimiter;
  windowMs: number;
  maxWrongCodes?: number;
  now?: () => number;
  /** Told (without secrets) when a window opens, a client pairs, or the window closes early. */
  onEvent?: (message: string, fields: Record<string, unknown>) => void;
}

interface OpenWindow {
  code: string;
  scope: LanScope;
  expiresAt: number;
  wrongCodes: number;
}

export interface PairingResult {
  token: string;
  clientId: string;
  scope: LanScope;
}

export class PairingWindow {
  private window: OpenWindow | undefined;
  private readonly now: () => number;

  constructor(private readonly options: PairingOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Opens (or re-opens, with a new code) the window. The code is for the opener's eyes only. */
  open(scope: LanScope, openedBy: string): { code: string; expiresAt: number } {
    const code = newPairingCode();
    const expiresAt = this.now() + this.options.windowMs;
    this.window = { code: normalisePairingCode(code), scope, expiresAt, wrongCodes: 0 };
    this.options.onEvent?.('lan pairing window opened', { scope, openedBy, seconds: Math.round(this.options.windowMs / 1000) });
    return { code, expiresAt };
  }

  isOpen(): boolean {
    return this.current() !== undefined;
  }

  async pair(code: string, clientName: string, peer: string): Promise<PairingResult> {
    const waitMs = this.options.limiter.blockedForMs(peer);
    if (waitMs > 0) throw new LanError('resource_exhausted', `too many failed attempts from ${peer}; try again in ${Math.ceil(waitMs / 1000)} s`);
    const name = clientName.trim();
    if (name.length === 0 || name.length > 64 || /[\u0000-\u001f\u007f]/.test(name)) {
      throw new LanError('invalid_argument', 'client_name must be 1-64 printable characters');
    }
    const window = this.current();
    if (!window) {
      this.options.limiter.fail(peer);
      throw new LanError('failed_precondition', 'no pairing window is open: run `hubctl admin pair` on the hub first');
    }
    if (!sameSecret(normalisePairingCode(code), window.code)) {
      this.options.limiter.fail(peer);
      window.wrongCodes++;
      if (window.wrongCodes >= (this.options.maxWrongCodes ?? 5)) {
        this.window = undefined;
        this.options.onEvent?.('lan pairing window closed after repeated wrong codes', { wrongCodes: window.wrongCodes });
      }
      throw new LanError('unauthenticated', 'wrong pairing code');
    }
    // Single use: the window closes before anything else can await.
    this.window = undefined;
    const token = newToken();
    const clientId = newClientId();
    this.options.clients.add({ id: clientId, name, tokenSha256: tokenHash(token), scope: window.scope });
    await this.options.flush();
    this.options.onEvent?.('lan client paired', { clientId, clientName: name, scope: window.scope, peer });
    return { token, clientId, scope: window.scope };
  }

  private current(): OpenWindow | undefined {
    if (this.window && this.window.expiresAt <= this.now()) this.window = undefined;
    return this.window;
  }
}
