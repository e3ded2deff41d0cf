/**
 * One language's suite: the story of tests/helpers/every-page.ts in that language, then every page
 * text checked for the language's script (tests/helpers/script.ts) and for the states that
 * confused people before: a consent message that stays after consent, "0/0", "0 min ago", a
 * status age before anything was computed; and every page titled in the language.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Language } from '../../miniprogram/host/types';
import { t } from '../../miniprogram/i18n';
import { DEFAULT_ADVICE } from '../../shared/risk/advice';
import { ADVICE_HOTLINE, ADVICE_LINK, renderEveryPage, type Rendered } from './every-page';
import { scriptProblems } from './script';
import { clockedStory } from './weapp';

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);

/** The fixed parts of a string with placeholders (what a page shows of it whatever the values). */
const pieces = (template: string) =>
  template
    .split(/\{\w+\}/)
    .map((p) => p.trim())
    .filter((p) => p.length > 1);

export function checkLanguage(lang: Language): void {
  const story = clockedStory(T0);
  let r: Rendered;

  test(`${lang}: the story renders every page in every state`, async () => {
    r = await renderEveryPage(lang, story, T0);
    // PRTC_PAGE_TEXTS=<dir>: every state's text kept for reading (the closing notes show them)
    if (process.env.PRTC_PAGE_TEXTS) {
      mkdirSync(process.env.PRTC_PAGE_TEXTS, { recursive: true });
      writeFileSync(join(process.env.PRTC_PAGE_TEXTS, `${lang}.json`), JSON.stringify(r.texts, null, 1) + '\n');
    }
    expect(Object.keys(r.texts).length).toBeGreaterThanOrEqual(32);
  }, 120000);

  test(`${lang}: every page text and every title in the language's script`, () => {
    const problems: string[] = [];
    for (const [key, text] of Object.entries(r.texts))
      for (const p of scriptProblems(lang, text, r.userData)) problems.push(`${key}: ${p}`);
    for (const title of r.titles) for (const p of scriptProblems(lang, title)) problems.push(`title "${title}": ${p}`);
    expect(problems).toEqual([]);
  });

  test(`${lang}: no state that confuses — stale consent message, 0/0, "0 min ago", a status age before any check`, () => {
    const all = Object.entries(r.texts);
    for (const [key, text] of all) {
      expect([key, /(^|\D)0\/0(\D|$)/.test(text)]).toEqual([key, false]);
      expect([key, text.includes(t(lang, 'lastSync', { age: t(lang, 'minutes', { n: 0 }) }))]).toEqual([key, false]);
      expect([key, text.includes(t(lang, 'statusAge', { age: t(lang, 'minutes', { n: 0 }) }))]).toEqual([key, false]);
    }
    expect(r.texts['home/checking']).toContain(t(lang, 'syncingStart'));
    expect(r.texts['home/needs-consent']).toContain(t(lang, 'needConsent'));
    expect(r.texts['home/after-consent']).not.toContain(t(lang, 'needConsent'));
    expect(r.texts['home/first-launch']).toContain(t(lang, 'neverSynced'));
    expect(r.texts['home/first-launch']).not.toContain(t(lang, 'statusAgeJustNow'));
    expect(r.texts['home/no-lists-yet']).toContain(t(lang, 'noBatchesYet'));
    expect(r.texts['home/no-lists-yet']).not.toContain(t(lang, 'needSyncForCode'));
  });

  test(`${lang}: the pages say what the story did`, () => {
    if (lang === 'en' || lang === 'zh_CN')
      process.stderr.write(
        `language-${lang}: home, green (no exposure yet):\n${r.texts['home/tracing']}\nhome, yellow:\n${r.texts['home/yellow']}\nhome, red:\n${r.texts['home/red']}\n`,
      );
    expect(r.texts['home/yellow']).toContain(t(lang, 'yellow'));
    expect(r.texts['home/red']).toContain(t(lang, 'red'));
    expect(r.texts['checkin/refused']).toContain(t(lang, 'vr_not_a_venue'));
    expect(r.texts['checkin/from-wechat-scanner']).toContain(r.userData[0]);
    expect(r.backTo).toBe('/pages/home/index');
    expect(r.texts['gate/valid']).toContain(t(lang, 'gateCannot'));
    expect(r.texts['report/unknown-code']).toContain(t(lang, 'codeUnknown'));
    expect(r.texts['report/from-link']).toContain(t(lang, 'codeFromLink'));
    expect(r.texts['venues/problems']).toContain(t(lang, 'venueErr_name_empty'));
    expect(r.texts['venues/problems']).toContain(t(lang, 'venueErr_event_start_missing'));
    expect(r.texts['venues/cannot-draw']).toContain(t(lang, 'venueCannotDraw'));
    expect(r.texts['venues/cannot-draw']).toContain(r.userData[0]); // kept in the list even so
    expect(r.texts['history/after-red']).toContain(t(lang, 'counts_yes'));
    // issue 32: a rescan extends the stay; a wrong correction says why; the diary of the day, copied
    for (const piece of pieces(t(lang, 'checkinExtended'))) expect(r.texts['checkin/extended']).toContain(piece);
    expect(r.texts['checkin/edit-refused']).toContain(t(lang, 'ce_checkout_before_checkin'));
    expect(r.texts['checkin/edit-refused']).toContain(t(lang, 'checkinManualHint'));
    expect(r.texts['diary/today']).toContain(t(lang, 'diaryIntro'));
    expect(r.texts['diary/today']).toContain(r.userData[0]);
    expect(r.texts['diary/refused']).toContain(t(lang, 'de_diary_person_empty'));
    expect(r.texts['diary/copied']).toContain(t(lang, 'diaryCopied'));
    expect(r.texts['diary/clipboard']).toContain(t(lang, 'diaryPersonLine', { name: r.userData[3] }));
    expect(r.texts['diary/clipboard']).toContain(t(lang, 'diaryPlaces'));
    // background tracing (issue 28): why foreground only, the refusal and its remedy, the limits, the warning
    expect(r.texts['home/foreground-only']).toContain(t(lang, 'trWhy_off'));
    expect(r.texts['settings/background-off']).toContain(t(lang, 'bgExplain'));
    expect(r.texts['settings/background-refused']).toContain(t(lang, 'host_background_denied'));
    expect(r.texts['settings/background-on']).toContain(t(lang, 'bgLimits_android'));
    expect(r.texts['home/background']).toContain(t(lang, 'trState_background'));
    for (const part of t(lang, 'checkOverdue').split('{age}')) expect(r.texts['home/check-overdue']).toContain(part);
    // regions (§15): without a home region the page says what choosing one saves; with one, what each region costs
    expect(r.texts['settings/no-home-region']).toContain(t(lang, 'homeRegionWhy'));
    expect(r.texts['settings/home-region']).toContain(t(lang, 'homeRegion', { region: '上海市' }));
    expect(r.texts['settings/home-region']).toContain(t(lang, 'regionsFollowed'));
    expect(r.texts['settings/home-region']).not.toContain(t(lang, 'regionCostUnknown', { region: '上海市' }));
    expect(r.texts['report/regions']).toContain('上海市');
    expect(r.texts['report/no-region']).toContain(t(lang, 'uploadRegionsNone'));
    // each check says how many published keys it compared and how many matched here
    for (const piece of pieces(t(lang, 'historySyncMatched'))) expect(r.texts['history/after-red']).toContain(piece);
    expect(r.texts['history/after-red']).toContain(t(lang, 'part_morning')); // the exposures are as coarse as the reasons
    // the explained status (issue 29): yellow and red each with why, until when, what turns it green, the advice
    const days14 = t(lang, 'turnsGreen', { days: 14 });
    for (const [state, level] of [
      ['home/yellow', 'yellow'],
      ['exposure/yellow', 'yellow'],
      ['home/red', 'red'],
      ['exposure/red', 'red'],
    ] as const) {
      const text = r.texts[state];
      expect([state, text.includes(t(lang, 'part_morning'))]).toEqual([state, true]); // 09:00–09:20 UTC, the zone of this run
      for (const piece of pieces(t(lang, 'untilGreen'))) expect([state, piece, text.includes(piece)]).toEqual([state, piece, true]);
      expect([state, text.includes(days14)]).toEqual([state, true]);
      expect([state, text.includes(DEFAULT_ADVICE[level][lang].now)]).toEqual([state, true]);
      expect([state, text.includes(t(lang, 'adviceBuiltIn'))]).toEqual([state, true]); // the server's default: nothing published yet
    }
    expect(r.texts['home/yellow']).toContain(t(lang, 'dur_under10')); // A: 5 minutes
    expect(r.texts['home/red']).toContain(t(lang, 'dur_10to30')); // C: 20 minutes
    expect(r.texts['home/red']).toContain(t(lang, 'close_near'));
    for (const piece of pieces(t(lang, 'untilOnCode'))) expect(r.texts['home/red']).toContain(piece); // beside the code a gate scans
    expect(r.texts['exposure/red']).toContain(t(lang, 'reasonCountsUntil').split('{time}')[0]);
    // the authority's own advice, signed, in this language; the configuration's version in settings
    expect(r.texts['home/red-advice']).toContain(DEFAULT_ADVICE.red[lang].now);
    expect(r.texts['home/red-advice']).toContain(t(lang, 'adviceHotline', { hotline: ADVICE_HOTLINE }));
    expect(r.texts['home/red-advice']).toContain(t(lang, 'adviceLink', { link: ADVICE_LINK }));
    expect(r.texts['home/red-advice']).toContain(t(lang, 'adviceFromAuthority', { serial: 2 }));
    expect(r.texts['settings/config']).toContain(t(lang, 'configVersion', { serial: 2 }));
    // a forged one: refused and said, on the home page and in settings; the advice kept
    const refused = t(lang, 'configRefused_bad_signature', { kept: t(lang, 'configShortVersion', { serial: 2 }) });
    expect(r.texts['home/config-refused']).toContain(refused);
    expect(r.texts['home/config-refused']).toContain(t(lang, 'adviceHotline', { hotline: ADVICE_HOTLINE }));
    expect(r.texts['settings/config-refused'].split(refused)).toHaveLength(2); // said once
    // the countdown's last hour, then green on its day, with nothing left to count down
    expect(r.texts['home/last-hour']).toContain(t(lang, 'leftToday', { age: t(lang, 'minutes', { n: 59 }) }));
    expect(r.texts['home/green-again']).toContain(t(lang, 'green'));
    expect(r.texts['home/green-again']).not.toContain(pieces(t(lang, 'untilGreen'))[0]);
    expect(r.texts['home/green-again']).toContain(DEFAULT_ADVICE.green[lang].now);
    // every page set its title, in this language
    // moving phones (§17): the refusal and the old phone's code, in this language
    expect(r.texts['move/bad-code']).toContain(t(lang, 'moveInBadCode'));
    expect(r.texts['move/out']).toContain(pieces(t(lang, 'moveCode'))[0]);
    for (const page of ['home', 'settings', 'exposure', 'checkin', 'gate', 'report', 'history', 'diary', 'move'])
      expect(r.titles).toContain(t(lang, `title_${page}` as Parameters<typeof t>[1]));
  });
}
