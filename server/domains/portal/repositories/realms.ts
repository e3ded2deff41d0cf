/** A realm (a health authority or a clinic): its name, its quotas and whether it requires a second factor. */
import type { Database } from '../../../db/database';
import { Realm, type RealmRow } from '../../../db/schema';
import { writeAudit, type AuditRecord } from './audit';

export type RealmSettings = Partial<Pick<RealmRow, 'requireTotp' | 'dailyQuota' | 'personQuota'>>;

export function createRealmsRepository(db: Database) {
  return {
    byName: (name: string): Promise<RealmRow | null> => db.read((m) => m.getRepository(Realm).findOneBy({ name })),
    byId: (id: number): Promise<RealmRow | null> => db.read((m) => m.getRepository(Realm).findOneBy({ id })),
    /** The operator's realm (issue 29: its admins publish the health authority's advice), if one was named. */
    operator: (): Promise<RealmRow | null> => db.read((m) => m.getRepository(Realm).findOneBy({ operator: 1 })),
    /** Makes this realm the operator's, and no other, with the audit row that says so. */
    setOperator: (id: number, audit: AuditRecord) =>
      db.transaction(async (m) => {
        await m.getRepository(Realm).update({ operator: 1 }, { operator: 0 });
        await m.getRepository(Realm).update({ id }, { operator: 1 });
        await writeAudit(m, [audit]);
      }),
    /** New settings, with the audit row that says who set them. */
    update: (id: number, settings: RealmSettings, audit: AuditRecord) =>
      db.transaction(async (m) => {
        await m.getRepository(Realm).update({ id }, settings);
        await writeAudit(m, [audit]);
      }),
  };
}

export type RealmsRepository = ReturnType<typeof createRealmsRepository>;
