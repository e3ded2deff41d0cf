/**
 * Family members on this phone (issue 32, services/members.ts): adding, renaming and removing them,
 * marking when one was not with the phone, and what pages show of each — the status by the user's
 * own rules over what happened while the member was with the phone, the reasons, and the periods
 * away (what the member's code cannot know).
 */
import { PrtcError } from '../../shared/errors';
import { matchesFor, MAX_MEMBERS, type Member, type MemberColour } from '../services/members';
import type { DeviceCore } from './core';
import { done, refused, type Outcome } from './outcome';
import type { MemberView } from './view';

export class MemberActions {
  constructor(private readonly core: DeviceCore) {}

  /** What pages show of every member, in the order added; the status computed now from the stored matches. */
  static derive(core: DeviceCore): MemberView[] {
    const list = core.members.members();
    if (list.length === 0) return [];
    const now = core.nowS();
    const matched = core.sync.matched();
    const checkins = core.checkins.checkins();
    // what the status looks back on: away periods older than that change nothing any more
    const since = now - Math.floor(core.status.riskConfig.exposureDays + 1) * 86400;
    return list.map((m, k) => {
      const s = core.status.statusOf(now, matchesFor(m, matched, checkins));
      return {
        id: m.id,
        nickname: m.nickname,
        colour: m.colour,
        position: k + 1,
        count: list.length,
        status: s.status,
        reasons: s.reasons,
        greenAt: s.greenAt,
        awayNow: m.away.some((a) => a.to === null),
        awayPeriods: m.away.filter((a) => (a.to ?? now) > since).sort((a, b) => b.from - a.from),
      };
    });
  }

  private failed(e: unknown): Outcome<never> {
    const code = e instanceof PrtcError ? e.code : 'internal_error';
    return refused(code, this.core.text(code === 'not_found' ? 'memberGone' : 'memberInvalid'));
  }

  async add(nickname: string, colour: MemberColour): Promise<Outcome<Member>> {
    if (this.core.members.members().length >= MAX_MEMBERS)
      return refused('invalid_value', this.core.text('memberTooMany', { n: MAX_MEMBERS }));
    try {
      const m = await this.core.members.add(nickname, colour);
      this.core.emit();
      return done(m);
    } catch (e) {
      return this.failed(e);
    }
  }

  remove(id: string): void {
    this.core.members.remove(id);
    this.core.emit();
  }

  /** The member was not with the phone from `from` to `to` (Unix s; `to` null: still away). */
  markAway(id: string, from: number, to: number | null): Outcome {
    try {
      this.core.members.markAway(id, from, to);
      this.core.emit();
      return done(null);
    } catch (e) {
      return this.failed(e);
    }
  }

  /** The member is with the phone again, from now. */
  back(id: string): void {
    try {
      this.core.members.back(id);
    } catch {
      return; // removed meanwhile: nothing to do
    }
    this.core.emit();
  }
}
