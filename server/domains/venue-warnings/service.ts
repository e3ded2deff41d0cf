/**
 * Issue 31: venue warnings that do not come from a diagnosed visitor's upload (docs/protocol.md §10
 * "Venue warning codes"): a venue owner's, with a one-time code the health authority issued, at the
 * code's level. Published with the next batch like any other (§9), in the "PrTCB003" body.
 *
 * Wrong codes follow the upload codes' rules (§10 "Guessing codes"): no lock-out — every request's
 * code is checked on its own — and each wrong one is counted for the operators' alarm.
 */
import type { VenueWarningResponse } from '../../../shared/api/types';
import { validateVenueWarning, venueWarningWindow, VENUE_WARNING_MAX_AGE_S } from '../../../shared/api/venue-warning';
import { encodeWarningNote, WARNING_LEVELS, WARNING_SOURCES, type VenueWarning, type WarningLevel } from '../../../shared/protocol/batch';
import { fromHex, toHex, utf8Decode } from '../../../shared/protocol/codec';
import { findRegion } from '../../../shared/regions';
import { PrtcError } from '../../../shared/errors';
import { BUILD_REGIONS, UNKNOWN_REGION, type RegionList } from '../../../shared/regions';
import type { Clock } from '../../clock';
import type { Secrets } from '../../secrets';
import { venueCodeHash } from '../authority/service';
import type { UploadTargets } from '../uploads/repository';
import type { TxPart, VenueWarningsRepository } from './repository';

const CODE_MESSAGES = {
  unknown: 'this venue warning code is not known; check it and try again',
  expired: 'this venue warning code has expired; ask the health authority for a new one',
  used: 'this venue warning code has already been used',
} as const;

export function createVenueWarningsService(deps: {
  repo: VenueWarningsRepository;
  secrets: Secrets;
  clock: Clock;
  /** Counts a wrong code (the uploads' per-minute table, the alarm every instance shares). */
  recordWrongCode?: (now: number) => Promise<void>;
  onWrongCode?: () => void;
  regions?: RegionList;
  /** §15: warnings go to the national chain too, as uploads' check-ins do (NATIONAL_CHAIN). */
  nationalChain?: boolean;
}) {
  const { repo, secrets, clock } = deps;
  /** As an upload's check-ins: the region named (region 1 when none), and the national chain while it is on or when none is named. */
  const targetsOf = (region: number | null): UploadTargets => ({
    national: (deps.nationalChain ?? true) || region === null,
    regions: [region ?? UNKNOWN_REGION],
  });
  return {
    /** POST /v1/venue-warnings: redeems the code and stores the warning, or throws and changes nothing. */
    async redeem(body: unknown): Promise<VenueWarningResponse> {
      const now = clock.now();
      const v = validateVenueWarning(body, now, deps.regions ?? BUILD_REGIONS);
      const warning = {
        locationIdHash: toHex(v.locationIdHash),
        startEnin: v.startEnin,
        endEnin: v.endEnin,
        source: WARNING_SOURCES.indexOf('owner'),
        level: null,
        note: null,
      };
      const r = await repo.accept(venueCodeHash(secrets, v.code), now, warning, targetsOf(v.region));
      if (!r.ok) {
        await deps.recordWrongCode?.(now).catch(() => undefined);
        deps.onWrongCode?.();
        throw new PrtcError(`code_${r.why}`, CODE_MESSAGES[r.why], 'code');
      }
      return { accepted: true, level: WARNING_LEVELS[r.level] as WarningLevel };
    },
    /**
     * The health authority's own warning (the portal, §12): no code; the level, a phone number and
     * one sentence per language as its staff chose them; a window of up to the 14 days phones keep.
     * `also` (the portal's audit row) commits with it. Throws and stores nothing when anything is wrong.
     */
    async warnAsAuthority(
      input: {
        locationIdHash: string;
        start: number;
        end: number;
        level: WarningLevel;
        tel?: string;
        text?: VenueWarning['text'];
        region?: number | null;
      },
      opts: { also?: TxPart } = {},
    ): Promise<{ startEnin: number; endEnin: number }> {
      const now = clock.now();
      const hash = fromHex(input.locationIdHash, 32, 'locationIdHash');
      const window = venueWarningWindow(input.start, input.end, now, VENUE_WARNING_MAX_AGE_S);
      const level = WARNING_LEVELS.indexOf(input.level);
      if (level < 1) throw new PrtcError('invalid_value', 'the level is inform, test or isolate', 'level');
      const note = encodeWarningNote({ tel: input.tel, text: input.text });
      const region = input.region ?? null;
      if (region !== null && !findRegion(deps.regions ?? BUILD_REGIONS, region))
        throw new PrtcError('invalid_region', `region: ${region} is not a region this server knows`, 'region');
      const warning = {
        locationIdHash: toHex(hash),
        ...window,
        source: WARNING_SOURCES.indexOf('authority'),
        level,
        note: note.length ? utf8Decode(note) : null,
      };
      await repo.accept(null, now, warning, targetsOf(region), opts.also);
      return window;
    },
  };
}

export type VenueWarningsService = ReturnType<typeof createVenueWarningsService>;
