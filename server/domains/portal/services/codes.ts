/**
 * Upload codes in the portal: issued by the realm's people under its quotas, looked up and voided by
 * their short id, counted per day. The codes are the authority's; what the portal adds is its audit
 * row, written in the authority's transaction.
 */
import type { Clock } from '../../../clock';
import type { AuthorityService } from '../../authority/service';
import type { PortalRepository } from '../repository';
import { auditAt, type Me } from './common';

export function createCodesService(deps: { repo: Pick<PortalRepository, 'realms' | 'audit'>; authority: AuthorityService; clock: Clock }) {
  const { authority, clock } = deps;
  const { realms, audit: auditLog } = deps.repo;
  const now = () => clock.now();
  const audit = auditAt(clock);

  return {
    async issue(who: Me): Promise<{ code: string; expiresAt: number; shortId: string }> {
      const realm = (await realms.byId(who.realmId))!;
      return authority.issueCode(
        { id: null, name: who.username, realmId: who.realmId, personId: who.id },
        { realmMax: realm.dailyQuota, personMax: realm.personQuota },
        { also: ({ shortId }) => auditLog.part(audit(who.realmId, who.id, 'code_issued', shortId)) },
      );
    },

    lookup: (who: Me, shortId: string) => authority.realmCode(who.realmId, shortId),

    void: (who: Me, shortId: string): Promise<boolean> =>
      authority.voidRealmCode(who.realmId, shortId, {
        also: auditLog.part(audit(who.realmId, who.id, 'code_voided', shortId.trim().toUpperCase())),
      }),

    /** Per day of the last `days`: codes issued, used, expired unused, voided. */
    async stats(
      who: Me,
      days = 14,
    ): Promise<{ date: string; day: number; issued: number; used: number; expired: number; voided: number }[]> {
      const today = now() - (now() % 86400);
      const from = today - (days - 1) * 86400;
      const rows = await authority.realmCodeDays(who.realmId, from);
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
  };
}
