/**
 * The five domains over one database, wired together: the key server's whole behaviour, used alike
 * by the Koa app, the cloud functions, the admin CLI, the tests and the demo.
 *
 *   authority ──codes──▶ uploads ──pending keys──▶ publishing ──batches──▶ distribution
 *       │ └─venue warning codes──▶ venue-warnings ──pending warnings──▶ publishing
 *       ▲
 *   portal (realms, people, sessions, audit): issues and voids codes through the authority
 *   risk-config (the signed configuration, §6): served to phones; the operator's realm publishes advice through the portal
 */
import type { Clock } from '../clock';
import type { ServerConfig } from '../config';
import type { Database } from '../db/database';
import type { Secrets } from '../secrets';
import { createAuthorityRepository } from './authority/repository';
import { createAuthorityService } from './authority/service';
import { createDistributionRepository } from './distribution/repository';
import { createDistributionService } from './distribution/service';
import { createRegionDistribution } from './distribution/regions';
import { HeadRecordFile } from './publishing/head-record';
import { createPublishingRepository } from './publishing/repository';
import { createPublishingService } from './publishing/service';
import { createUploadsRepository } from './uploads/repository';
import { createUploadsService } from './uploads/service';
import { createPortalRepository } from './portal/repository';
import { createPortalService } from './portal/service';
import { createRegionPublishingRepository } from './publishing/region-repository';
import { createRegionPublisher, ReleaseRule } from './publishing/regions';
import { BUILD_REGIONS, type RegionList } from '../../shared/regions';
import { createRiskConfigRepository } from './risk-config/repository';
import { createRiskConfigService } from './risk-config/service';
import { createVenueWarningsRepository } from './venue-warnings/repository';
import { createVenueWarningsService } from './venue-warnings/service';

export function createServices(deps: {
  db: Database;
  secrets: Secrets;
  config: ServerConfig;
  clock: Clock;
  /** §15: the regions this server publishes by (the list it would serve in the signed configuration). */
  regions?: RegionList;
}) {
  const { db, secrets, config, clock } = deps;
  const regions = deps.regions ?? BUILD_REGIONS;
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
  // the signed configuration (issue 29): published by the operator, served to every phone
  const riskConfig = createRiskConfigService({ repo: createRiskConfigRepository(db), secrets, clock, regions });
  const uploadsRepo = createUploadsRepository(db);
  // issue 31: venue owners' warnings, with a code from the health authority
  const venueWarnings = createVenueWarningsService({
    repo: createVenueWarningsRepository(db),
    secrets,
    clock,
    recordWrongCode: (now) => uploadsRepo.recordWrongCode(now),
    regions,
    nationalChain: config.nationalChain,
  });
  const portal = createPortalService({
    repo: portalRepo,
    authority,
    riskConfig,
    venueWarnings,
    secrets,
    clock,
    config: {
      idleS: config.portalIdleMin * 60,
      lifetimeS: config.portalSessionHours * 3600,
      realmQuota: config.realmQuota,
      personQuota: config.personQuota,
    },
  });
  const uploads = createUploadsService({
    repo: uploadsRepo,
    codes: authorityRepo,
    secrets,
    clock,
    regions,
    nationalChain: config.nationalChain,
  });
  const distribution = createDistributionService({
    repo: createDistributionRepository(db),
    secrets,
    clock,
    statsGranularity: config.statsGranularity,
  });
  const regionDistribution = createRegionDistribution({
    repo: createDistributionRepository(db),
    clock,
    regions,
    nationalBody: (n) => distribution.batchBody(n),
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
    onPublished: () => {
      distribution.headChanged();
      regionDistribution.changed();
    },
    regions: createRegionPublisher({
      repo: createRegionPublishingRepository(db),
      secrets,
      clock,
      regions,
      rule: new ReleaseRule(config.regionMinKeys, config.regionReleaseS),
      maxBatchKeys: config.maxBatchKeys,
      headResignS: config.headResignS,
    }),
  });
  const maintenance = {
    /** Deletes codes past expiry and keys, warnings, batches and statistics older than 14 days. */
    async retention(): Promise<Record<string, number>> {
      const codes = await authority.prune();
      await portalRepo.logins.pruneSessions(clock.now() - config.portalIdleMin * 60, clock.now() - config.portalSessionHours * 3600);
      const pending = await uploads.prune();
      const published = await publishing.prune();
      if (published.batches || published.regionBatches) {
        distribution.invalidate();
        regionDistribution.invalidate();
      }
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
  return {
    authority,
    uploads,
    venueWarnings,
    publishing,
    distribution,
    regionDistribution,
    maintenance,
    portal,
    riskConfig,
    clock,
    config,
    regions,
  };
}

export type Services = ReturnType<typeof createServices>;
