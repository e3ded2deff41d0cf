/**
 * Logging in: one-time links used to set a password, the tries counted against guessing, sessions,
 * device cookies (OWASP "slow down online guessing": a known browser keeps its own counter) and
 * the second factor. Secrets only as hashes: session ids, link tokens, device-cookie nonces
 * (SHA-256), passwords (scrypt); the TOTP secret sealed.
 */
import type { Database, EntityManager } from '../../../db/database';
import {
  DeviceCookie,
  Invitation,
  Person,
  PortalSession,
  type DeviceCookieRow,
  type InvitationRow,
  type PersonRow,
  type PortalSessionRow,
} from '../../../db/schema';
import { writeAudit, type AuditRecord } from './audit';

/** Ends every session of a person, inside the transaction `m` (a new password, a lost phone, disabled). */
export const endSessionsOf = async (m: EntityManager, personId: number) => void (await m.getRepository(PortalSession).delete({ personId }));

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

export function createLoginsRepository(db: Database) {
  return {
    link: (tokenHash: string): Promise<InvitationRow | null> => db.read((m) => m.getRepository(Invitation).findOneBy({ tokenHash })),
    session: (idHash: string): Promise<PortalSessionRow | null> => db.read((m) => m.getRepository(PortalSession).findOneBy({ idHash })),
    device: (nonceHash: string): Promise<DeviceCookieRow | null> => db.read((m) => m.getRepository(DeviceCookie).findOneBy({ nonceHash })),

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
        await writeAudit(m, [audit]);
        return true;
      });
    },

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
    loginRefused: (audit: AuditRecord) => db.transaction((m) => writeAudit(m, [audit])),
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
        await writeAudit(m, p.audit ? [p.audit] : []);
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
        await writeAudit(m, p.audit);
      });
    },
    /** A wrong second step: the half-session ends and the try counts against the password (as reserveTry). */
    secondStepFailed(p: { halfSession: string; personId: number; now: number; lockAfter: number; lockS: number; audit: AuditRecord }) {
      return db.transaction(async (m) => {
        await m.getRepository(PortalSession).delete({ idHash: p.halfSession });
        await reserve(m, Person, { id: p.personId }, p.now, p.lockAfter, p.lockS);
        await writeAudit(m, [p.audit]);
      });
    },
    /** Stores a second factor confirmed with a code from the app. */
    enableSecondFactor: (personId: number, factor: Pick<PersonRow, 'totpSecret' | 'totpLastStep' | 'recoveryHashes'>, audit: AuditRecord) =>
      db.transaction(async (m) => {
        await m.getRepository(Person).update({ id: personId }, factor);
        await writeAudit(m, [audit]);
      }),
    logout: (idHash: string, audit: AuditRecord) =>
      db.transaction(async (m) => {
        await m.getRepository(PortalSession).delete({ idHash });
        await writeAudit(m, [audit]);
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
  };
}

export type LoginsRepository = ReturnType<typeof createLoginsRepository>;
