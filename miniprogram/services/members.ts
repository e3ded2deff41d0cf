/**
 * Family members on this phone (issue 32): dependants without a phone of their own — a nickname and
 * a colour, nothing else (no name, age or ID number). For each member the user marks when the member
 * was *not* with them; by default a member is always with the phone. A member's status is computed
 * by the same shared rules as the user's (shared/risk/status.ts) from the part of what this phone
 * matched that happened while the member was with it, plus the check-ins the member was a companion
 * of (docs/protocol.md §16).
 *
 * Never greener than what the phone knows (Hubei withdrew its "apply on behalf" service over
 * accuracy): an exposure counts for a member when any part of it touches a time the member was with
 * the phone, and one whose time the phone does not know (matches stored before that was recorded)
 * counts for its whole day. What the phone never saw — a child at school alone — is not traced, and
 * the app says so.
 */
import { PrtcError } from '../../shared/errors';
import type { BatchMatchesLike, BluetoothExposure, Span, VenueExposure } from '../../shared/risk/status';
import { ENIN_SECONDS, ROLLING_PERIOD, enin, retentionStart } from '../../shared/protocol/time';
import type { Host } from '../host/types';
import type { Checkin } from './checkins';
import { DeviceStorage, isNum, isObj } from './storage';

/**
 * At most this many members. A household in China has 2.62 people on average (7th census, 2020);
 * five members beside the user cover children with both sets of grandparents, and keep the gate's
 * "member k of n" within one small number. Each member costs one status computation per sync.
 */
export const MAX_MEMBERS = 5;
/** A nickname is 1–20 characters (code points): enough to tell "奶奶" from "Mia", too short for a full identity. */
export const MAX_NICKNAME = 20;
/** The colours a member can have (the app's palette, chosen for contrast against the white card). */
export const MEMBER_COLOURS = ['teal', 'orange', 'purple', 'blue', 'pink', 'brown'] as const;
export type MemberColour = (typeof MEMBER_COLOURS)[number];

export interface Member {
  id: string;
  nickname: string;
  colour: MemberColour;
  /** When the member was added (Unix s). */
  addedAt: number;
  /** Periods the member was not with this phone (Unix s, half-open); `to` null: still away. */
  away: { from: number; to: number | null }[];
}

const STORAGE_KEY = 'members';

function validMember(m: unknown): m is Member {
  return (
    isObj(m) &&
    typeof m.id === 'string' &&
    typeof m.nickname === 'string' &&
    MEMBER_COLOURS.includes(m.colour as MemberColour) &&
    isNum(m.addedAt) &&
    Array.isArray(m.away) &&
    m.away.every((a) => isObj(a) && isNum(a.from) && (a.to === null || (isNum(a.to) && a.to > a.from)))
  );
}

/** A trimmed nickname, or PrtcError('invalid_value') for an empty or too long one. */
export function checkNickname(nickname: unknown): string {
  const n = typeof nickname === 'string' ? nickname.trim() : '';
  if (n.length === 0 || [...n].length > MAX_NICKNAME) throw new PrtcError('invalid_value', `a nickname is 1 to ${MAX_NICKNAME} characters`);
  return n;
}

const overlaps = (a: Span, b: Span) => a.from < b.to && b.from < a.to;

/** When a matched Bluetooth exposure happened; its whole UTC day where the record does not say (§5). */
function spanOfBluetooth(e: BluetoothExposure): Span {
  if (e.eninFirst !== undefined && e.eninLast !== undefined)
    return { from: e.eninFirst * ENIN_SECONDS, to: (e.eninLast + 1) * ENIN_SECONDS };
  return { from: e.day * ENIN_SECONDS, to: (e.day + ROLLING_PERIOD) * ENIN_SECONDS };
}

/** When a matched venue exposure happened; its whole UTC day where the match does not say. */
function spanOfVenue(e: VenueExposure): Span {
  if (e.from !== undefined && e.to !== undefined) return { from: e.from, to: e.to };
  return { from: e.day * ENIN_SECONDS, to: (e.day + ROLLING_PERIOD) * ENIN_SECONDS };
}

/**
 * The times `m` was with the phone: everything outside its away periods, and — whatever those say —
 * every check-in it was a companion of (the user said so at the venue).
 */
