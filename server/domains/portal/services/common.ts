/** What the portal's services share: who is logged in, the portal's settings, hashes and tokens, audit rows. */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../../clock';
import type { AuditRecord, Role } from '../repository';

export type { Role };

/** The person logged in, as the pages and the other services see them. */
export interface Me {
  id: number;
  username: string;
  role: Role;
  realmId: number;
  realmName: string;
  totp: boolean;
  /** The realm requires a second factor and this person has none yet: nothing but enrolling is allowed. */
  mustEnrol: boolean;
  /** The realm is the operator's (issue 29): its admins publish the health authority's advice. */
  operator: boolean;
}

export interface PortalConfig {
  idleS: number;
  lifetimeS: number;
  realmQuota: number;
  personQuota: number;
}

/** Session ids, link tokens and device nonces are stored as this hash only. */
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** 32 random bytes, base64url: a session id, a link's token, a CSRF token, a device nonce. */
export const randomToken = () => randomBytes(32).toString('base64url');

/** The audit row of an action, at the clock's now; the repository writes it in the action's own transaction. */
export const auditAt =
  (clock: Clock) =>
  (realmId: number, actorId: number | null, action: string, subject: string | null = null): AuditRecord => ({
    realmId,
    at: clock.now(),
    actorId,
    action,
    subject,
  });
