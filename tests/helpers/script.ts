/**
 * Is a text in the script its language needs? For checking rendered pages and every interface
 * string: English has no CJK characters; Chinese has no English words; Simplified Chinese has no
 * Traditional-only characters and Traditional Chinese no Simplified-only ones — which characters
 * are which is OpenCC's character tables (opencc-js), not ours. Allowed everywhere: numbers, the
 * example code `ABCDE-12345`, codes of that shape, the name PrTC, and the user's own data (venue
 * names) passed in.
 */
import * as OpenCC from 'opencc-js';
import type { Language } from '../../miniprogram/host/types';

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });
// Simplified-only is judged against each region's own standard (台 is Hong Kong's and Taiwan's too)
const toRegion = { zh_TW: OpenCC.Converter({ from: 'cn', to: 'tw' }), zh_HK: OpenCC.Converter({ from: 'cn', to: 'hk' }) };
const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff60]/;
const ALLOWED = [/\b[0-9A-Z]{5}-[0-9A-Z]{5}\b/g, /\bPrTC\b/g];

export function scriptProblems(lang: Language, text: string, userData: string[] = []): string[] {
  let t = text;
  for (const u of userData) t = t.split(u).join(' ');
  t = t.replace(/\{\w+\}/g, ' '); // placeholders of an unfilled string
  for (const re of ALLOWED) t = t.replace(re, ' ');
  const problems: string[] = [];
  if (lang === 'en') {
    for (const ch of t) if (CJK.test(ch)) problems.push(`CJK "${ch}" in English`);
    return problems;
  }
  for (const m of t.matchAll(/[A-Za-z]{2,}/g)) problems.push(`English "${m[0]}" in ${lang}`);
  for (const ch of t) {
    if (!/[\u3400-\u9fff]/.test(ch)) continue;
    if (lang === 'zh_CN' && toSimplified(ch) !== ch) problems.push(`Traditional "${ch}" in Simplified Chinese`);
    if (lang !== 'zh_CN' && toRegion[lang](ch) !== ch) problems.push(`Simplified "${ch}" in Traditional Chinese`);
  }
  return problems;
}
