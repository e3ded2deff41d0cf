/**
 * The health-authority portal (issue 20): people of a realm log in, issue upload codes, look them up
 * and void them; a realm's admins manage its people, API keys, quotas and second factor, and read
 * its statistics and audit log. Nothing here knows HTTP (server/http/portal/ renders it).
 *
 * Logging in, as OWASP's authentication cheat sheet has it: scrypt passwords; an optional TOTP
 * second factor a realm can require; a new random session id at login, ended on the server at
 * logout, idle for at most `idleS`, alive for at most `lifetimeS`. Password guessing is slowed per
 * account without locking the owner out ("device cookies"): a browser that logged in before carries
 * a device cookie with its own failure counter; every other client shares the account's counter and
 * is locked out for a while after `LOCK_AFTER` failures — which never touches the device cookie, or
 * any other account.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { PrtcError } from '../../../shared/errors';
import type { Clock } from '../../clock';
import type { Secrets } from '../../secrets';
import type { AuthorityService, CodeStatus } from '../authority/service';
import { checkNewPassword, hashPassword, pretendToVerify, verifyPassword } from './passwords';
import { newRecoveryCodes, newTotpSecret, otpauthUri, recoveryHash, totpStep } from './totp';
import type { AuditRecord, NewLink, PersonRow, PortalRepository, Role } from './repository';

export type { Role };

/** A person as the realm's admins see them: never a hash, a secret or a counter. */
export interface PersonView {
  id: number;
  username: string;
  role: Role;
  disabled: boolean;
  secondFactor: boolean;
}

/** One line of the audit log. */
export interface AuditEntry {
  at: number;
  actorId: number | null;
  action: string;
  subject: string | null;
}

export const LOCK_AFTER = 5;
export const LOCK_S = 15 * 60;
export const DEVICE_LOCK_AFTER = 10;
export const INVITE_S = 24 * 3600;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$/;
const REALM = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/;

export interface Me {
  id: number;
  username: string;
  role: Role;
  realmId: number;
  realmName: string;
  totp: boolean;
  /** The realm requires a second factor and this person has none yet: nothing but enrolling is allowed. */
  mustEnrol: boolean;
}

export type LoginResult =
  { kind: 'ok'; session: string; device: string | null } | { kind: 'second_factor'; session: string } | { kind: 'refused' };

export interface PortalConfig {
  idleS: number;
  lifetimeS: number;
  realmQuota: number;
  personQuota: number;
}

