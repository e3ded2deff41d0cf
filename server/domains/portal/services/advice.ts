/**
 * The health authority's advice (issue 29), published by the admins of the operator's realm from
 * the portal, or by the operator's CLI: a new publication of the signed configuration (§6) whose
 * advice section is the form's, everything else as in force. Every publication is audited in the
 * operator's realm (the CLI's too, once that realm is named) in the publication's own transaction.
 */
import { PrtcError } from '../../../../shared/errors';
import { parseAdviceSection, type Advice } from '../../../../shared/risk/advice';
import type { RiskConfigV2 } from '../../../../shared/risk/config-v2';
import type { Clock } from '../../../clock';
import type { RiskConfigService } from '../../risk-config/service';
import type { PortalRepository } from '../repository';
import { auditAt, type Me } from './common';

/** A publication as the portal lists it: who made it (a username of the operator's realm, "—" for the CLI). */
export interface PublicationView {
  serial: number;
  publishedAt: number;
  by: string | null;
}

export function createAdviceService(deps: {
  repo: Pick<PortalRepository, 'audit' | 'realms' | 'people'>;
  riskConfig: RiskConfigService;
  clock: Clock;
}) {
  const { riskConfig } = deps;
  const { audit: auditLog, realms, people } = deps.repo;
  const audit = auditAt(deps.clock);

  const mayPublish = (who: Me) => who.role === 'admin' && who.operator;
  const forbidden = () => new PrtcError('forbidden', "only admins of the operator's realm publish advice");

  return {
    mayPublishAdvice: mayPublish,

    /** The configuration in force and its latest publications (admins of the operator's realm). */
    async adviceInForce(who: Me): Promise<{ config: RiskConfigV2; publications: PublicationView[] }> {
      if (!mayPublish(who)) throw forbidden();
      const names = new Map((await people.ofRealm(who.realmId)).map((p) => [p.id!, p.username]));
      const publications = (await riskConfig.publications(20)).map((p) => ({
        serial: p.serial,
        publishedAt: p.publishedAt,
        by: p.personId === null ? null : (names.get(p.personId) ?? `#${p.personId}`),
      }));
      return { config: await riskConfig.current(), publications };
    },

    /** The configuration in force with this advice in place: what would be published (throws invalid_config naming the field). */
    async adviceDraft(who: Me, advice: unknown): Promise<RiskConfigV2> {
      if (!mayPublish(who)) throw forbidden();
      return { ...(await riskConfig.current()), advice: parseAdviceSection(advice) };
    },

    /** Publishes the advice (the rest as in force), audited; returns the new serial. */
    async publishAdvice(who: Me, advice: Advice): Promise<number> {
      if (!mayPublish(who)) throw forbidden();
      const draft = { ...(await riskConfig.current()), advice: parseAdviceSection(advice) };
      const r = await riskConfig.publish(draft, { realmId: who.realmId, personId: who.id }, (serial) =>
        auditLog.part(audit(who.realmId, who.id, 'advice_published', `configuration ${serial}`)),
      );
      return r.serial;
    },

    /** The operator's CLI publishes a whole configuration; audited in the operator's realm when one is named. */
    async publishConfigFromCli(draft: RiskConfigV2): Promise<{ serial: number; issuedAt: number; audited: boolean }> {
      const op = await realms.operator();
      const r = await riskConfig.publish(
        draft,
        null,
        op ? (serial) => auditLog.part(audit(op.id!, null, 'config_published', `configuration ${serial}`)) : undefined,
      );
      return { ...r, audited: op !== null };
    },
  };
}
