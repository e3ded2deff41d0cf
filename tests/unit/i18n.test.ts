/**
 * Every interface string, in every language, in its own script (OpenCC's tables decide which
 * characters are Simplified and which Traditional); the Traditional tables are what the generator
 * writes; WeChat's language settings map to the right one; dates read as people write them.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STRING_TABLES, STRINGS, type StringKey } from '../../miniprogram/i18n/strings';
import { t } from '../../miniprogram/i18n';
import { languageOf, type Language } from '../../miniprogram/host/types';
import { renderHant } from '../../tools/gen-hant';
import { scriptProblems } from '../helpers/script';

const LANGS: Language[] = ['en', 'zh_CN', 'zh_TW', 'zh_HK'];

test.each(LANGS)('every string in %s is in its script', (lang) => {
  const problems: string[] = [];
  for (const key of Object.keys(STRINGS) as StringKey[]) for (const p of scriptProblems(lang, t(lang, key))) problems.push(`${key}: ${p}`);
  expect(problems).toEqual([]);
});

test('each key is defined in one feature table only (a second one would silently replace the first)', () => {
  const seen = new Map<string, string[]>();
  for (const [table, strings] of Object.entries(STRING_TABLES))
    for (const key of Object.keys(strings)) seen.set(key, [...(seen.get(key) ?? []), table]);
  expect([...seen].filter(([, tables]) => tables.length > 1)).toEqual([]);
  expect(seen.size).toBe(Object.keys(STRINGS).length);
});

test('zh_TW and zh_HK are not the Simplified text, and differ where Taiwan and Hong Kong do', () => {
  expect(t('zh_TW', 'settings')).toBe('設定');
  expect(t('zh_HK', 'settings')).toBe('設置');
  expect(t('zh_TW', 'host_network')).toMatch(/網路/);
  expect(t('zh_HK', 'host_network')).toMatch(/網絡/);
  expect(t('zh_TW', 'host_location_off')).toMatch(/「位置資訊」/); // corner quotes, as both write
});

test('_hant.gen.ts is exactly what tools/gen-hant.ts writes from strings.ts', () => {
  expect(readFileSync(join(__dirname, '../../miniprogram/i18n/_hant.gen.ts'), 'utf8')).toBe(renderHant());
});

test("WeChat's language settings → the interface language", () => {
  expect(['zh_CN', 'zh_TW', 'zh_HK', 'zh_MO', 'zh_SG', 'zh', 'en', 'en_US', 'ja', ''].map(languageOf)).toEqual([
    'zh_CN',
    'zh_TW',
    'zh_HK',
    'zh_HK',
    'zh_CN',
    'zh_CN',
    'en',
    'en',
    'en',
    'en',
  ]);
});

test('placeholders are the same in every language', () => {
  const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  // (dateFmt is the one string whose parts differ by language: "{d} {mon}" and "{m}月{d}日")
  for (const key of (Object.keys(STRINGS) as StringKey[]).filter((k) => k !== 'dateFmt'))
    for (const lang of LANGS) expect([key, lang, names(t(lang, key))]).toEqual([key, lang, names(STRINGS[key].en)]);
});

/** Runs the date functions in a Node process with the time zone `tz` (jest's own process keeps its zone). */
function inZone(tz: string, calls: string): unknown {
  const code = `const d = require(${JSON.stringify(join(__dirname, '../../miniprogram/i18n/dates.ts'))}); process.stdout.write(JSON.stringify(${calls}))`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { env: { ...process.env, TZ: tz }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

test('Beijing: "until 16:00 UTC" is midnight the next day; a §1 day keeps its date in every zone', () => {
  const at = Date.UTC(2026, 10, 28, 16, 0) / 1000; // 2026-11-29 00:00 in Beijing
  const now = Date.UTC(2026, 10, 28, 10, 0) / 1000; // 18:00 the day before, in Beijing
  const day = Date.UTC(2026, 10, 20) / 1000 / 600;
  expect(
    inZone(
      'Asia/Shanghai',
      `[d.timeText('zh_CN', ${at}, ${now}), d.timeText('en', ${at}, ${now}), d.timeText('zh_CN', ${now + 3600}, ${now}), d.localDateText('zh_TW', ${at}), d.dayText('en', ${day})]`,
    ),
  ).toEqual(['11月29日 00:00', '29 Nov, 00:00', '19:00', '11月29日', '20 Nov']);
  expect(inZone('America/New_York', `[d.dayText('zh_CN', ${day}), d.timeText('en', ${at}, ${at})]`)).toEqual(['11月20日', '11:00']);
});