export function createPortalService(deps: {
  repo: PortalRepository;
  authority: AuthorityService;
  secrets: Secrets;
  clock: Clock;
  config: PortalConfig;
}) {
  const { repo, secrets, clock } = deps;
  const now = () => clock.now();
  /** The audit row of an action (written by the repository in the action's own transaction). */
  const audit = (realmId: number, actorId: number | null, action: string, subject: string | null = null): AuditRecord => ({
    realmId,
    at: now(),
    actorId,
    action,
    subject,
  });
  /** A new one-time link: the token for the person, its hash and expiry for the repository. */
  const newLink = (): { token: string; link: NewLink } => {
    const token = randomToken();
    return { token, link: { tokenHash: sha256(token), expiresAt: now() + INVITE_S } };
  };
  const checkUsername = (username: string, role: Role): string => {
    const name = username.trim().toLowerCase();
    if (!USERNAME.test(name))
      throw new PrtcError('invalid_value', 'a username is 3-64 lower-case letters, digits, ".", "_" or "-"', 'username');
    if (role !== 'admin' && role !== 'issuer') throw new PrtcError('invalid_value', 'the role is admin or issuer', 'role');
    return name;
  };
  const newPerson = (username: string, role: Role) => ({
    username,
    role,
    passwordHash: null,
    totpSecret: null,
    totpLastStep: null,
    recoveryHashes: null,
    createdAt: now(),
    disabledAt: null,
    failedLogins: 0,
    lockedUntil: null,
  });
  const taken = (name: string) => new PrtcError('name_taken', `the username "${name}" is taken`, 'username');

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
    const p = await repo.person(personId);
    if (!p || p.disabledAt !== null) return null;
    const realm = await repo.realm(p.realmId);
    if (!realm) return null;
    return {
      id: p.id!,
      username: p.username,
      role: p.role,
      realmId: p.realmId,
      realmName: realm.name,
      totp: p.totpSecret !== null,
      mustEnrol: realm.requireTotp === 1 && p.totpSecret === null,
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

  /** The person a valid link is for (the link may still be used up by a request in between: the repository checks again). */
  async function linkHolder(token: string): Promise<{ person: PersonRow } | null> {
    const inv = await repo.invitation(sha256(token));
    if (!inv || inv.usedAt !== null || inv.expiresAt <= now()) return null;
    const person = await repo.person(inv.personId);
    return person ? { person } : null;
  }

  const service = {
    /** The operator's CLI: a realm (created if new) and a person in it; returns the one-time link's token (24 h). */
    async createUser(realmName: string, username: string, role: Role): Promise<{ token: string; realmId: number; personId: number }> {
      if (!REALM.test(realmName))
        throw new PrtcError('invalid_value', 'a realm name is 1-63 letters, digits, spaces, ".", "_" or "-"', 'realm');
      const name = checkUsername(username, role);
      const { token, link } = newLink();
      const realm = {
        name: realmName,
        createdAt: now(),
        requireTotp: 0,
        dailyQuota: deps.config.realmQuota,
        personQuota: deps.config.personQuota,
      };
      // the realm's id is the repository's to find or make: the audit row gets it there
      const added = { at: now(), actorId: null, action: 'person_added', subject: `${name} (${role})` };
      const r = await repo.createUser(realm, newPerson(name, role), link, added);
      if (!r) throw taken(name);
      return { token, ...r };
    },

    /** A realm's id by its name (for the CLI's API keys); null when there is no such realm. */
    async realmId(realmName: string): Promise<number | null> {
      return (await repo.realmByName(realmName))?.id ?? null;
    },

    /** The operator's CLI, for a person who lost their password (or second factor): a new one-time link. */
    async newLink(username: string, clearSecondFactor: boolean): Promise<string | null> {
      const p = await repo.personByName(username.trim().toLowerCase());
      if (!p || p.disabledAt !== null) return null;
      const { token, link } = newLink();
      const rows = [audit(p.realmId, null, 'link_issued', p.username)];
      if (clearSecondFactor) rows.unshift(audit(p.realmId, null, 'second_factor_cleared', p.username));
      await repo.newLink(p.id!, clearSecondFactor, link, rows);
      return token;
    },

    /** Who a link is for, while it is valid (the page asks for the password only then). */
    async invitedPerson(token: string): Promise<{ username: string } | null> {
      const holder = await linkHolder(token);
      return holder ? { username: holder.person.username } : null;
    },

    /** Sets the password through a one-time link; the link is used up only when the password is accepted. */
    async setPasswordWithLink(token: string, password: string): Promise<void> {
      const gone = () => new PrtcError('invalid_token', 'this link is not valid any more: ask your administrator for a new one');
      const holder = await linkHolder(token);
      if (!holder) throw gone();
      const { person: p } = holder;
      checkNewPassword(password, p.username);
      const hash = await hashPassword(password);
      if (!(await repo.setPasswordWithLink(sha256(token), now(), hash, audit(p.realmId, p.id!, 'password_set', p.username)))) throw gone();
    },

    /** Step one: username and password (and the browser's device cookie, if any). */
    async login(username: string, password: string, deviceCookie: string | null): Promise<LoginResult> {
      const name = username.trim().toLowerCase();
      const p = await repo.personByName(name);
      const t = now();
      const nonce = p ? parseDevice(deviceCookie, p.username) : null;
      const device = nonce ? await repo.device(sha256(nonce)) : null;
      // the counter that applies: the browser's own, or the one all unknown clients share; the try is
      // counted before the password is checked, so parallel guesses cannot slip past the limit
      const allowed =
        p === null
          ? true
          : device
            ? await repo.reserveDeviceTry(device.nonceHash, t, DEVICE_LOCK_AFTER, LOCK_S)
            : await repo.reserveTry(p.id!, t, LOCK_AFTER, LOCK_S);
      // an unknown name is checked against a dummy hash, a locked one waits as long as a check would:
      // the answer's timing says neither which names exist nor whether the guess was right
      const ok = allowed
        ? (await verifyPassword(password, p?.passwordHash ?? null)) && p !== null && p.disabledAt === null
        : await pretendToVerify();
      if (!p) return { kind: 'refused' };
      if (!ok) {
        await repo.loginRefused(audit(p.realmId, null, allowed ? 'login_failed' : 'login_locked_out', p.username));
        return { kind: 'refused' };
      }
      const deviceNonceHash = device?.nonceHash ?? null;
      if (p.totpSecret !== null) {
        const half = newSession(p.id!, 1);
        await repo.loginSucceeded({ personId: p.id!, deviceNonceHash, session: half.row, newDevice: null, audit: null });
        return { kind: 'second_factor', session: half.id };
      }
      const session = newSession(p.id!, 2);
      const cookie = newDevice(p.id!, p.username);
      await repo.loginSucceeded({
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
      const s = await repo.session(sha256(session));
      if (!s || s.stage !== 1 || s.lastSeenAt < now() - 300) return null;
      const p = await repo.person(s.personId);
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
        await repo.secondStepFailed({
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
      await repo.secondStepSucceeded({
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
      const s = await repo.session(sha256(session));
      const t = now();
      if (!s || s.stage !== 2) return null;
      if (s.lastSeenAt < t - deps.config.idleS || s.createdAt < t - deps.config.lifetimeS) {
        await repo.endSession(s.idHash);
        return null;
      }
      const m = await me(s.personId);
      if (!m) return null;
      if (t - s.lastSeenAt >= 30) await repo.touchSession(s.idHash, t);
      return { me: m, csrf: s.csrf };
    },

    async logout(session: string, who: Me): Promise<void> {
      await repo.logout(sha256(session), audit(who.realmId, who.id, 'logout', who.username));
    },

    // ---- codes

    async issue(who: Me): Promise<{ code: string; expiresAt: number; shortId: string }> {
      const realm = (await repo.realm(who.realmId))!;
      return deps.authority.issueCode(
        { id: null, name: who.username, realmId: who.realmId, personId: who.id },
        { realmMax: realm.dailyQuota, personMax: realm.personQuota },
        { also: ({ shortId }) => repo.auditPart(audit(who.realmId, who.id, 'code_issued', shortId)) },
      );
    },

    lookup: (who: Me, shortId: string) => deps.authority.realmCode(who.realmId, shortId),

    void: (who: Me, shortId: string): Promise<boolean> =>
      deps.authority.voidRealmCode(who.realmId, shortId, {
        also: repo.auditPart(audit(who.realmId, who.id, 'code_voided', shortId.trim().toUpperCase())),
      }),

    // ---- second factor

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
      await repo.enableSecondFactor(
        who.id,
        { totpSecret: sealedSecret, totpLastStep: step, recoveryHashes: JSON.stringify(recovery.hashes) },
        audit(who.realmId, who.id, 'second_factor_enabled', who.username),
      );
      return recovery.codes;
    },

    // ---- the realm's admin

    people: async (who: Me): Promise<PersonView[]> =>
      (await repo.people(who.realmId)).map((p) => ({
        id: p.id!,
        username: p.username,
        role: p.role,
        disabled: p.disabledAt !== null,
        secondFactor: p.totpSecret !== null,
      })),

    /** An admin adds a person to the realm; returns the token of their one-time link. */
    async invite(who: Me, username: string, role: Role): Promise<string> {
      const name = checkUsername(username, role);
      const { token, link } = newLink();
      const id = await repo.addPerson(
        { ...newPerson(name, role), realmId: who.realmId },
        link,
        audit(who.realmId, who.id, 'person_added', `${name} (${role})`),
      );
      if (id === null) throw taken(name);
      return token;
    },

    async disable(who: Me, personId: number): Promise<boolean> {
      const p = await repo.person(personId);
      if (!p || p.realmId !== who.realmId || p.id === who.id || p.disabledAt !== null) return false;
      return repo.disablePerson(personId, now(), audit(who.realmId, who.id, 'person_disabled', p.username));
    },

    realm: (who: Me) => repo.realm(who.realmId),

    async updateRealm(who: Me, patch: { requireTotp?: boolean; dailyQuota?: number; personQuota?: number }): Promise<void> {
      const clean: { requireTotp?: number; dailyQuota?: number; personQuota?: number } = {};
      if (patch.requireTotp !== undefined) clean.requireTotp = patch.requireTotp ? 1 : 0;
      for (const k of ['dailyQuota', 'personQuota'] as const) {
        const v = patch[k];
        if (v === undefined) continue;
        if (!Number.isInteger(v) || v < 0 || v > 100000)
          throw new PrtcError('invalid_value', 'a quota is a whole number from 0 to 100000', k);
        clean[k] = v;
      }
      const settings = Object.entries(clean)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      await repo.updateRealm(who.realmId, clean, audit(who.realmId, who.id, 'realm_settings', settings));
    },

    async apiKeys(who: Me) {
      return (await deps.authority.listTokens(who.realmId)).filter((t) => t.realmId === who.realmId);
    },

    createApiKey: (who: Me, name: string): Promise<string> =>
      deps.authority.createToken(name.trim(), who.realmId, {
        also: repo.auditPart(audit(who.realmId, who.id, 'api_key_created', name.trim())),
      }),

    revokeApiKey: (who: Me, name: string): Promise<{ voided: number } | null> =>
      deps.authority.revokeToken(name.trim(), who.realmId, {
        also: repo.auditPart(audit(who.realmId, who.id, 'api_key_revoked', name.trim())),
      }),

    /** Per day of the last `days`: codes issued, used, expired unused, voided. */
    async stats(
      who: Me,
      days = 14,
    ): Promise<{ date: string; day: number; issued: number; used: number; expired: number; voided: number }[]> {
      const today = now() - (now() % 86400);
      const from = today - (days - 1) * 86400;
      const rows = await deps.authority.realmCodeDays(who.realmId, from);
      return Array.from({ length: days }, (_, k) => from + k * 86400).map((day) => {
        const r = rows.find((x) => x.day === day);
        return {
          date: new Date(day * 1000).toISOString().slice(0, 10),
          day,
          issued: r?.issued ?? 0,
          used: r?.used ?? 0,
          expired: r?.expired ?? 0,
          voided: r?.voided ?? 0,
        };
      });
    },

    auditLog: async (who: Me, limit = 200): Promise<AuditEntry[]> =>
      (await repo.auditLog(who.realmId, limit)).map((e) => ({ at: e.at, actorId: e.actorId, action: e.action, subject: e.subject })),
    failedLoginsToday: (who: Me) => repo.failedLoginsSince(who.realmId, now() - (now() % 86400)),
    codeStatuses: ['unused', 'used', 'expired', 'voided'] as CodeStatus[],
  };
  return service;
}

export type PortalService = ReturnType<typeof createPortalService>;
