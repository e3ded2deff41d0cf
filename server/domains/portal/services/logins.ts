/**
 * Logging in, as OWASP's authentication cheat sheet has it: scrypt passwords set through a one-time
 * link; an optional TOTP second factor a realm can require; a new random session id at login, ended
 * on the server at logout, idle for at most `idleS`, alive for at most `lifetimeS`. Password
 * guessing is slowed per account without locking the owner out ("device cookies"): a browser that
 * logged in before carries a device cookie with its own failure counter; every other client shares
 * the account's counter and is locked out for a while after `LOCK_AFTER` failures — which never
 * touches the device cookie, or any other account.
 */
import { timingSafeEqual } from 'node:crypto';
import { PrtcError } from '../../../../shared/errors';
import type { Clock } from '../../../clock';
import type { Secrets } from '../../../secrets';
import { checkNewPassword, hashPassword, pretendToVerify, verifyPassword } from '../passwords';
import type { AuditRecord, PersonRow, PortalRepository } from '../repository';
import { newRecoveryCodes, newTotpSecret, otpauthUri, recoveryHash, totpStep } from '../totp';
import { auditAt, randomToken, sha256, type Me, type PortalConfig } from './common';

export const LOCK_AFTER = 5;
export const LOCK_S = 15 * 60;
export const DEVICE_LOCK_AFTER = 10;

export type LoginResult =
  { kind: 'ok'; session: string; device: string | null } | { kind: 'second_factor'; session: string } | { kind: 'refused' };

