/**
 * Issue 31: a venue owner's warning, stored pending publication in the same transaction that uses up
 * its venue warning code — both or neither, so the first use is durable before the 201 and a replay
 * finds the code used. Rows go where an upload's check-ins go (pending_warning, and
 * pending_region_warning per region), under random ids and with no time.
 */
import type { Database, TxPart } from '../../db/database';
import { randomId } from '../../db/ids';
import { PendingRegionWarning, PendingWarning } from '../../db/schema';
import { redeemVenueCode, type VenueCodeCheck } from '../authority/repository';
import type { UploadTargets } from '../uploads/repository';

export type { TxPart };

export interface NewLeveledWarning {
  locationIdHash: string;
  startEnin: number;
  endEnin: number;
  /** Byte values of §9 "Levels"; the level comes from the code when it is `null`. */
  source: number;
  level: number | null;
  note: string | null;
}

export function createVenueWarningsRepository(db: Database) {
  return {
    /** Redeems the code (`codeHash` null: nothing to redeem, the portal's own warning) and stores the warning. */
    accept(codeHash: string | null, now: number, w: NewLeveledWarning, targets: UploadTargets, also?: TxPart): Promise<VenueCodeCheck> {
      return db.transaction(async (m) => {
        const check: VenueCodeCheck = codeHash === null ? { ok: true, level: w.level ?? 0 } : await redeemVenueCode(m, codeHash, now);
        if (!check.ok) return check;
        const row = { ...w, level: check.level };
        if (targets.national) await m.getRepository(PendingWarning).insert({ id: randomId(), ...row });
        for (const region of targets.regions) await m.getRepository(PendingRegionWarning).insert({ id: randomId(), region, ...row });
        await also?.(m);
        return check;
      });
    },
  };
}

export type VenueWarningsRepository = ReturnType<typeof createVenueWarningsRepository>;
