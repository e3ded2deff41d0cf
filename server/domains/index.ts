/**
 * The five domains over one database, wired together: the key server's whole behaviour, used alike
 * by the Koa app, the cloud functions, the admin CLI, the tests and the demo.
 *
 *   authority ──codes──▶ uploads ──pending keys──▶ publishing ──batches──▶ distribution
 *       ▲
 *   portal (realms, people, sessions, audit): issues and voids codes through the authority
 */
import type { RiskConfig } from '../../shared/risk/config';
import type { Clock } from '../clock';
import type { ServerConfig } from '../config';
import type { Database } from '../db/database';
import type { Secrets } from '../secrets';
import { createAuthorityRepository } from './authority/repository';
import { createAuthorityService } from './authority/service';
import { createDistributionRepository } from './distribution/repository';
import { createDistributionService } from './distribution/service';
import { HeadRecordFile } from './publishing/head-record';
import { createPublishingRepository } from './publishing/repository';
import { createPublishingService } from './publishing/service';
import { createUploadsRepository } from './uploads/repository';
import { createUploadsService } from './uploads/service';
import { createPortalRepository } from './portal/repository';
import { createPortalService } from './portal/service';

export function createServices(deps: { db: Database; secrets: Secrets; config: ServerConfig; clock: Clock; riskConfig?: RiskConfig }) {
  const { db, secrets, config, clock } = deps;
  const authorityRepo = createAuthorityRepository(db);
  const portalRepo = createPortalRepository(db);
  const authority = createAuthorityService({
    repo: authorityRepo,
    secrets,
    clock,
    codeLifetimeS: config.codeLifetimeS,
    maxLiveCodes: config.maxLiveCodes,
    // a realm's API keys issue under the realm's daily quota
    realmQuota: async (realmId) => {
      const r = await portalRepo.realms.byId(realmId);
      return r ? { realmMax: r.dailyQuota } : undefined;
    },
  });
  const portal = createPortalService({
    repo: portalRepo,
    authority,
    secrets,
    clock,
    config: {
      idleS: config.portalIdleMin * 60,
      lifetimeS: config.portalSessionHours * 3600,
      realmQuota: config.realmQuota,
      personQuota: config.personQuota,
    },
  });
  const uploads = createUploadsService({ repo: createUploadsRepository(db), codes: authorityRepo, secrets, clock });
  const distribution = createDistributionService({
    repo: createDistributionRepository(db),
    secrets,
    clock,
    statsGranularity: config.statsGranularity,
    riskConfig: deps.riskConfig,
  });
  const publishing = createPublishingService({
    repo: createPublishingRepository(db),
    secrets,
    clock,
    minBatchKeys: config.minBatchKeys,
    maxBatchKeys: config.maxBatchKeys,
    headResignS: config.headResignS,
    record: new HeadRecordFile(config.dataDir),
    exclusive: (fn) => db.exclusive('prtc-publish', fn),
    onPublished: () => distribution.headChanged(),
  });
  const maintenance = {
    /** Deletes codes past expiry and keys, warnings, batches and statistics older than 14 days. */
    async retention(): Promise<Record<string, number>> {
      const codes = await authority.prune();
      await portalRepo.logins.pruneSessions(clock.now() - config.portalIdleMin * 60, clock.now() - config.portalSessionHours * 3600);
      const pending = await uploads.prune();
      const published = await publishing.prune();
      if (published.batches) distribution.invalidate();
      return { codes, ...pending, ...published };
    },
    /** Throws when the database cannot answer within 1.5 s or cannot write (full, read-only, vanished). */
    ready: () => db.ready(),
    /** The brute-force alarm: wrong codes in the last minute, over the configured level, or null. */
    async wrongCodeAlarm(): Promise<number | null> {
      const n = await uploads.wrongCodes(1);
      return n > config.wrongCodeAlarm ? n : null;
    },
  };
  return { authority, uploads, publishing, distribution, maintenance, portal, clock, config };
}

export type Services = ReturnType<typeof createServices>;