export function withPhone(m: Member, checkins: readonly Checkin[]): (s: Span) => boolean {
  const companion = checkins.filter((c) => c.companions?.includes(m.id)).map((c) => ({ from: c.checkInAt, to: c.checkOutAt }));
  return (s) => {
    if (companion.some((c) => overlaps(c, s))) return true;
    // the span is with the phone unless away periods cover all of it
    let at = s.from;
    for (const a of [...m.away].sort((x, y) => x.from - y.from)) {
      const to = a.to ?? Infinity;
      if (a.from > at) break;
      if (to > at) at = to;
      if (at >= s.to) return false;
    }
    return at < s.to;
  };
}

/** What matching found that concerns member `m`: what happened while `m` was with the phone. */
export function matchesFor(m: Member, matched: BatchMatchesLike, checkins: readonly Checkin[]): BatchMatchesLike {
  const was = withPhone(m, checkins);
  return {
    bluetooth: matched.bluetooth.filter((e) => was(spanOfBluetooth(e))),
    venues: matched.venues.filter((e) => was(spanOfVenue(e))),
  };
}

export class MemberService {
  private list: Member[];

  constructor(
    private host: Host,
    private storage: DeviceStorage,
  ) {
    this.list =
      storage.getJson<Member[]>(STORAGE_KEY, (v) => (Array.isArray(v) && v.length <= MAX_MEMBERS && v.every(validMember) ? v : null)) ?? [];
  }

  private nowS(): number {
    return Math.floor(this.host.nowMs() / 1000);
  }

  private save(): void {
    this.storage.setJson(STORAGE_KEY, this.list);
  }

  private find(id: string): Member {
    const m = this.list.find((x) => x.id === id);
    if (!m) throw new PrtcError('not_found', 'no such family member');
    return m;
  }

  members(): Member[] {
    return this.list.map((m) => ({ ...m, away: m.away.map((a) => ({ ...a })) }));
  }

  /** Adds a member; PrtcError('invalid_value') for a bad nickname or colour, or beyond MAX_MEMBERS. Nothing stored then. */
  async add(nickname: string, colour: MemberColour): Promise<Member> {
    const n = checkNickname(nickname);
    if (!MEMBER_COLOURS.includes(colour)) throw new PrtcError('invalid_value', 'not one of the colours offered');
    if (this.list.length >= MAX_MEMBERS) throw new PrtcError('invalid_value', `at most ${MAX_MEMBERS} family members`);
    const r = await this.host.randomBytes(6);
    const id = [...r].map((b) => b.toString(16).padStart(2, '0')).join('');
    const m: Member = { id, nickname: n, colour, addedAt: this.nowS(), away: [] };
    this.list.push(m);
    this.save();
    return m;
  }

  remove(id: string): void {
    const before = this.list.length;
    this.list = this.list.filter((m) => m.id !== id);
    if (this.list.length !== before) this.save();
  }

  /**
   * Marks `id` as not with the phone from `from` to `to` (Unix s; `to` null: until the user says the
   * member is back). Not in the future, not before the retention window; PrtcError('invalid_value')
   * otherwise, nothing changed.
   */
  markAway(id: string, from: number, to: number | null): void {
    const m = this.find(id);
    const now = this.nowS();
    const oldest = retentionStart(enin(now)) * ENIN_SECONDS;
    if (!isNum(from) || from > now || from < oldest || (to !== null && (!isNum(to) || to <= from || to > now)))
      throw new PrtcError('invalid_value', 'a period away lies within the last 14 days and ends after it starts');
    if (to === null && m.away.some((a) => a.to === null)) throw new PrtcError('invalid_value', 'the member is already away');
    m.away.push({ from, to });
    this.save();
  }

  /** The member is with the phone again from now: closes the open period away. */
  back(id: string): void {
    const m = this.find(id);
    const now = this.nowS();
    const open = m.away.find((a) => a.to === null);
    if (!open) return;
    if (now > open.from) open.to = now;
    else m.away = m.away.filter((a) => a !== open);
    this.save();
  }

  /** Away periods that ended before the retention window say nothing any more. */
  retain(nowS: number): void {
    const oldest = retentionStart(enin(nowS)) * ENIN_SECONDS;
    let changed = false;
    for (const m of this.list) {
      const kept = m.away.filter((a) => a.to === null || a.to >= oldest);
      if (kept.length !== m.away.length) {
        m.away = kept;
        changed = true;
      }
    }
    if (changed) this.save();
  }

  clear(): void {
    this.list = [];
    this.storage.remove(STORAGE_KEY);
  }
}
