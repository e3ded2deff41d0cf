/** The people of a realm, and the one-time links that let them set a password. */
import type { Database, EntityManager } from '../../../db/database';
import { Invitation, Person, Realm, type InvitationRow, type PersonRow, type RealmRow } from '../../../db/schema';
import { writeAudit, type AuditRecord } from './audit';
import { endSessionsOf } from './logins';

/** A one-time link for a person: its token's hash and when it runs out. */
export type NewLink = Pick<InvitationRow, 'tokenHash' | 'expiresAt'>;
export type NewPerson = Omit<PersonRow, 'id' | 'realmId'>;

const insertLink = (m: EntityManager, personId: number, link: NewLink) =>
  m.getRepository(Invitation).insert({ ...link, personId, usedAt: null });

/** Adds the person, their audit row and link unless the username is taken (then nothing); returns its id or null. */
async function addPerson(m: EntityManager, row: Omit<PersonRow, 'id'>, link: NewLink, audit: AuditRecord): Promise<number | null> {
  if (await m.getRepository(Person).findOneBy({ username: row.username })) return null;
  const r = await m.getRepository(Person).insert(row);
  const id = Number(r.identifiers[0].id);
  await writeAudit(m, [audit]);
  await insertLink(m, id, link);
  return id;
}

export function createPeopleRepository(db: Database) {
  return {
    byName: (username: string): Promise<PersonRow | null> => db.read((m) => m.getRepository(Person).findOneBy({ username })),
    byId: (id: number): Promise<PersonRow | null> => db.read((m) => m.getRepository(Person).findOneBy({ id })),
    ofRealm: (realmId: number): Promise<PersonRow[]> =>
      db.read((m) => m.getRepository(Person).find({ where: { realmId }, order: { username: 'ASC' } })),

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
    add: (row: Omit<PersonRow, 'id'>, link: NewLink, audit: AuditRecord): Promise<number | null> =>
      db.transaction((m) => addPerson(m, row, link, audit)),
    /** A new link for a person, optionally with their second factor cleared and their sessions ended. */
    newLink(personId: number, clearSecondFactor: boolean, link: NewLink, audit: AuditRecord[]): Promise<void> {
      return db.transaction(async (m) => {
        if (clearSecondFactor) {
          await m.getRepository(Person).update({ id: personId }, { totpSecret: null, totpLastStep: null, recoveryHashes: null });
          await endSessionsOf(m, personId);
        }
        await writeAudit(m, audit);
        await insertLink(m, personId, link);
      });
    },
    /** Disables a person of the audit row's realm who is not disabled yet, and ends their sessions; false when there is none such. */
    disable(personId: number, now: number, audit: AuditRecord): Promise<boolean> {
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
        await writeAudit(m, [audit]);
        return true;
      });
    },
  };
}

export type PeopleRepository = ReturnType<typeof createPeopleRepository>;
