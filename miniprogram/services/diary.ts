/**
 * The private diary (issue 32): for each local day of the retention window, the people the user
 * wrote in and free notes. What the phone already knows of a day (its check-ins, the venue codes
 * made on it, exposures) is not copied here: the device reads it from its own services when it
 * shows or exports a day (device/diary.ts). Kept on this phone only, under `prtc.diary`; never
 * uploaded; deleted with everything else and, day by day, when a day leaves the window.
 *
 * Bounds: WeChat keeps at most 1 MB per key and 10 MB in all
 * (developers.weixin.qq.com/miniprogram/dev/api/storage/wx.setStorageSync.html: "单个 key 允许存储的
 * 最大数据长度为 1MB，所有数据存储上限为 10MB"). With 15 days of at most 30 people of 40 characters
 * and 1,000 characters of notes, the key holds at most 15 × (30 × 40 + 1,000) = 33,000 characters
 * of text — under 100 KB even at three UTF-8 bytes each, JSON and the envelope included — so the
 * diary can never crowd out the encounter log.
 */
import { DeviceStorage, isObj } from './storage';
import { localDay } from './tracing-time';

/** Today and the 14 local days before it (the retention window, §1, in the user's own days). */
export const DIARY_DAYS = 15;
export const MAX_PEOPLE_PER_DAY = 30;
export const MAX_PERSON_CHARS = 40;
export const MAX_NOTE_CHARS = 1000;

export interface DiaryEntry {
  people: string[];
  notes: string;
}

/** Why a diary change was refused (the phone's words: `de_<code>`); nothing changes when one is thrown. */
export type DiaryProblem =
  | 'diary_day_outside'
  | 'diary_person_empty'
  | 'diary_person_too_long'
  | 'diary_person_twice'
  | 'diary_too_many_people'
  | 'diary_note_too_long';

export class DiaryRefusal extends Error {
  constructor(
    readonly code: DiaryProblem,
    message: string,
  ) {
    super(message);
    this.name = 'DiaryRefusal';
  }
}

const KEY = 'diary';
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Characters as people count them (a Chinese character or an emoji is one). */
const length = (s: string) => Array.from(s).length;

function validEntry(e: unknown): e is DiaryEntry {
  return (
    isObj(e) &&
    Array.isArray(e.people) &&
    e.people.length <= MAX_PEOPLE_PER_DAY &&
    e.people.every((p) => typeof p === 'string' && length(p) <= MAX_PERSON_CHARS) &&
    typeof e.notes === 'string' &&
    length(e.notes) <= MAX_NOTE_CHARS
  );
}

export class DiaryService {
  private days: Record<string, DiaryEntry>;

  constructor(private readonly storage: DeviceStorage) {
    this.days =
      storage.getJson<Record<string, DiaryEntry>>(KEY, (v) =>
        isObj(v) && v.v === 1 && isObj(v.days) && Object.entries(v.days).every(([d, e]) => DAY.test(d) && validEntry(e))
          ? (v.days as Record<string, DiaryEntry>)
          : null,
      ) ?? {};
  }

  /** The local days of the window, newest first ('2026-11-20', …). */
  window(nowS: number): string[] {
    const out: string[] = [];
    const d = new Date(nowS * 1000);
    for (let k = 0; k < DIARY_DAYS; k++) {
      const day = new Date(d.getFullYear(), d.getMonth(), d.getDate() - k, 12);
      out.push(localDay(Math.floor(day.getTime() / 1000)));
    }
    return out;
  }

  entry(day: string): DiaryEntry {
    const e = this.days[day];
    return e ? { people: [...e.people], notes: e.notes } : { people: [], notes: '' };
  }

  addPerson(day: string, name: string, nowS: number): DiaryEntry {
    this.inWindow(day, nowS);
    const person = name.trim().replace(/\s+/g, ' ');
    if (!person) throw new DiaryRefusal('diary_person_empty', 'write a name or a description');
    if (length(person) > MAX_PERSON_CHARS) throw new DiaryRefusal('diary_person_too_long', `at most ${MAX_PERSON_CHARS} characters`);
    const e = this.entry(day);
    if (e.people.includes(person)) throw new DiaryRefusal('diary_person_twice', 'already written in on that day');
    if (e.people.length >= MAX_PEOPLE_PER_DAY) throw new DiaryRefusal('diary_too_many_people', `at most ${MAX_PEOPLE_PER_DAY} a day`);
    e.people.push(person);
    return this.put(day, e);
  }

  removePerson(day: string, index: number, nowS: number): DiaryEntry {
    this.inWindow(day, nowS);
    const e = this.entry(day);
    if (!Number.isInteger(index) || index < 0 || index >= e.people.length) return e;
    e.people.splice(index, 1);
    return this.put(day, e);
  }

  setNotes(day: string, text: string, nowS: number): DiaryEntry {
    this.inWindow(day, nowS);
    const notes = text.trim();
    if (length(notes) > MAX_NOTE_CHARS) throw new DiaryRefusal('diary_note_too_long', `at most ${MAX_NOTE_CHARS} characters`);
    const e = this.entry(day);
    e.notes = notes;
    return this.put(day, e);
  }

  /** Drops the days that left the window. */
  retain(nowS: number): void {
    const keep = new Set(this.window(nowS));
    const old = Object.keys(this.days).filter((d) => !keep.has(d));
    if (old.length === 0) return;
    for (const d of old) delete this.days[d];
    this.save();
  }

  clear(): void {
    this.days = {};
    this.storage.remove(KEY);
  }

  private inWindow(day: string, nowS: number): void {
    if (!this.window(nowS).includes(day)) throw new DiaryRefusal('diary_day_outside', 'the diary keeps today and the 14 days before');
  }

  private put(day: string, e: DiaryEntry): DiaryEntry {
    const next = { ...this.days };
    if (e.people.length === 0 && e.notes === '') delete next[day];
    else next[day] = e;
    // written first, kept in memory only once stored: a full storage changes nothing (HostError 'storage_full')
    this.storage.setJson(KEY, { v: 1, days: next });
    this.days = next;
    return this.entry(day);
  }

  private save(): void {
    if (Object.keys(this.days).length === 0) this.storage.remove(KEY);
    else this.storage.setJson(KEY, { v: 1, days: this.days });
  }
}
