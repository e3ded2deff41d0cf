/**
 * The health-authority portal (issue 20): people of a realm log in, issue upload codes, look them up
 * and void them; a realm's admins manage its people, API keys, quotas and second factor, and read
 * its statistics and audit log. Nothing here knows HTTP (server/http/portal/ renders it).
 *
 * One service per concern (services/): logins (links, passwords, sessions, the second factor),
 * people, codes (through the authority), the realm, and the health authority's advice (through the
 * signed configuration, issue 29); this is the one portal the rest of the server sees, all together.
 */
import type { Clock } from '../../clock';
import type { Secrets } from '../../secrets';
import type { AuthorityService } from '../authority/service';
import type { RiskConfigService } from '../risk-config/service';
import type { PortalRepository } from './repository';
import { createAdviceService } from './services/advice';
import { createCodesService } from './services/codes';
import type { PortalConfig } from './services/common';
import { createLoginsService } from './services/logins';
import { createPeopleService } from './services/people';
import { createRealmService } from './services/realm';
import { createVenuesService } from './services/venues';
import type { VenueWarningsService } from '../venue-warnings/service';

export type { Me, PortalConfig, Role } from './services/common';
export type { LoginResult } from './services/logins';
export type { PersonView } from './services/people';
export type { AuditEntry } from './services/realm';
export type { PublicationView } from './services/advice';

export function createPortalService(deps: {
  repo: PortalRepository;
  authority: AuthorityService;
  riskConfig: RiskConfigService;
  venueWarnings: VenueWarningsService;
  secrets: Secrets;
  clock: Clock;
  config: PortalConfig;
}) {
  const { repo, authority, riskConfig, venueWarnings, secrets, clock, config } = deps;
  return {
    ...createLoginsService({ repo, secrets, clock, config }),
    ...createPeopleService({ repo, clock, config }),
    ...createCodesService({ repo, authority, clock }),
    ...createRealmService({ repo, authority, clock }),
    ...createAdviceService({ repo, riskConfig, clock }),
    ...createVenuesService({ repo, authority, venueWarnings, clock }),
  };
}

export type PortalService = ReturnType<typeof createPortalService>;
