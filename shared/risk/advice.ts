/**
 * §6 The health authority's advice per status level — what to do now, a hotline, a link — in every
 * language the app speaks. It travels in the signed configuration, version 2 (./config-v2.ts), so an
 * authority changes it without a release; the build carries DEFAULT_ADVICE for a phone that holds
 * no configuration yet.
 */
import { PrtcError } from '../errors';
import { asObject, onlyFields } from '../api/json';
import type { Status } from '../protocol/healthcode';

/** The app's languages, as WeChat names them (miniprogram/host/types.ts `Language`). */
export const ADVICE_LANGUAGES = ['zh_CN', 'zh_TW', 'zh_HK', 'en'] as const;
export type AdviceLanguage = (typeof ADVICE_LANGUAGES)[number];
export const ADVICE_LEVELS = ['green', 'yellow', 'red'] as const satisfies readonly Status[];

export interface AdviceEntry {
  /** What to do now, in a sentence or three. */
  now: string;
  /** A telephone number to call ("12320", "+852 2125 1111"). */
  hotline?: string;
  /** A page to read, https only. */
  link?: string;
}
export type Advice = Record<Status, Record<AdviceLanguage, AdviceEntry>>;

/** Limits a phone screen can show whole; the portal's form says them. */
export const ADVICE_LIMITS = { now: 400, hotline: 32, link: 200 } as const;

const HOTLINE = /^\+?[0-9][0-9 ()-]{1,30}$/;
/** https, a host name, an optional port, then a path without spaces, quotes or angle brackets. */
const LINK =
  /^https:\/\/[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::\d{1,5})?(?:[/?#][^\s"'<>\\]*)?$/;
/** Control characters (a newline is allowed in `now`; nothing else the screen would not show). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

const bad = (path: string, why: string) => new PrtcError('invalid_config', `${path} ${why}`, path);

/** One language's entry (`now`, optional `hotline` and `link`), checked; also the venue warning levels' advice (./venue-rules.ts). */
export function parseAdviceEntry(v: unknown, path: string): AdviceEntry {
  const o = asObject(v, path);
  onlyFields(o, ['now', 'hotline', 'link'], `${path}.`);
  const text = (k: 'now' | 'hotline' | 'link', required: boolean): string | undefined => {
    const x = o[k];
    if (x === undefined && !required) return undefined;
    if (typeof x !== 'string') throw bad(`${path}.${k}`, 'must be a string');
    const s = x.trim();
    if (s === '') {
      if (required) throw bad(`${path}.${k}`, 'must not be empty');
      return undefined;
    }
    if ([...s].length > ADVICE_LIMITS[k]) throw bad(`${path}.${k}`, `must be at most ${ADVICE_LIMITS[k]} characters`);
    if (CONTROL.test(s) || (k !== 'now' && s.includes('\n'))) throw bad(`${path}.${k}`, 'must not hold control characters');
    return s;
  };
  const out: AdviceEntry = { now: text('now', true)! };
  const hotline = text('hotline', false);
  if (hotline !== undefined) {
    if (!HOTLINE.test(hotline)) throw bad(`${path}.hotline`, 'must be a telephone number: digits, spaces, "+", "-", "(", ")"');
    out.hotline = hotline;
  }
  const link = text('link', false);
  if (link !== undefined) {
    if (!LINK.test(link)) throw bad(`${path}.link`, 'must be an https:// address');
    out.link = link;
  }
  return out;
}

/**
 * The `advice` section of a version-2 configuration: every level and every language of this
 * release is required and checked strictly; a language this release does not know is ignored (a
 * later release may speak more), as are unknown top-level sections (./config-v2.ts).
 */
export function parseAdviceSection(value: unknown, path = 'config.advice'): Advice {
  const o = asObject(value, path);
  onlyFields(o, ADVICE_LEVELS, `${path}.`);
  const out = {} as Advice;
  for (const level of ADVICE_LEVELS) {
    if (o[level] === undefined) throw new PrtcError('invalid_config', `${path}.${level} is required`, `${path}.${level}`);
    const langs = asObject(o[level], `${path}.${level}`);
    out[level] = {} as Record<AdviceLanguage, AdviceEntry>;
    for (const lang of ADVICE_LANGUAGES) {
      if (langs[lang] === undefined)
        throw new PrtcError('invalid_config', `${path}.${level}.${lang} is required`, `${path}.${level}.${lang}`);
      out[level][lang] = parseAdviceEntry(langs[lang], `${path}.${level}.${lang}`);
    }
  }
  return out;
}

/**
 * What the build says before any configuration arrived, and what a server serves until its operator
 * publishes one. No hotline and no link: those are the operator's to give. The Traditional texts are
 * OpenCC's conversions of the Simplified (tests/unit/risk-config.test.ts holds them in step).
 */
export const DEFAULT_ADVICE: Advice = {
  green: {
    zh_CN: { now: '无需采取任何措施。在人多的场所请打开接触记录，并每天检查一次接触风险。' },
    zh_TW: { now: '無需採取任何措施。在人多的場所請開啟接觸記錄，並每天檢查一次接觸風險。' },
    zh_HK: { now: '無需採取任何措施。在人多的場所請打開接觸記錄，並每天檢查一次接觸風險。' },
    en: { now: 'Nothing to do. Turn tracing on where there are many people, and check for exposures once a day.' },
  },
  yellow: {
    zh_CN: { now: '请留意发热、咳嗽、咽痛等症状。如有不适，请留在家中并尽快检测。' },
    zh_TW: { now: '請留意發熱、咳嗽、咽痛等症狀。如有不適，請留在家中並儘快檢測。' },
    zh_HK: { now: '請留意發熱、咳嗽、咽痛等症狀。如有不適，請留在家中並儘快檢測。' },
    en: { now: 'Watch for symptoms such as fever, a cough or a sore throat. If you feel ill, stay at home and get tested soon.' },
  },
  red: {
    zh_CN: { now: '请留在家中，避免与他人接触，并尽快检测。请遵循当地卫生部门的指引。' },
    zh_TW: { now: '請留在家中，避免與他人接觸，並儘快檢測。請遵循當地衛生部門的指引。' },
    zh_HK: { now: '請留在家中，避免與他人接觸，並儘快檢測。請遵循當地衞生部門的指引。' },
    en: { now: 'Stay at home, avoid contact with others and get tested soon. Follow the instructions of your health authority.' },
  },
};
