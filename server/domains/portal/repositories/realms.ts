/** A realm (a health authority or a clinic): its name, its quotas and whether it requires a second factor. */
import type { Database } from '../../../db/database';
import { Realm, type RealmRow } from '../../../db/schema';
import { writeAudit, type AuditRecord } from './audit';

export type RealmSettings = Partial<Pick<RealmRow, 'requireTotp' | 'dailyQuota' | 'personQuota'>>;

export function createRealmsRepository(db: Database) {
  return {
    byName: (name: string): Promise<RealmRow | null> => db.read((m) => m.getRepository(Realm).findOneBy({ name })),
    byId: (id: number): Promise<RealmRow | null> => db.read((m) => m.getRepository(Realm).findOneBy({ id })),
    /** New settings, with the audit row that says who set them. */
    update: (id: number, settings: RealmSettings, audit: AuditRecord) =>
      db.transaction(async (m) => {
        await m.getRepository(Realm).update({ id }, settings);
        await writeAudit(m, [audit]);
      }),
  };
}

export type RealmsRepository = ReturnType<typeof createRealmsRepository>;
