/**
 * Venue check-ins (§7): scan a venue code with the host's scanner, check in for an expected stay,
 * check out automatically at its end or earlier by hand. The location id and the description never
 * leave the phone; an upload carries only SHA-256(locationId) and 10-minute intervals derived the
 * way the Corona-Warn-App derives them. Warnings from published batches are matched here.
 */
import type { CheckinJson } from '../../shared/api/types';
import { MAX_CHECKINS_PER_DAY } from '../../shared/api/upload';
import type { VenueWarning } from '../../shared/protocol/batch';
import { fromHex, toBase64url, toHex } from '../../shared/protocol/codec';
import { sha256Bytes } from '../../shared/protocol/crypto';
import { PrtcError } from '../../shared/errors';
import type { VenueExposure } from '../../shared/risk/status';
import { dayInterval, ENIN_SECONDS, enin, retentionStart, ROLLING_PERIOD } from '../../shared/protocol/time';
import { parseVenueUrl, venueValidity, venueValidityProblem, type Venue } from '../../shared/protocol/venue';
import { HostError } from '../host/errors';
import { localMidnight, nextLocalMidnight } from './tracing-time';
import type { Host } from '../host/types';
import { DeviceStorage, isNum, isObj } from './storage';

export interface Checkin {
  id: string;
  locationId: string; // hex, never uploaded
  description: string;
  format: 'prtc' | 'cwa';
  staff: boolean;
  checkInAt: number; // Unix s
  checkOutAt: number; // Unix s (planned until checked out)
  checkedOut: boolean;
  /** Uploaded by this phone in a report: its own warning must not warn it. */
  reported?: boolean;
  /** §15: the venue's region, when its code carries one (version 2); the phone then follows it for 14 days. */
  region?: number | null;
  /** Issue 32: the family members (services/members.ts ids) checked in together with the user. */
  companions?: string[];
  /** Entered by hand from a photographed or shared venue link (issue 32), not scanned at the venue. */
  manual?: boolean;
  /** Its times were corrected by hand afterwards (issue 32). */
  edited?: boolean;
  /**
   * Issue 31: the §7 venue type its own code carries (a PrTC code only: a Corona-Warn-App code's
   * types are another list), which chooses how many warnings must overlap the stay. Missing in
   * check-ins of earlier releases: type 0's threshold then.
   */
  venueType?: number;
}

/**
 * Why a check-in cannot be corrected or entered by hand (issue 32); the phone's words for each are
 * `ce_<code>` in i18n/strings/checkins.ts. Nothing is changed when one is thrown.
 */
export type CheckinProblem =
  | 'checkin_unknown'
  | 'checkin_reported'
  | 'checkout_before_checkin'
  | 'time_in_future'
  | 'outside_day'
  | 'too_old'
  | 'venue_not_then'
  | 'checkin_overlaps';

export class CheckinRefusal extends Error {
  constructor(
    readonly code: CheckinProblem,
    message: string,
  ) {
    super(message);
    this.name = 'CheckinRefusal';
  }
}

/** A check-in, and whether it was an open stay at the same venue that a new scan extended. */
export interface CheckinResult {
  checkin: Checkin;
  extended: boolean;
}

export interface ScannedVenue {
  venue: Venue;
  choices: number[];
  defaultMinutes: number;
}

/** Quick choices offered for the expected stay (minutes). */
export const STAY_CHOICES = [30, 60, 90, 120];
export const STAFF_SHIFT_MINUTES = 8 * 60;
/** Uploads are padded with fake check-ins up to a multiple of this. */
export const CHECKIN_PADDING_STEP = 10;

/**
 * The Corona-Warn-App's published derivation of a check-in for upload: drop stays under 10
 * minutes; extend stays of up to 30 minutes by their own length and longer ones by 30 minutes;
 * round out to 10-minute intervals; split at UTC midnight.
 */
export function deriveUploadIntervals(checkInAt: number, checkOutAt: number): { startEnin: number; endEnin: number }[] {
  const minutes = (checkOutAt - checkInAt) / 60;
  if (minutes < 10) return [];
  const extended = checkOutAt + Math.min(minutes, 30) * 60;
  const start = Math.floor(checkInAt / ENIN_SECONDS);
  const end = Math.ceil(extended / ENIN_SECONDS);
  const out: { startEnin: number; endEnin: number }[] = [];
  for (let s = start; s < end;) {
    const dayEnd = dayInterval(s) + ROLLING_PERIOD;
    const e = Math.min(end, dayEnd);
    out.push({ startEnin: s, endEnin: e });
    s = e;
  }
  return out;
}

