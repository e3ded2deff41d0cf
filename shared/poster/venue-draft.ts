/**
 * A venue as its owner types it — in the mini-program's "venue code" page, on the key server's
 * `/venue` page — checked field by field and turned into a §7 link. Everything happens where the
 * owner is: the name and the link never leave the phone or the browser.
 */
import { utf8Encode } from '../protocol/codec';
import { encodeVenuePayload, MAX_DESC_BYTES, VENUE_TYPES, venueUrl } from '../protocol/venue';
import { isRegionCode } from '../regions';
import type { PosterVenue } from './venue-text';

export interface VenueDraft {
  name: string;
  /** Index into §7's VENUE_TYPES. */
  venueType: number;
  /** The usual length of a visit, minutes (1–1440). */
  minutes: number;
  staff: boolean;
  event: boolean;
  /** An event's start and end, minutes since the epoch (null when not given). */
  fromMin: number | null;
  untilMin: number | null;
  /**
   * §15: the region the venue is in (a six-digit region code), which makes a version 0x02 code;
   * absent or null keeps making a version 0x01 code (the region not given).
   */
  region?: number | null;
}

export type DraftProblem =
  'name_empty' | 'name_too_long' | 'type_invalid' | 'minutes_invalid' | 'event_start_missing' | 'event_order' | 'region_invalid';

/** What each problem says, in both languages (the mini-program has its own words for all four of its languages). */
export const DRAFT_PROBLEM_WORDS: Record<DraftProblem, { zh: string; en: string }> = {
  name_empty: { zh: '请填写场所名称。', en: 'Enter the venue’s name.' },
  name_too_long: {
    zh: `场所名称最多 ${MAX_DESC_BYTES} 字节（一个汉字占 3 字节），请缩短。`,
    en: `The name may have at most ${MAX_DESC_BYTES} bytes (a Chinese character takes 3): shorten it.`,
  },
  type_invalid: { zh: '请选择场所类型。', en: 'Choose the kind of venue.' },
  minutes_invalid: { zh: '通常停留时间应为 1 至 1440 分钟。', en: 'The usual visit is 1 to 1440 minutes.' },
  event_start_missing: { zh: '请填写活动开始时间。', en: 'Enter when the event starts.' },
  event_order: { zh: '活动结束时间必须晚于开始时间。', en: 'The event must end after it starts.' },
  region_invalid: { zh: '请从列表中选择场所所在地区，或不填。', en: 'Choose the venue’s region from the list, or leave it out.' },
};

/** The name's size as §7 counts it: UTF-8 bytes of the trimmed name. */
export const nameBytes = (name: string): number => utf8Encode(name.trim()).length;
/** Bytes left for the name (negative when it is too long). */
export const nameBytesLeft = (name: string): number => MAX_DESC_BYTES - nameBytes(name);

/** Every problem of a draft, in the order of the form's fields (empty when it can be made). */
export function draftProblems(d: VenueDraft): DraftProblem[] {
  const out: DraftProblem[] = [];
  if (!d.name.trim()) out.push('name_empty');
  else if (nameBytes(d.name) > MAX_DESC_BYTES) out.push('name_too_long');
  if (!Number.isInteger(d.venueType) || d.venueType < 0 || d.venueType >= VENUE_TYPES.length) out.push('type_invalid');
  if (!Number.isInteger(d.minutes) || d.minutes < 1 || d.minutes > 1440) out.push('minutes_invalid');
  if (d.event) {
    if (d.fromMin === null || !Number.isFinite(d.fromMin)) out.push('event_start_missing');
    else if (d.untilMin !== null && d.untilMin <= d.fromMin) out.push('event_order');
  }
  if (d.region !== undefined && d.region !== null && !isRegionCode(d.region)) out.push('region_invalid');
  return out;
}

/**
 * The §7 link of a draft that has no problem (throws otherwise). `seed` is 16 random bytes: two
 * venues with the same name are still two venues.
 */
export function venueLinkOf(d: VenueDraft, seed: Uint8Array, host: string): string {
  const problems = draftProblems(d);
  if (problems.length) throw new Error(`venue draft: ${problems.join(', ')}`);
  const payload = encodeVenuePayload({
    venueType: d.venueType,
    staff: d.staff,
    event: d.event,
    validFrom: d.event ? d.fromMin! : 0,
    validUntil: d.event && d.untilMin !== null ? d.untilMin : 0,
    defaultMinutes: d.minutes,
    description: d.name.trim(),
    region: d.region ?? null,
    seed,
  });
  return venueUrl(host, payload);
}

/** What a poster shows of a draft (its text and times), in the shape the poster's words take. */
export function posterVenueOf(d: VenueDraft): PosterVenue {
  return {
    description: d.name.trim(),
    venueType: d.venueType,
    staff: d.staff,
    event: d.event,
    validFrom: d.event ? (d.fromMin ?? 0) : 0,
    validUntil: d.event ? (d.untilMin ?? 0) : 0,
    region: d.region ?? null,
  };
}
