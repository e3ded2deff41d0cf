/**
 * Issue 31, venue warnings in the portal: a realm's people issue venue warning codes for venue
 * owners (the authority's codes) and warn a venue themselves (the venue-warnings domain). Each in
 * one transaction with its audit row: who issued a code of which level; who warned which venue hash
 * — never a venue's name or link, which the server never receives (the browser sends the hash).
 */
import type { Clock } from '../../../clock';
import type { AuthorityService, VenueWarningLevel } from '../../authority/service';
import type { VenueWarningsService } from '../../venue-warnings/service';
import type { PortalRepository } from '../repository';
import { auditAt, type Me } from './common';

export function createVenuesService(deps: {
  repo: Pick<PortalRepository, 'audit'>;
  authority: AuthorityService;
  venueWarnings: VenueWarningsService;
  clock: Clock;
}) {
  const { authority, venueWarnings } = deps;
  const auditLog = deps.repo.audit;
  const audit = auditAt(deps.clock);
  return {
    issueVenueCode: (who: Me, level: VenueWarningLevel) =>
      authority.issueVenueWarningCode({ id: null, name: who.username, realmId: who.realmId, personId: who.id }, level, {
        also: auditLog.part(audit(who.realmId, who.id, 'venue_code_issued', level)),
      }),
    warnVenue: (who: Me, input: Parameters<VenueWarningsService['warnAsAuthority']>[0]) =>
      venueWarnings.warnAsAuthority(input, {
        also: auditLog.part(audit(who.realmId, who.id, 'venue_warned', `${input.level} ${input.locationIdHash.toLowerCase()}`)),
      }),
  };
}
