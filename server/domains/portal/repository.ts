/**
 * The portal's data: realms, people, one-time links, sessions, device cookies and the audit log
 * (a realm's codes are the authority's: the portal reaches them through its service). Secrets only
 * as hashes: session ids, link tokens, device-cookie nonces (SHA-256); passwords (scrypt); the TOTP
 * secret sealed.
 *
 * Every action is one method and one transaction, its audit row included: a link is used up only
 * with the password it set, a person is disabled only with the row that says who did it. (Google's
 * exposure-notifications-server keeps transactions in its database layer the same way; a service
 * asks for the action and never holds a transaction.)
 */
import type { Database, EntityManager, TxPart } from '../../db/database';
import {
  AuditEvent,
  DeviceCookie,
  Invitation,
  Person,
  PortalSession,
  Realm,
  type AuditEventRow,
  type DeviceCookieRow,
  type InvitationRow,
  type PersonRow,
  type PortalSessionRow,
  type RealmRow,
} from '../../db/schema';

export type { PersonRow, Role } from '../../db/schema';

/** One line of the audit log, as written. */
export type AuditRecord = Omit<AuditEventRow, 'id'>;
/** A one-time link for a person: its token's hash and when it runs out. */
export type NewLink = Pick<InvitationRow, 'tokenHash' | 'expiresAt'>;
type NewPerson = Omit<PersonRow, 'id' | 'realmId'>;

const insertAudit = (m: EntityManager, rows: AuditRecord[]) => (rows.length ? m.getRepository(AuditEvent).insert(rows) : null);
const insertLink = (m: EntityManager, personId: number, link: NewLink) =>
  m.getRepository(Invitation).insert({ ...link, personId, usedAt: null });
const endSessionsOf = (m: EntityManager, personId: number) => m.getRepository(PortalSession).delete({ personId });

/** Counts a try on a row with failedLogins/lockedUntil unless it is locked (see reserveTry), inside `m`. */
async function reserve(
  m: EntityManager,
  entity: typeof Person | typeof DeviceCookie,
  key: Record<string, unknown>,
  now: number,
  lockAfter: number,
  lockS: number,
): Promise<boolean> {
  const where = Object.keys(key)
    .map((k) => `${k} = :${k}`)
    .join(' AND ');
  const counted = await m
    .createQueryBuilder()
    .update(entity)
    .set({ failedLogins: () => 'failedLogins + 1' })
    .where(`${where} AND (lockedUntil IS NULL OR lockedUntil <= :now) AND failedLogins < :lockAfter`, { ...key, now, lockAfter })
    .execute();
  if ((counted.affected ?? 0) === 1) return true;
  // the limit reached: lock (a lock that has run out starts a new count)
  await m
    .createQueryBuilder()
    .update(entity)
    .set({ failedLogins: 0, lockedUntil: now + lockS })
    .where(`${where} AND (lockedUntil IS NULL OR lockedUntil <= :now)`, { ...key, now })
    .execute();
  return false;
}

/** Adds the person (and their link) unless the username is taken; returns its id or null. */
async function addPerson(m: EntityManager, row: Omit<PersonRow, 'id'>, link: NewLink | null, audit: AuditRecord): Promise<number | null> {
  if (await m.getRepository(Person).findOneBy({ username: row.username })) return null;
  const r = await m.getRepository(Person).insert(row);
  const id = Number(r.identifiers[0].id);
  await insertAudit(m, [audit]);
  if (link) await insertLink(m, id, link);
  return id;
}

