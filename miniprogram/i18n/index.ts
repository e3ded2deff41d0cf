/**
 * The mini-program's words: `t` for interface strings in the host's language (English, Simplified
 * Chinese, the Traditional Chinese of Taiwan and of Hong Kong), `age` for "5 min", and
 * (messages.ts) every code as a sentence.
 */
import type { Language } from '../host/types';
import { HANT } from './_hant.gen';
import { STRINGS, type StringKey } from './strings';

export type { Language, StringKey };

export function t(lang: Language, key: StringKey, params: Record<string, string | number> = {}): string {
  let s: string = lang === 'en' ? STRINGS[key].en : lang === 'zh_CN' ? STRINGS[key].zh : HANT[lang][key];
  for (const [k, v] of Object.entries(params)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

export function age(lang: Language, seconds: number): string {
  if (seconds < 3600) return t(lang, 'minutes', { n: Math.max(0, Math.floor(seconds / 60)) });
  if (seconds < 86400 * 2) return t(lang, 'hours', { n: Math.floor(seconds / 3600) });
  return t(lang, 'days', { n: Math.floor(seconds / 86400) });
}
