/**
 * The portal's audit log: who did what to whom in a realm, never a code, a password or an address.
 * Rows are written only inside the transaction of the action they record — by the portal's other
 * repositories (`writeAudit`), or by the authority's (`part`, handed over by the portal's services).
 */
import type { Database, EntityManager, TxPart } from '../../../db/database';
import { AuditEvent, type AuditEventRow } from '../../../db/schema';

/** One line of the audit log, as written. */
export type AuditRecord = Omit<AuditEventRow, 'id'>;

/** Writes the action's audit rows inside its transaction `m`, in order. */
export async function writeAudit(m: EntityManager, rows: AuditRecord[]): Promise<void> {
  if (rows.length) await m.getRepository(AuditEvent).insert(rows);
}

export function createAuditRepository(db: Database) {
  return {
    /** The audit row of an action another domain's transaction carries (the authority's: a code issued, an API key revoked). */
    part:
      (row: AuditRecord): TxPart =>
      (m) =>
        writeAudit(m, [row]),
    log: (realmId: number, limit: number): Promise<AuditEventRow[]> =>
      db.read((m) => m.getRepository(AuditEvent).find({ where: { realmId }, order: { at: 'DESC', id: 'DESC' }, take: limit })),
    failedLoginsSince: (realmId: number, since: number): Promise<number> =>
      db.read((m) =>
        m
          .getRepository(AuditEvent)
          .createQueryBuilder('a')
          .where("a.realmId = :realmId AND a.at >= :since AND a.action IN ('login_failed', 'login_locked_out')", { realmId, since })
          .getCount(),
      ),
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