export function createPortalRepository(db: Database) {
  const one = <T>(fn: Parameters<Database['read']>[0]) => db.read(fn) as Promise<T>;
  return {
    // ---- reads
    realmByName: (name: string) => one<RealmRow | null>((m) => m.getRepository(Realm).findOneBy({ name })),
    realm: (id: number) => one<RealmRow | null>((m) => m.getRepository(Realm).findOneBy({ id })),
    personByName: (username: string) => one<PersonRow | null>((m) => m.getRepository(Person).findOneBy({ username })),
    person: (id: number) => one<PersonRow | null>((m) => m.getRepository(Person).findOneBy({ id })),
    people: (realmId: number) => one<PersonRow[]>((m) => m.getRepository(Person).find({ where: { realmId }, order: { username: 'ASC' } })),
    invitation: (tokenHash: string) => one<InvitationRow | null>((m) => m.getRepository(Invitation).findOneBy({ tokenHash })),
    session: (idHash: string) => one<PortalSessionRow | null>((m) => m.getRepository(PortalSession).findOneBy({ idHash })),
    // device cookies (OWASP "slow down online guessing": a known browser keeps its own counter)
    device: (nonceHash: string) => one<DeviceCookieRow | null>((m) => m.getRepository(DeviceCookie).findOneBy({ nonceHash })),
    auditLog: (realmId: number, limit: number) =>
      one<AuditEventRow[]>((m) => m.getRepository(AuditEvent).find({ where: { realmId }, order: { at: 'DESC', id: 'DESC' }, take: limit })),
    failedLoginsSince: (realmId: number, since: number) =>
      one<number>((m) =>
        m
          .getRepository(AuditEvent)
          .createQueryBuilder('a')
          .where("a.realmId = :realmId AND a.at >= :since AND a.action IN ('login_failed', 'login_locked_out')", { realmId, since })
          .getCount(),
      ),

    // ---- people and their links

    /** The operator's new person: the realm (created unless it exists), the person, their audit row and link; null when the username is taken (then nothing is written). */
    createUser(
      realm: Omit<RealmRow, 'id'>,
      person: NewPerson,
      link: NewLink,
      audit: Omit<AuditRecord, 'realmId'>,
    ): Promise<{ realmId: number; personId: number } | null> {
      return db.transaction(async (m) => {
        if (await m.getRepository(Person).findOneBy({ username: person.username })) return null;
        const existing = await m.getRepository(Realm).findOneBy({ name: realm.name });
        const realmId = existing ? existing.id! : Number((await m.getRepository(Realm).insert(realm)).identifiers[0].id);
        const personId = (await addPerson(m, { ...person, realmId }, link, { ...audit, realmId }))!;
        return { realmId, personId };
      });
    },
    /** An admin's new person with their link and audit row; null when the username is taken. */
    addPerson: (row: Omit<PersonRow, 'id'>, link: NewLink, audit: AuditRecord): Promise<number | null> =>
      db.transaction((m) => addPerson(m, row, link, audit)),
    /** A new link for a person, optionally with their second factor cleared and their sessions ended. */
    newLink(personId: number, clearSecondFactor: boolean, link: NewLink, audit: AuditRecord[]): Promise<void> {
      return db.transaction(async (m) => {
        if (clearSecondFactor) {
          await m.getRepository(Person).update({ id: personId }, { totpSecret: null, totpLastStep: null, recoveryHashes: null });
          await endSessionsOf(m, personId);
        }
        await insertAudit(m, audit);
        await insertLink(m, personId, link);
      });
    },
    /** Sets the password through a link, using the link up (once) and ending the person's sessions; false when the link is unknown, used or expired. */
    setPasswordWithLink(tokenHash: string, now: number, passwordHash: string, audit: AuditRecord): Promise<boolean> {
      return db.transaction(async (m) => {
        const used = await m
          .getRepository(Invitation)
          .createQueryBuilder()
          .update()
          .set({ usedAt: now })
          .where('tokenHash = :tokenHash AND usedAt IS NULL AND expiresAt > :now', { tokenHash, now })
          .execute();
        if ((used.affected ?? 0) !== 1) return false;
        const { personId } = (await m.getRepository(Invitation).findOneBy({ tokenHash }))!;
        await m.getRepository(Person).update({ id: personId }, { passwordHash, failedLogins: 0, lockedUntil: null });
        await endSessionsOf(m, personId);
        await insertAudit(m, [audit]);
        return true;
      });
    },
    /** Disables a person of the realm who is not yet disabled and ends their sessions; false when there is none such. */
    disablePerson(personId: number, now: number, audit: AuditRecord): Promise<boolean> {
      return db.transaction(async (m) => {
        const r = await m
          .getRepository(Person)
          .createQueryBuilder()
          .update()
          .set({ disabledAt: now })
          .where('id = :personId AND realmId = :realmId AND disabledAt IS NULL', { personId, realmId: audit.realmId })
          .execute();
        if ((r.affected ?? 0) !== 1) return false;
        await endSessionsOf(m, personId);
        await insertAudit(m, [audit]);
        return true;
      });
    },
    /** Stores a confirmed second factor. */
    enableSecondFactor: (personId: number, factor: Pick<PersonRow, 'totpSecret' | 'totpLastStep' | 'recoveryHashes'>, audit: AuditRecord) =>
      db.transaction(async (m) => {
        await m.getRepository(Person).update({ id: personId }, factor);
        await insertAudit(m, [audit]);
      }),

    // ---- logging in and out

    /**
     * One try at the person's password from a client without its device cookie: counted before the
     * password is checked (one atomic UPDATE, its own transaction), so that guesses sent in parallel
     * cannot slip past the limit — and a try whose answer failed still counts. False when those
     * clients are locked out; the try that finds `lockAfter` tries counted locks them out for
     * `lockS`. A success resets the count (`loginSucceeded`).
     */
    reserveTry: (id: number, now: number, lockAfter: number, lockS: number): Promise<boolean> =>
      db.transaction((m) => reserve(m, Person, { id }, now, lockAfter, lockS)),
    /** The same, counted on one browser's device cookie instead. */
    reserveDeviceTry: (nonceHash: string, now: number, lockAfter: number, lockS: number): Promise<boolean> =>
      db.transaction((m) => reserve(m, DeviceCookie, { nonceHash }, now, lockAfter, lockS)),
    /** A refused login: its audit row is all there is to write (the try was counted before). */
    loginRefused: (audit: AuditRecord) => db.transaction(async (m) => void (await insertAudit(m, [audit]))),
    /**
     * The password was right: the counter that applied starts again (the browser's, or the one
     * unknown clients share), and the new session (of step one or logged in), the new device cookie
     * and the audit row are stored.
     */
    loginSucceeded(p: {
      personId: number;
      deviceNonceHash: string | null;
      session: PortalSessionRow;
      newDevice: DeviceCookieRow | null;
      audit: AuditRecord | null;
    }): Promise<void> {
      return db.transaction(async (m) => {
        if (p.deviceNonceHash)
          await m.getRepository(DeviceCookie).update({ nonceHash: p.deviceNonceHash }, { failedLogins: 0, lockedUntil: null });
        else await m.getRepository(Person).update({ id: p.personId }, { failedLogins: 0 });
        await m.getRepository(PortalSession).insert(p.session);
        if (p.newDevice) await m.getRepository(DeviceCookie).insert(p.newDevice);
        await insertAudit(m, p.audit ? [p.audit] : []);
      });
    },
    /** Step two passed: the code is spent (`spent`), the half-session replaced by a logged-in one, a device cookie stored. */
    secondStepSucceeded(p: {
      halfSession: string;
      personId: number;
      spent: Pick<PersonRow, 'totpLastStep'> | Pick<PersonRow, 'recoveryHashes'>;
      session: PortalSessionRow;
      newDevice: DeviceCookieRow;
      audit: AuditRecord[];
    }): Promise<void> {
      return db.transaction(async (m) => {
        await m.getRepository(Person).update({ id: p.personId }, p.spent);
        await m.getRepository(PortalSession).delete({ idHash: p.halfSession });
        await m.getRepository(PortalSession).insert(p.session);
        await m.getRepository(DeviceCookie).insert(p.newDevice);
        await insertAudit(m, p.audit);
      });
    },
    /** A wrong second step: the half-session ends and the try counts against the password (as reserveTry). */
    secondStepFailed(p: { halfSession: string; personId: number; now: number; lockAfter: number; lockS: number; audit: AuditRecord }) {
      return db.transaction(async (m) => {
        await m.getRepository(PortalSession).delete({ idHash: p.halfSession });
        await reserve(m, Person, { id: p.personId }, p.now, p.lockAfter, p.lockS);
        await insertAudit(m, [p.audit]);
      });
    },
    logout: (idHash: string, audit: AuditRecord) =>
      db.transaction(async (m) => {
        await m.getRepository(PortalSession).delete({ idHash });
        await insertAudit(m, [audit]);
      }),
    touchSession: (idHash: string, now: number) =>
      db.transaction(async (m) => void (await m.getRepository(PortalSession).update({ idHash }, { lastSeenAt: now }))),
    /** A session that timed out. */
    endSession: (idHash: string) => db.transaction(async (m) => void (await m.getRepository(PortalSession).delete({ idHash }))),
    pruneSessions: (idleBefore: number, createdBefore: number) =>
      db.transaction(
        async (m) =>
          void (await m
            .getRepository(PortalSession)
            .createQueryBuilder()
            .delete()
            .where('lastSeenAt < :a OR createdAt < :b', { a: idleBefore, b: createdBefore })
            .execute()),
      ),

    // ---- the realm

    updateRealm: (id: number, patch: Partial<Pick<RealmRow, 'requireTotp' | 'dailyQuota' | 'personQuota'>>, audit: AuditRecord) =>
      db.transaction(async (m) => {
        await m.getRepository(Realm).update({ id }, patch);
        await insertAudit(m, [audit]);
      }),
    /** The audit row of an action another domain's transaction carries (the authority's: a code issued, an API key revoked). */
    auditPart:
      (audit: AuditRecord): TxPart =>
      async (m) =>
        void (await insertAudit(m, [audit])),
  };
}

export type PortalRepository = ReturnType<typeof createPortalRepository>;