export function createLoginsService(deps: {
  repo: Pick<PortalRepository, 'logins' | 'people' | 'realms'>;
  secrets: Secrets;
  clock: Clock;
  config: Pick<PortalConfig, 'idleS' | 'lifetimeS'>;
}) {
  const { secrets, clock } = deps;
  const { logins, people, realms } = deps.repo;
  const now = () => clock.now();
  const audit = auditAt(clock);

  /** "<username>.<nonce>.<mac>": which person the browser logged in as, and a nonce the server keeps a counter for. */
  const deviceValue = (username: string, nonce: string) => `${username}.${nonce}.${secrets.mac('device', `${username}.${nonce}`)}`;
  function parseDevice(cookie: string | null | undefined, username: string): string | null {
    if (!cookie) return null;
    const [u, nonce, mac] = cookie.split('.');
    if (u !== username || !nonce || !mac) return null;
    const want = Buffer.from(secrets.mac('device', `${u}.${nonce}`));
    const got = Buffer.from(mac);
    return want.length === got.length && timingSafeEqual(want, got) ? nonce : null;
  }

  async function me(personId: number): Promise<Me | null> {
    const p = await people.byId(personId);
    if (!p || p.disabledAt !== null) return null;
    const realm = await realms.byId(p.realmId);
    if (!realm) return null;
    return {
      id: p.id!,
      username: p.username,
      role: p.role,
      realmId: p.realmId,
      realmName: realm.name,
      totp: p.totpSecret !== null,
      mustEnrol: realm.requireTotp === 1 && p.totpSecret === null,
      operator: realm.operator === 1,
    };
  }

  /** A new session: the id for the browser's cookie, its row (the id hashed) for the repository. */
  function newSession(personId: number, stage: 1 | 2) {
    const id = randomToken();
    return { id, row: { idHash: sha256(id), personId, csrf: randomToken(), stage, createdAt: now(), lastSeenAt: now() } };
  }
  /** A new device cookie: its value for the browser, its row (the nonce hashed, a counter of its own) for the repository. */
  function newDevice(personId: number, username: string) {
    const nonce = randomToken();
    return {
      value: deviceValue(username, nonce),
      row: { nonceHash: sha256(nonce), personId, failedLogins: 0, lockedUntil: null, createdAt: now() },
    };
  }

  /** The person a valid link is for (a request in between may still use it up: the repository checks again). */
  async function linkHolder(token: string): Promise<PersonRow | null> {
    const link = await logins.link(sha256(token));
    if (!link || link.usedAt !== null || link.expiresAt <= now()) return null;
    return people.byId(link.personId);
  }

  return {
    /** Who a link is for, while it is valid (the page asks for the password only then). */
    async invitedPerson(token: string): Promise<{ username: string } | null> {
      const p = await linkHolder(token);
      return p ? { username: p.username } : null;
    },

    /** Sets the password through a one-time link; the link is used up only when the password is accepted. */
    async setPasswordWithLink(token: string, password: string): Promise<void> {
      const gone = () => new PrtcError('invalid_token', 'this link is not valid any more: ask your administrator for a new one');
      const p = await linkHolder(token);
      if (!p) throw gone();
      checkNewPassword(password, p.username);
      const hash = await hashPassword(password);
      if (!(await logins.setPasswordWithLink(sha256(token), now(), hash, audit(p.realmId, p.id!, 'password_set', p.username))))
        throw gone();
    },

    /** Step one: username and password (and the browser's device cookie, if any). */
    async login(username: string, password: string, deviceCookie: string | null): Promise<LoginResult> {
      const name = username.trim().toLowerCase();
      const p = await people.byName(name);
      const t = now();
      const nonce = p ? parseDevice(deviceCookie, p.username) : null;
      const device = nonce ? await logins.device(sha256(nonce)) : null;
      // the counter that applies: the browser's own, or the one all unknown clients share; the try is
      // counted before the password is checked, so parallel guesses cannot slip past the limit
      const allowed =
        p === null
          ? true
          : device
            ? await logins.reserveDeviceTry(device.nonceHash, t, DEVICE_LOCK_AFTER, LOCK_S)
            : await logins.reserveTry(p.id!, t, LOCK_AFTER, LOCK_S);
      // an unknown name is checked against a dummy hash, a locked one waits as long as a check would:
      // the answer's timing says neither which names exist nor whether the guess was right
      const ok = allowed
        ? (await verifyPassword(password, p?.passwordHash ?? null)) && p !== null && p.disabledAt === null
        : await pretendToVerify();
      if (!p) return { kind: 'refused' };
      if (!ok) {
        await logins.loginRefused(audit(p.realmId, null, allowed ? 'login_failed' : 'login_locked_out', p.username));
        return { kind: 'refused' };
      }
      const deviceNonceHash = device?.nonceHash ?? null;
      if (p.totpSecret !== null) {
        const half = newSession(p.id!, 1);
        await logins.loginSucceeded({ personId: p.id!, deviceNonceHash, session: half.row, newDevice: null, audit: null });
        return { kind: 'second_factor', session: half.id };
      }
      const session = newSession(p.id!, 2);
      const cookie = newDevice(p.id!, p.username);
      await logins.loginSucceeded({
        personId: p.id!,
        deviceNonceHash,
        session: session.row,
        newDevice: cookie.row,
        audit: audit(p.realmId, p.id!, 'login', p.username),
      });
      return { kind: 'ok', session: session.id, device: cookie.value };
    },

    /** Step two: a TOTP code or a recovery code, on the session step one made (which is replaced by a new one). */
    async secondFactor(session: string, code: string): Promise<{ session: string; device: string } | null> {
      const s = await logins.session(sha256(session));
      if (!s || s.stage !== 1 || s.lastSeenAt < now() - 300) return null;
      const p = await people.byId(s.personId);
      if (!p || !p.totpSecret || p.disabledAt !== null) return null;
      const step = totpStep(secrets.unseal(p.totpSecret), code, now(), p.totpLastStep);
      let spent: { totpLastStep: number } | { recoveryHashes: string } | null = step !== null ? { totpLastStep: step } : null;
      const rows: AuditRecord[] = [];
      if (!spent) {
        const hashes: string[] = JSON.parse(p.recoveryHashes ?? '[]');
        const k = hashes.indexOf(recoveryHash(code));
        if (k >= 0) {
          hashes.splice(k, 1);
          spent = { recoveryHashes: JSON.stringify(hashes) };
          rows.push(audit(p.realmId, p.id!, 'recovery_code_used', p.username));
        }
      }
      if (!spent) {
        // a wrong code ends this half-session: the next try needs the password again (which is rate-limited)
        await logins.secondStepFailed({
          halfSession: s.idHash,
          personId: p.id!,
          now: now(),
          lockAfter: LOCK_AFTER,
          lockS: LOCK_S,
          audit: audit(p.realmId, null, 'login_failed', `${p.username} (second factor)`),
        });
        return null;
      }
      rows.push(audit(p.realmId, p.id!, 'login', p.username));
      const full = newSession(p.id!, 2);
      const cookie = newDevice(p.id!, p.username);
      await logins.secondStepSucceeded({
        halfSession: s.idHash,
        personId: p.id!,
        spent,
        session: full.row,
        newDevice: cookie.row,
        audit: rows,
      });
      return { session: full.id, device: cookie.value };
    },

    /** The person behind a session cookie, with the session's CSRF token; null when there is none or it timed out. */
    async whoIs(session: string | null | undefined): Promise<{ me: Me; csrf: string } | null> {
      if (!session) return null;
      const s = await logins.session(sha256(session));
      const t = now();
      if (!s || s.stage !== 2) return null;
      if (s.lastSeenAt < t - deps.config.idleS || s.createdAt < t - deps.config.lifetimeS) {
        await logins.endSession(s.idHash);
        return null;
      }
      const m = await me(s.personId);
      if (!m) return null;
      if (t - s.lastSeenAt >= 30) await logins.touchSession(s.idHash, t);
      return { me: m, csrf: s.csrf };
    },

    async logout(session: string, who: Me): Promise<void> {
      await logins.logout(sha256(session), audit(who.realmId, who.id, 'logout', who.username));
    },

    /** A new TOTP secret to show (not stored until confirmed with a code from the app). */
    totpOffer(who: Me, issuer: string): { secret: string; uri: string } {
      const secret = newTotpSecret();
      return { secret: secrets.seal(secret), uri: otpauthUri(issuer, who.username, secret) };
    },

    /** Confirms the offered secret with a code from the app; returns the recovery codes (shown once). */
    async totpEnable(who: Me, sealedSecret: string, code: string): Promise<string[] | null> {
      let secret: Uint8Array;
      try {
        secret = secrets.unseal(sealedSecret);
      } catch {
        return null;
      }
      const step = totpStep(secret, code, now());
      if (step === null) return null;
      const recovery = newRecoveryCodes();
      await logins.enableSecondFactor(
        who.id,
        { totpSecret: sealedSecret, totpLastStep: step, recoveryHashes: JSON.stringify(recovery.hashes) },
        audit(who.realmId, who.id, 'second_factor_enabled', who.username),
      );
      return recovery.codes;
    },
  };
}
