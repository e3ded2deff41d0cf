/**
 * The private diary (issue 32): each local day of the retention window with what the phone knows
 * of it — the check-ins, the venue codes made on this phone, whether an exposure was found on it —
 * and what the user wrote in (people, notes: services/diary.ts). Exported as text only by the user,
 * to the clipboard (Host.setClipboardData), for instance to show a contact tracer; nothing of it is
 * uploaded.
 */
import { enin } from '../../shared/protocol/time';
import { explainExposure } from '../../shared/risk/explain';
import { exposureHistory } from '../../shared/risk/status';
import { hostErrorCode } from '../host/errors';
import { calendarDayText, clockText } from '../i18n/dates';
import { DiaryRefusal, type DiaryEntry } from '../services/diary';
import type { DeviceCore } from './core';
import { done, refused, type Outcome } from './outcome';

/** A place of the day: a check-in (scanned or by hand), or a venue code made on this phone. */
export interface DiaryPlace {
  kind: 'checkin' | 'own';
  venue: string;
  from: number;
  /** The end of a stay (null for a venue code made). */
  to: number | null;
}

export interface DiaryDay {
  /** The local day, '2026-11-20'. */
  date: string;
  /** The day as the user reads it: "Fri 20 Nov". */
  label: string;
  places: DiaryPlace[];
  people: string[];
  notes: string;
  /** An exposure (someone nearby, or at a venue, who later tested positive) was found on this day. */
  risk: boolean;
}

const startOf = (date: string): number => {
  const [y, m, d] = date.split('-').map(Number);
  return Math.floor(new Date(y, m - 1, d).getTime() / 1000);
};
const endOf = (date: string): number => {
  const [y, m, d] = date.split('-').map(Number);
  return Math.floor(new Date(y, m - 1, d + 1).getTime() / 1000);
};

export class DiaryActions {
  constructor(private readonly core: DeviceCore) {}

  /** Every day of the window, newest first, filled in where the phone knows. */
  days(): DiaryDay[] {
    const core = this.core;
    const now = core.nowS();
    const checkins = core.checkins.checkins();
    const own = core.venueCodes.list();
    const riskDays = new Set(
      exposureHistory(core.sync.matched(), core.status.riskConfig, enin(now))
        .map((e) => explainExposure(e).on)
        .map((on) => `${on.y}-${String(on.m).padStart(2, '0')}-${String(on.d).padStart(2, '0')}`),
    );
    return core.diary.window(now).map((date) => {
      const from = startOf(date);
      const to = endOf(date);
      const places: DiaryPlace[] = [
        ...checkins
          .filter((c) => c.checkInAt < to && c.checkOutAt > from)
          .map((c) => ({
            kind: 'checkin' as const,
            venue: c.description,
            from: c.checkInAt,
            to: c.checkedOut ? c.checkOutAt : Math.min(c.checkOutAt, now),
          })),
        ...own
          .filter((v) => v.createdAt >= from && v.createdAt < to)
          .map((v) => ({ kind: 'own' as const, venue: v.draft.name, from: v.createdAt, to: null })),
      ].sort((a, b) => a.from - b.from);
      const d = new Date(from * 1000);
      const label = calendarDayText(core.view.lang, { m: d.getMonth() + 1, d: d.getDate(), weekday: d.getDay() });
      return { date, label, places, ...core.diary.entry(date), risk: riskDays.has(date) };
    });
  }

  addPerson(date: string, name: string): Outcome<DiaryEntry> {
    return this.attempt(() => this.core.diary.addPerson(date, name, this.core.nowS()));
  }

  removePerson(date: string, index: number): Outcome<DiaryEntry> {
    return this.attempt(() => this.core.diary.removePerson(date, index, this.core.nowS()));
  }

  setNotes(date: string, text: string): Outcome<DiaryEntry> {
    return this.attempt(() => this.core.diary.setNotes(date, text, this.core.nowS()), 'diaryNotesSaved');
  }

  /** The diary as text: one day, or (null) every day with something in it, newest first. */
  exportText(date: string | null): string {
    const days = this.days().filter((d) =>
      date === null ? d.places.length + d.people.length > 0 || d.notes !== '' || d.risk : d.date === date,
    );
    if (days.length === 0) return this.core.text('diaryExportEmpty');
    return days.map((d) => this.dayText(d)).join('\n\n');
  }

  /** Copies the diary (one day, or every day) to the clipboard: the user's own act, nothing is uploaded. */
  async copy(date: string | null): Promise<Outcome<string>> {
    const core = this.core;
    const text = this.exportText(date);
    try {
      await core.host.setClipboardData(text);
    } catch (e) {
      const code = hostErrorCode(e);
      return refused(code, code === 'cancelled' ? null : core.text('diaryCopyFailed', { reason: core.hostText(e) }));
    }
    return done(text, core.text('diaryCopied'));
  }

  private dayText(d: DiaryDay): string {
    const t = (key: Parameters<DeviceCore['text']>[0], p?: Record<string, string | number>) => this.core.text(key, p);
    const lines = [t('diaryExportTitle', { day: d.label })];
    if (d.risk) lines.push(t('diaryRiskLine'));
    lines.push(t('diaryPlaces'));
    if (d.places.length === 0) lines.push(t('diaryNone'));
    for (const p of d.places)
      lines.push(
        p.kind === 'own'
          ? t('diaryOwnLine', { time: clockText(p.from), venue: p.venue })
          : t('diaryPlaceLine', { from: clockText(p.from), to: clockText(p.to ?? p.from), venue: p.venue }),
      );
    lines.push(t('diaryPeople'));
    if (d.people.length === 0) lines.push(t('diaryNone'));
    for (const name of d.people) lines.push(t('diaryPersonLine', { name }));
    if (d.notes) lines.push(t('diaryNotesLine', { notes: d.notes }));
    return lines.join('\n');
  }

  private attempt(act: () => DiaryEntry, doneKey?: 'diaryNotesSaved'): Outcome<DiaryEntry> {
    let e: DiaryEntry;
    try {
      e = act();
    } catch (err) {
      if (err instanceof DiaryRefusal) return refused(err.code, this.core.text(`de_${err.code}`));
      return refused(hostErrorCode(err), this.core.hostText(err));
    }
    this.core.emit();
    return done(e, doneKey ? this.core.text(doneKey) : null);
  }
}
