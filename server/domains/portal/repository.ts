/**
 * The portal's data: realms, people, one-time links, sessions, device cookies and the audit log
 * (a realm's codes are the authority's: the portal reaches them through its service). Secrets only
 * as hashes: session ids, link tokens, device-cookie nonces (SHA-256); passwords (scrypt); the TOTP
 * secret sealed.
 */
import type { Database } from '../../db/database';
import {
  AuditEvent,
  DeviceCookie,
  Invitation,
  Person,
  PortalSession,
  Realm,
  type AuditEventRow,
  type DeviceCookieRow,
  type PersonRow,
  type PortalSessionRow,
  type RealmRow,
} from '../../db/schema';

export type { Role } from '../../db/schema';

export function createPortalRepository(db: Database) {
  /** Counts a try on a row with failedLogins/lockedUntil unless it is locked (see reserveTry). */
  function reserve(
    entity: typeof Person | typeof DeviceCookie,
    key: Record<string, unknown>,
    now: number,
    lockAfter: number,
    lockS: number,
  ): Promise<boolean> {
    const where = Object.keys(key)
      .map((k) => `${k} = :${k}`)
      .join(' AND ');
    return db.transaction(async (m) => {
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
    });
  }
  const one = <T>(fn: Parameters<Database['read']>[0]) => db.read(fn) as Promise<T>;
  return {
    // realms
    realmByName: (name: string) => one<RealmRow | null>((m) => m.getRepository(Realm).findOneBy({ name })),
    realm: (id: number) => one<RealmRow | null>((m) => m.getRepository(Realm).findOneBy({ id })),
    async createRealm(row: Omit<RealmRow, 'id'>): Promise<RealmRow> {
      return db.transaction(async (m) => {
        const existing = await m.getRepository(Realm).findOneBy({ name: row.name });
        if (existing) return existing;
        const r = await m.getRepository(Realm).insert(row);
        return { ...row, id: Number(r.identifiers[0].id) };
      });
    },
    updateRealm: (id: number, patch: Partial<Pick<RealmRow, 'requireTotp' | 'dailyQuota' | 'personQuota'>>) =>
      db.transaction(async (m) => void (await m.getRepository(Realm).update({ id }, patch))),

    // people
    personByName: (username: string) => one<PersonRow | null>((m) => m.getRepository(Person).findOneBy({ username })),
    person: (id: number) => one<PersonRow | null>((m) => m.getRepository(Person).findOneBy({ id })),
    people: (realmId: number) => one<PersonRow[]>((m) => m.getRepository(Person).find({ where: { realmId }, order: { username: 'ASC' } })),
    /** Creates the person unless the username is taken; returns its id or null. */
    createPerson(row: Omit<PersonRow, 'id'>): Promise<number | null> {
      return db.transaction(async (m) => {
        if (await m.getRepository(Person).findOneBy({ username: row.username })) return null;
        const r = await m.getRepository(Person).insert(row);
        return Number(r.identifiers[0].id);
      });
    },
    updatePerson: (id: number, patch: Partial<PersonRow>) =>
      db.transaction(async (m) => void (await m.getRepository(Person).update({ id }, patch))),
    /**
     * One try at the person's password from a client without its device cookie: counted before the
     * password is checked (one atomic UPDATE), so that guesses sent in parallel cannot slip past
     * the limit. False when those clients are locked out; the try that finds `lockAfter` tries
     * counted locks them out for `lockS`. A success resets the count (`loginSucceeded`).
     */
    reserveTry(id: number, now: number, lockAfter: number, lockS: number): Promise<boolean> {
      return reserve(Person, { id }, now, lockAfter, lockS);
    },
    /** The same, counted on one browser's device cookie instead. */
    reserveDeviceTry(nonceHash: string, now: number, lockAfter: number, lockS: number): Promise<boolean> {
      return reserve(DeviceCookie, { nonceHash }, now, lockAfter, lockS);
    },

    // one-time links
    createInvitation: (tokenHash: string, personId: number, expiresAt: number) =>
      db.transaction(async (m) => void (await m.getRepository(Invitation).insert({ tokenHash, personId, expiresAt, usedAt: null }))),
    invitation: (tokenHash: string) =>
      one<{ personId: number; expiresAt: number; usedAt: number | null } | null>((m) =>
        m.getRepository(Invitation).findOneBy({ tokenHash }),
      ),
    /** Uses the link up (once); returns its person, or null when unknown, used or expired. */
    consumeInvitation(tokenHash: string, now: number): Promise<number | null> {
      return db.transaction(async (m) => {
        const r = await m
          .getRepository(Invitation)
          .createQueryBuilder()
          .update()
          .set({ usedAt: now })
          .where('tokenHash = :tokenHash AND usedAt IS NULL AND expiresAt > :now', { tokenHash, now })
          .execute();
        if ((r.affected ?? 0) !== 1) return null;
        return (await m.getRepository(Invitation).findOneBy({ tokenHash }))!.personId;
      });
    },

    // sessions
    createSession: (row: PortalSessionRow) => db.transaction(async (m) => void (await m.getRepository(PortalSession).insert(row))),
    session: (idHash: string) => one<PortalSessionRow | null>((m) => m.getRepository(PortalSession).findOneBy({ idHash })),
    touchSession: (idHash: string, now: number) =>
      db.transaction(async (m) => void (await m.getRepository(PortalSession).update({ idHash }, { lastSeenAt: now }))),
    endSession: (idHash: string) => db.transaction(async (m) => void (await m.getRepository(PortalSession).delete({ idHash }))),
    endSessionsOf: (personId: number) => db.transaction(async (m) => void (await m.getRepository(PortalSession).delete({ personId }))),
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

    // device cookies (OWASP "slow down online guessing": a known browser keeps its own counter)
    device: (nonceHash: string) => one<DeviceCookieRow | null>((m) => m.getRepository(DeviceCookie).findOneBy({ nonceHash })),
    createDevice: (row: DeviceCookieRow) => db.transaction(async (m) => void (await m.getRepository(DeviceCookie).insert(row))),
    deviceSuccess: (nonceHash: string) =>
      db.transaction(async (m) => void (await m.getRepository(DeviceCookie).update({ nonceHash }, { failedLogins: 0, lockedUntil: null }))),

    // audit
    audit: (row: Omit<AuditEventRow, 'id'>) => db.transaction(async (m) => void (await m.getRepository(AuditEvent).insert(row))),
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
  };
}

export type PortalRepository = ReturnType<typeof createPortalRepository>;
