/**
 * Issue 31, warn on behalf (docs/protocol.md §10 "Venue warning codes"): the checks of
 * POST /v1/venue-warnings, the same on the server and in any client that wants to say what is wrong
 * before it sends. The window is in Unix seconds; the warning the server publishes covers every
 * 10-minute interval (§1) it touches.
 */
import { fromBase64url } from '../protocol/codec';
import { PrtcError } from '../errors';
import { ENIN_SECONDS } from '../protocol/time';
import { normalizeCode } from './code';
import { asObject, onlyFields, stringField, uint32Field } from './json';
import { BUILD_REGIONS, findRegion, type RegionList } from '../regions';

/** How far back a window may start: the phones' 14 days of check-ins (§7). */
export const VENUE_WARNING_MAX_AGE_S = 14 * 86400;
/** How long one window may be: a day; a longer outbreak is several warnings, each decided on its own. */
export const VENUE_WARNING_MAX_LENGTH_S = 86400;
/** A window may end this far past the server's clock (the owner's phone or browser may run ahead). */
export const VENUE_WARNING_CLOCK_SLACK_S = 300;

export interface ValidVenueWarning {
  code: string;
  locationIdHash: Uint8Array;
  startEnin: number;
  endEnin: number;
  /** §15: the venue code's region (a version-0x02 venue), when the client sent one. */
  region: number | null;
}

/**
 * Checks a request at `now` (Unix s): the code's format, a 32-byte hash, a window that ends after it
 * starts, at most VENUE_WARNING_MAX_LENGTH_S long, starting at most 14 days back and not ending in
 * the future; a region this server knows. Throws PrtcError naming the field.
 */
export function validateVenueWarning(body: unknown, now: number, known: RegionList = BUILD_REGIONS): ValidVenueWarning {
  const o = asObject(body, '');
  onlyFields(o, ['code', 'locationIdHash', 'start', 'end', 'region']);
  const code = normalizeCode(stringField(o, 'code', 'code'));
  const locationIdHash = fromBase64url(stringField(o, 'locationIdHash', 'locationIdHash'), 32, 'locationIdHash');
  const { startEnin, endEnin } = venueWarningWindow(uint32Field(o, 'start', 'start'), uint32Field(o, 'end', 'end'), now);
  let region: number | null = null;
  if (o.region !== undefined) {
    region = uint32Field(o, 'region', 'region');
    if (!findRegion(known, region)) throw new PrtcError('invalid_region', `region: ${region} is not a region this server knows`, 'region');
  }
  return { code, locationIdHash, startEnin, endEnin, region };
}

/** What can be wrong with a warning's window, in the order it is checked. */
export type VenueWindowProblem = 'order' | 'too_long' | 'too_old' | 'future';

/**
 * What is wrong with a window (Unix s, half-open) at `now`, or null: it ends after it starts, is at
 * most `maxLength` long, starts at most 14 days back and ends at most `slack` seconds past `now`. The
 * server checks with VENUE_WARNING_CLOCK_SLACK_S; a phone checking its own clock may allow less.
 */
export function venueWarningWindowProblem(
  start: number,
  end: number,
  now: number,
  maxLength = VENUE_WARNING_MAX_LENGTH_S,
  slack = VENUE_WARNING_CLOCK_SLACK_S,
): VenueWindowProblem | null {
  if (!Number.isInteger(start) || !Number.isInteger(end) || end <= start) return 'order';
  if (end - start > maxLength) return 'too_long';
  if (start < now - VENUE_WARNING_MAX_AGE_S) return 'too_old';
  if (end > now + slack) return 'future';
  return null;
}

/**
 * A window's checks at `now`, and the intervals it covers (`startEnin = ⌊start / 600⌋`, `endEnin =
 * ⌈end / 600⌉`). `maxLength`: an owner's window is at most a day; the authority's (the portal) may
 * span the 14 days phones keep.
 */
export function venueWarningWindow(
  start: number,
  end: number,
  now: number,
  maxLength = VENUE_WARNING_MAX_LENGTH_S,
): { startEnin: number; endEnin: number } {
  const problem = venueWarningWindowProblem(start, end, now, maxLength);
  if (problem === 'order') throw new PrtcError('invalid_interval', 'the window must end after it starts', 'end');
  if (problem === 'too_long') throw new PrtcError('invalid_interval', `the window may be at most ${maxLength / 3600} hours long`, 'end');
  if (problem === 'too_old') throw new PrtcError('invalid_interval', 'the window may start at most 14 days ago', 'start');
  if (problem === 'future') throw new PrtcError('invalid_interval', 'the window may not end in the future', 'end');
  return { startEnin: Math.floor(start / ENIN_SECONDS), endEnin: Math.ceil(end / ENIN_SECONDS) };
}
