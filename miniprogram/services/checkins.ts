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

  checkIn(v: ScannedVenue, minutes: number): Checkin {
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60)
      throw new PrtcError('invalid_value', 'a stay is 1 minute to 24 hours');
    const now = this.nowS();
    for (const c of this.list)
      if (!c.checkedOut) {
        c.checkedOut = true;
        c.checkOutAt = Math.min(c.checkOutAt, now);
      }
    let end = now + minutes * 60;
    if (v.venue.event && v.venue.validUntil) end = Math.min(end, v.venue.validUntil * 60);
    const c: Checkin = {
      id: `${now}-${toHex(v.venue.locationId).slice(0, 8)}`,
      locationId: toHex(v.venue.locationId),
      description: v.venue.description,
      format: v.venue.format,
      staff: v.venue.staff,
      checkInAt: now,
      checkOutAt: Math.max(end, now + 60),
      checkedOut: false,
    };
    this.list.push(c);
    this.save();
    return c;
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

  /** Matches published venue warnings against this phone's check-ins. */
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
        const overlap = Math.min(we, c.checkOutAt) - Math.max(ws, c.checkInAt);
        if (overlap > 0)
          found.push({
            day: dayInterval(enin(Math.max(ws, c.checkInAt))),
            minutes: Math.max(1, Math.round(overlap / 60)),
            venue: c.description,
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