/** What an upload carries of the check-ins: the entries to send, and which check-ins they came from. */
export interface CheckinUpload {
  entries: CheckinJson[];
  ids: string[];
}

export class CheckinService {
  private list: Checkin[];

  constructor(
    private host: Host,
    private storage: DeviceStorage,
  ) {
    this.list =
      storage.getJson<Checkin[]>('checkins', (v) =>
        Array.isArray(v) &&
        v.every(
          (c) =>
            isObj(c) &&
            typeof c.locationId === 'string' &&
            /^[0-9a-f]{64}$/.test(c.locationId) &&
            isNum(c.checkInAt) &&
            isNum(c.checkOutAt),
        )
          ? (v as Checkin[])
          : null,
      ) ?? [];
  }

  private nowS(): number {
    return Math.floor(this.host.nowMs() / 1000);
  }

  private save(): void {
    this.storage.setJson('checkins', this.list);
  }

  /** Check-ins of the last 14 days, newest first, with automatic check-out applied. */
  checkins(): Checkin[] {
    const now = this.nowS();
    let changed = false;
    for (const c of this.list) {
      if (!c.checkedOut && c.checkOutAt <= now) {
        c.checkedOut = true;
        changed = true;
      }
    }
    if (changed) this.save();
    return [...this.list].sort((a, b) => b.checkInAt - a.checkInAt);
  }

  current(): Checkin | null {
    return this.checkins().find((c) => !c.checkedOut) ?? null;
  }

  /** Opens the scanner; returns the venue and stay choices, or throws with a reason (nothing stored). */
  async scan(): Promise<ScannedVenue> {
    let text: string;
    try {
      text = await this.host.scanCode();
    } catch (e) {
      throw e instanceof HostError ? e : new HostError('unknown');
    }
    return this.inspect(text);
  }

  /** Checks a scanned text; throws PrtcError with a reason for foreign, damaged or expired codes. */
  inspect(text: string): ScannedVenue {
    const venue = parseVenueUrl(text);
    const why = venueValidity(venue, this.nowS());
    if (why) throw new PrtcError(why, venueValidityProblem(venue, this.nowS())!);
    const defaultMinutes = venue.staff ? Math.max(venue.defaultMinutes, STAFF_SHIFT_MINUTES) : venue.defaultMinutes;
    const choices = [...new Set([defaultMinutes, ...STAY_CHOICES])].sort((a, b) => a - b);
    return { venue, choices, defaultMinutes };
  }

