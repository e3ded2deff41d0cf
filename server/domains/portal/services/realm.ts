/** A realm's administration: its settings (quotas, a required second factor), its API keys, its audit log. */
import { PrtcError } from '../../../../shared/errors';
import type { Clock } from '../../../clock';
import type { AuthorityService } from '../../authority/service';
import type { PortalRepository, RealmSettings } from '../repository';
import { auditAt, type Me } from './common';

/** One line of the audit log. */
export interface AuditEntry {
  at: number;
  actorId: number | null;
  action: string;
  subject: string | null;
}

export function createRealmService(deps: { repo: Pick<PortalRepository, 'realms' | 'audit'>; authority: AuthorityService; clock: Clock }) {
  const { authority, clock } = deps;
  const { realms, audit: auditLog } = deps.repo;
  const now = () => clock.now();
  const audit = auditAt(clock);

  return {
    /** A realm's id by its name (for the CLI's API keys); null when there is no such realm. */
    realmId: async (realmName: string): Promise<number | null> => (await realms.byName(realmName))?.id ?? null,

    realm: (who: Me) => realms.byId(who.realmId),

    /** The operator's realm's name (issue 29), or null while none is named. */
    operatorRealm: async (): Promise<string | null> => (await realms.operator())?.name ?? null,

    /** The operator's CLI names its realm (whose admins publish advice in the portal); false when there is no such realm. */
    async setOperatorRealm(realmName: string): Promise<boolean> {
      const r = await realms.byName(realmName);
      if (!r) return false;
      await realms.setOperator(r.id!, audit(r.id!, null, 'operator_realm', r.name));
      return true;
    },

    async updateRealm(who: Me, patch: { requireTotp?: boolean; dailyQuota?: number; personQuota?: number }): Promise<void> {
      const clean: RealmSettings = {};
      if (patch.requireTotp !== undefined) clean.requireTotp = patch.requireTotp ? 1 : 0;
      for (const k of ['dailyQuota', 'personQuota'] as const) {
        const v = patch[k];
        if (v === undefined) continue;
        if (!Number.isInteger(v) || v < 0 || v > 100000)
          throw new PrtcError('invalid_value', 'a quota is a whole number from 0 to 100000', k);
        clean[k] = v;
      }
      const settings = Object.entries(clean)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      await realms.update(who.realmId, clean, audit(who.realmId, who.id, 'realm_settings', settings));
    },

    async apiKeys(who: Me) {
      return (await authority.listTokens(who.realmId)).filter((t) => t.realmId === who.realmId);
    },

    createApiKey: (who: Me, name: string): Promise<string> =>
      authority.createToken(name.trim(), who.realmId, {
        also: auditLog.part(audit(who.realmId, who.id, 'api_key_created', name.trim())),
      }),

    revokeApiKey: (who: Me, name: string): Promise<{ voided: number } | null> =>
      authority.revokeToken(name.trim(), who.realmId, {
        also: auditLog.part(audit(who.realmId, who.id, 'api_key_revoked', name.trim())),
      }),

    auditLog: async (who: Me, limit = 200): Promise<AuditEntry[]> =>
      (await auditLog.log(who.realmId, limit)).map((e) => ({ at: e.at, actorId: e.actorId, action: e.action, subject: e.subject })),
    failedLoginsToday: (who: Me) => auditLog.failedLoginsSince(who.realmId, now() - (now() % 86400)),
  };
}
