// What a paired client may do. Each scope includes the ones below it, so a check is a
// comparison: a wall tablet (control) switches lights but cannot remove devices or pair others.
import type { LanClientScope } from '../store/index.js';
import { LanError } from './errors.js';

export type LanScope = LanClientScope;

export const LAN_SCOPES: readonly LanScope[] = ['read', 'control', 'admin'];

const RANK: Record<LanScope, number> = { read: 1, control: 2, admin: 3 };

/** Who is calling: a paired client, or the hub's own admin socket (root or the service user). */
export interface Caller {
  clientId: string;
  clientName: string;
  scope: LanScope;
  /** Network address (or "local" for the admin socket), for rate limits and logs. */
  peer: string;
}

export function requireScope(caller: Caller, needed: LanScope, what: string): void {
  if (RANK[caller.scope] < RANK[needed]) {
    throw new LanError('permission_denied', `${what} needs the "${needed}" scope; this client (${caller.clientName}) has "${caller.scope}"`);
  }
}

export function parseScope(text: string): LanScope | undefined {
  return (LAN_SCOPES as readonly string[]).includes(text) ? (text as LanScope) : undefined;
}
