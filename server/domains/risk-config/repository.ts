/**
 * Publications of the signed configuration (§6): one row each, never changed or deleted — what every
 * phone was told, when and by whom. This table is this domain's alone; a publication's audit row
 * (the portal's) rides along in the same transaction (`also`).
 */
import type { Database, TxPart } from '../../db/database';
import type { RiskConfigRow } from '../../db/schema';

export type { TxPart };

/** A serial taken at the same moment by another instance (a primary key clash or a deadlock on MySQL). */
const CLASH = new Set(['ER_DUP_ENTRY', 'ER_LOCK_DEADLOCK', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

export function createRiskConfigRepository(db: Database) {
  const table = (m: Parameters<TxPart>[0]) => m.getRepository<RiskConfigRow>('RiskConfig');
  return {
    latest: (): Promise<RiskConfigRow | null> => db.read((m) => table(m).findOne({ where: {}, order: { serial: 'DESC' } })),

    /** The newest publications, without their text. */
    history: (limit: number): Promise<Omit<RiskConfigRow, 'json'>[]> =>
      db.read((m) =>
        table(m)
          .createQueryBuilder('c')
          .select(['c.serial', 'c.publishedAt', 'c.realmId', 'c.personId'])
          .orderBy('c.serial', 'DESC')
          .limit(limit)
          .getMany(),
      ),

    /**
     * Stores the next publication: its serial one above the highest stored (at least `floor`), its
     * text made for that serial by `make`, with `also(serial)` in the same transaction. Two instances
     * publishing at once cannot take one serial: the primary key refuses the second, which tries again.
     */
    async publish(
      floor: number,
      make: (serial: number) => string,
      who: { realmId: number | null; personId: number | null; at: number },
      also?: (serial: number) => TxPart,
    ): Promise<RiskConfigRow> {
      for (let attempt = 0; ; attempt++) {
        try {
          return await db.transaction(async (m) => {
            const top = await table(m).createQueryBuilder('c').select('MAX(c.serial)', 'max').getRawOne<{ max: number | string | null }>();
            const serial = Math.max(floor, Number(top?.max ?? 0)) + 1;
            const row: RiskConfigRow = { serial, json: make(serial), publishedAt: who.at, realmId: who.realmId, personId: who.personId };
            await table(m).insert(row);
            await also?.(serial)(m);
            return row;
          });
        } catch (e) {
          const code =
            (e as { code?: string; driverError?: { code?: string } }).code ?? (e as { driverError?: { code?: string } }).driverError?.code;
          if (attempt < 4 && code && CLASH.has(code)) continue;
          throw e;
        }
      }
    },
  };
}

export type RiskConfigRepository = ReturnType<typeof createRiskConfigRepository>;
