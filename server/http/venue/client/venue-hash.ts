/**
 * Issue 31, in the browser: a venue's link → what a warning sends. The link (and the description in
 * it) stays in the page; only `SHA-256(locationId)` (§7) and the venue's region (§15) leave it.
 */
import { toBase64url, toHex } from '../../../../shared/protocol/codec';
import { parseVenueUrl } from '../../../../shared/protocol/venue';

export interface VenueTarget {
  hashHex: string;
  hashBase64url: string;
  region: number | null;
}

/** The venue a link names, or null when it is not a PrTC venue link. */
export function venueTarget(link: string): VenueTarget | null {
  try {
    const v = parseVenueUrl(link.trim());
    if (v.format !== 'prtc') return null;
    return { hashHex: toHex(v.locationIdHash), hashBase64url: toBase64url(v.locationIdHash), region: v.region };
  } catch {
    return null;
  }
}

/** A `datetime-local` value in the browser's time zone → Unix seconds, or null. */
export function localToUnix(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const t = new Date(value).getTime();
  return Number.isFinite(t) ? Math.floor(t / 1000) : null;
}
