/**
 * The words of a venue poster for a §7 venue: its kind and, for an event, its time — in Chinese and
 * English. Times are local to the venue: the caller says how to read a moment (`parts`), since
 * the command line, the phone and the browser each know their own time zone.
 */
import type { Venue } from '../protocol/venue';
import { BUILD_REGIONS, findRegion, PROVINCES, provinceOf } from '../regions';
import type { PosterText } from './layout';

/** The §7 venue types (shared/protocol/venue.ts VENUE_TYPES, same order) as the poster names them. */
export const VENUE_TYPE_NAMES: readonly { zh: string; en: string }[] = [
  { zh: '其他场所', en: 'Other' },
  { zh: '商店', en: 'Shop' },
  { zh: '餐厅', en: 'Restaurant' },
  { zh: '工作场所', en: 'Workplace' },
  { zh: '学校', en: 'School' },
  { zh: '公共建筑', en: 'Public building' },
  { zh: '交通', en: 'Transport' },
  { zh: '活动', en: 'Event' },
  { zh: '医疗机构', en: 'Healthcare' },
];

/** A moment's local date and time, as the caller's time zone reads it, and that zone's name (e.g. "UTC+08:00"). */
export type LocalParts = (unixMs: number) => { y: number; mo: number; d: number; h: number; mi: number; zone: string };

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * §15: the region a version 0x02 code reports to, as its province and prefecture name it
 * ("江苏省苏州市"; a municipality once: "上海市"). The built list has no English names, so the English
 * line gives the code. Null for a code without a region, or one this build does not list.
 */
function regionLine(region: number | null | undefined): { zh: string; en: string } | null {
  if (region === null || region === undefined) return null;
  const r = findRegion(BUILD_REGIONS, region);
  if (!r) return null;
  const province = findRegion(PROVINCES, provinceOf(region));
  const name = province && province.zh !== r.zh ? `${province.zh}${r.zh}` : r.zh;
  return { zh: `所在地区：${name}`, en: `Region ${region}` };
}

/** What a poster shows of a venue: its words, its kind, an event's times, and (§15) the region of a version 0x02 code. */
export type PosterVenue = Pick<Venue, 'description' | 'venueType' | 'staff' | 'event' | 'validFrom' | 'validUntil'> & {
  region?: number | null;
};

export function posterText(venue: PosterVenue, parts: LocalParts): PosterText {
  const type = VENUE_TYPE_NAMES[venue.venueType] ?? VENUE_TYPE_NAMES[0];
  const details: PosterText['details'] = [
    venue.staff
      ? { zh: `${type.zh} · 员工码（覆盖整个班次）`, en: `${type.en} · staff code (covers a shift)` }
      : { zh: type.zh, en: type.en },
  ];
  if (venue.event && venue.validFrom) {
    const a = parts(venue.validFrom * 60_000);
    const from = { zh: `${a.mo}月${a.d}日 ${pad(a.h)}:${pad(a.mi)}`, en: `${a.y}-${pad(a.mo)}-${pad(a.d)} ${pad(a.h)}:${pad(a.mi)}` };
    let to = { zh: '', en: '' };
    if (venue.validUntil) {
      const b = parts(venue.validUntil * 60_000);
      const sameDay = a.y === b.y && a.mo === b.mo && a.d === b.d;
      to = sameDay
        ? { zh: `${pad(b.h)}:${pad(b.mi)}`, en: `${pad(b.h)}:${pad(b.mi)}` }
        : { zh: `${b.mo}月${b.d}日 ${pad(b.h)}:${pad(b.mi)}`, en: `${b.y}-${pad(b.mo)}-${pad(b.d)} ${pad(b.h)}:${pad(b.mi)}` };
    }
    details.push({ zh: `活动时间 ${from.zh} – ${to.zh}（${a.zone}）`, en: `Event ${from.en} – ${to.en} (${a.zone})` });
  }
  // the owner checks before printing that the code reports to the right region; a visitor sees it too
  const region = regionLine(venue.region);
  if (region) details.push(region);
  return { title: venue.description, details };
}
