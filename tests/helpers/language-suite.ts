/**
 * One language's suite: the story of tests/helpers/every-page.ts in that language, then every page
 * text checked for the language's script (tests/helpers/script.ts) and for the states that
 * confused people before: a consent message that stays after consent, "0/0", "0 min ago", a
 * status age before anything was computed; and every page titled in the language.
 */
import type { Language } from '../../miniprogram/host/types';
import { t } from '../../miniprogram/i18n';
import { renderEveryPage, type Rendered } from './every-page';
import { scriptProblems } from './script';
import { clockedStory } from './weapp';

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);

export function checkLanguage(lang: Language): void {
  const story = clockedStory(T0);
  let r: Rendered;

  test(`${lang}: the story renders every page in every state`, async () => {
    r = await renderEveryPage(lang, story, T0);
    expect(Object.keys(r.texts).length).toBeGreaterThanOrEqual(25);
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
    // every page set its title, in this language
    for (const page of ['home', 'settings', 'exposure', 'checkin', 'gate', 'report', 'history'])
      expect(r.titles).toContain(t(lang, `title_${page}` as Parameters<typeof t>[1]));
  });
}