  /**
   * Checks in for `minutes`. Scanning the venue of the open stay again extends that stay (its end
   * moves to now + `minutes` when later; never a second check-in at the same place, issue 32); any
   * other open stay is ended now. A stay already uploaded in a report is never extended: a new one begins.
   * `companions`: family members checked in with the user (issue 32); a venue warning reaches each of them.
   */
  checkIn(v: ScannedVenue, minutes: number, companions: string[] = []): CheckinResult {
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60)
      throw new PrtcError('invalid_value', 'a stay is 1 minute to 24 hours');
    const now = this.nowS();
    const locationId = toHex(v.venue.locationId);
    let end = now + minutes * 60;
    if (v.venue.event && v.venue.validUntil) end = Math.min(end, v.venue.validUntil * 60);
    end = Math.max(end, now + 60);
    const open = this.checkins().find((c) => !c.checkedOut && c.locationId === locationId && !c.reported);
    if (open) {
      open.checkOutAt = Math.max(open.checkOutAt, end);
      // members who came along on the rescan join the stay; none leaves it
      if (companions.length) open.companions = [...new Set([...(open.companions ?? []), ...companions])];
      this.save();
      return { checkin: open, extended: true };
    }
    for (const c of this.list)
      if (!c.checkedOut) {
        c.checkedOut = true;
        c.checkOutAt = Math.min(c.checkOutAt, now);
      }
    const c: Checkin = {
      id: `${now}-${locationId.slice(0, 8)}`,
      locationId,
      description: v.venue.description,
      format: v.venue.format,
      staff: v.venue.staff,
      checkInAt: now,
      checkOutAt: end,
      checkedOut: false,
      region: v.venue.region,
      ...(companions.length ? { companions: [...new Set(companions)] } : {}),
      ...(v.venue.format === 'prtc' ? { venueType: v.venue.venueType } : {}),
    };
    this.list.push(c);
    this.save();
    return { checkin: c, extended: false };
  }

  /**
   * Corrects a check-in's times afterwards (issue 32): both within the local day the stay began,
   * check-out after check-in and not in the future; the stay is then over. A check-in already
   * uploaded in a report cannot change (the server holds what was sent). Unknown fields are kept.
   */
  edit(id: string, checkInAt: number, checkOutAt: number): Checkin {
    const c = this.list.find((x) => x.id === id);
    if (!c) throw new CheckinRefusal('checkin_unknown', 'no such check-in');
    if (c.reported) throw new CheckinRefusal('checkin_reported', 'this check-in was uploaded in a report');
    this.checkTimes(checkInAt, checkOutAt);
    const day = localMidnight(c.checkInAt);
    if (checkInAt < day || checkOutAt > nextLocalMidnight(day))
      throw new CheckinRefusal('outside_day', 'both times must lie on the day the stay began');
    c.checkInAt = checkInAt;
    c.checkOutAt = checkOutAt;
    c.checkedOut = true;
    c.edited = true;
    this.save();
    return c;
  }

  /**
   * A check-in entered by hand for a venue whose code was photographed or shared (issue 32): its
   * link, and the times of a stay that is over, on one local day, inside the 14-day retention window.
   * Refused when it overlaps a check-in at the same venue (no duplicates).
   */
  addManual(link: string, checkInAt: number, checkOutAt: number): Checkin {
    const venue = parseVenueUrl(link.trim());
    this.checkTimes(checkInAt, checkOutAt);
    const now = this.nowS();
    if (checkInAt < retentionStart(enin(now)) * ENIN_SECONDS) throw new CheckinRefusal('too_old', 'older than the 14-day retention window');
    if (checkOutAt > nextLocalMidnight(checkInAt)) throw new CheckinRefusal('outside_day', 'a stay entered by hand lies on one day');
    if (
      venue.event &&
      ((venue.validUntil && checkInAt > venue.validUntil * 60) || (venue.validFrom && checkOutAt < (venue.validFrom - 60) * 60))
    )
      throw new CheckinRefusal('venue_not_then', 'the event did not take place at that time');
    const locationId = toHex(venue.locationId);
    if (this.checkins().some((c) => c.locationId === locationId && c.checkInAt < checkOutAt && checkInAt < c.checkOutAt))
      throw new CheckinRefusal('checkin_overlaps', 'a check-in at this venue already covers part of that time');
    const c: Checkin = {
      id: `${checkInAt}-${locationId.slice(0, 8)}-m`,
      locationId,
      description: venue.description,
      format: venue.format,
      staff: venue.staff,
      checkInAt,
      checkOutAt,
      checkedOut: true,
      region: venue.region,
      manual: true,
      ...(venue.format === 'prtc' ? { venueType: venue.venueType } : {}),
    };
    this.list.push(c);
    this.save();
    return c;
  }

  private checkTimes(checkInAt: number, checkOutAt: number): void {
    if (!Number.isInteger(checkInAt) || !Number.isInteger(checkOutAt)) throw new PrtcError('invalid_value', 'times are whole seconds');
    if (checkOutAt > this.nowS() || checkInAt > this.nowS()) throw new CheckinRefusal('time_in_future', 'a time lies in the future');
    if (checkOutAt <= checkInAt) throw new CheckinRefusal('checkout_before_checkin', 'the check-out is not after the check-in');
  }

  checkOut(id: string): void {
    const c = this.list.find((x) => x.id === id);
    if (!c || c.checkedOut) return;
    c.checkOutAt = Math.max(c.checkInAt, Math.min(c.checkOutAt, this.nowS()));
    c.checkedOut = true;
    this.save();
  }

  /** How many check-ins an upload would offer (before derivation and padding). */
  count(): number {
    return this.checkins().length;
  }

  /** After an upload that carried them succeeded: these check-ins must never warn this phone. */
  markReported(ids: string[]): void {
    if (ids.length === 0) return;
    for (const c of this.list) if (ids.includes(c.id)) c.reported = true;
    this.save();
  }

  /** Upload entries: real check-ins derived as CWA does (≤ 20 a day), padded with fakes. */
  async forUpload(nowS: number): Promise<CheckinUpload> {
    const oldest = retentionStart(enin(nowS));
    const real: CheckinJson[] = [];
    const ids: string[] = [];
    const perDay = new Map<number, number>();
    for (const c of this.checkins()) {
      const hash = toBase64url(sha256Bytes(fromHex(c.locationId)));
      const end = c.checkedOut ? c.checkOutAt : Math.min(c.checkOutAt, nowS);
      for (const iv of deriveUploadIntervals(c.checkInAt, end)) {
        const day = dayInterval(iv.startEnin);
        if (day < oldest || iv.startEnin > enin(nowS)) continue;
        const n = perDay.get(day) ?? 0;
        if (n >= MAX_CHECKINS_PER_DAY) continue;
        perDay.set(day, n + 1);
        real.push({ locationIdHash: hash, ...iv });
        if (!ids.includes(c.id)) ids.push(c.id);
      }
    }
    if (real.length === 0) return { entries: [], ids };
    const target = Math.ceil(real.length / CHECKIN_PADDING_STEP) * CHECKIN_PADDING_STEP;
    const pool = await this.host.randomBytes(40 * (target + real.length + 1));
    let at = 0;
    const random = (n: number) => {
      const r = pool.subarray(at, at + n);
      at += n;
      return r;
    };
    const out = [...real];
    const today = dayInterval(enin(nowS));
    for (let k = real.length; k < target; k++) {
      const r = random(36);
      const day = today - ROLLING_PERIOD * (r[32] % 14);
      if ((perDay.get(day) ?? 0) >= MAX_CHECKINS_PER_DAY) continue;
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
      const start = day + (r[33] % 132);
      out.push({
        locationIdHash: toBase64url(r.subarray(0, 32)),
        startEnin: Math.min(start, enin(nowS)),
        endEnin: Math.min(start, enin(nowS)) + 1 + (r[34] % 6),
      });
    }
    // shuffle so fakes are not recognisable by position
    for (let k = out.length - 1; k > 0; k--) {
      const j = random(1)[0] % (k + 1);
      [out[k], out[j]] = [out[j], out[k]];
    }
    return { entries: out, ids };
  }

  /**
   * Matches published venue warnings against this phone's check-ins: each overlap names its check-in
   * and the venue type, and carries the warning's level, source, number and sentence (issue 31), for
   * the status rules to count the warnings of one stay together.
   */
  match(warnings: VenueWarning[]): VenueExposure[] {
    if (!warnings.length || !this.list.length) return [];
    const byHash = new Map<string, Checkin[]>();
    for (const c of this.list) {
      if (c.reported) continue;
      const h = toHex(sha256Bytes(fromHex(c.locationId)));
      byHash.set(h, [...(byHash.get(h) ?? []), c]);
    }
    const found: VenueExposure[] = [];
    for (const w of warnings) {
      const cs = byHash.get(toHex(w.locationIdHash));
      if (!cs) continue;
      const ws = w.startEnin * ENIN_SECONDS;
      const we = w.endEnin * ENIN_SECONDS;
      for (const c of cs) {
        const from = Math.max(ws, c.checkInAt);
        const to = Math.min(we, c.checkOutAt);
        if (to > from)
          found.push({
            day: dayInterval(enin(from)),
            minutes: Math.max(1, Math.round((to - from) / 60)),
            venue: c.description,
            from,
            to,
            checkin: c.id,
            ...(c.venueType !== undefined ? { venueType: c.venueType } : {}),
            ...(w.level ? { level: w.level } : {}),
            ...(w.source ? { source: w.source } : {}),
            ...(w.tel ? { tel: w.tel } : {}),
            ...(w.text ? { text: { ...w.text } } : {}),
          });
      }
    }
    return found;
  }

  retain(nowS: number): void {
    const oldest = retentionStart(enin(nowS)) * ENIN_SECONDS;
    const before = this.list.length;
    this.list = this.list.filter((c) => c.checkOutAt >= oldest);
    if (this.list.length !== before) this.save();
  }

  clear(): void {
    this.list = [];
    this.storage.remove('checkins');
  }
}
