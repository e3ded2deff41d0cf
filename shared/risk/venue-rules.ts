/**
 * §6/§7 How venue warnings change the status (issue 31), the `venueWarnings` section of the signed
 * configuration, version 2 (./config-v2.ts):
 *
 * - `thresholds`: per §7 venue type (shared/protocol/venue.ts VENUE_TYPES, same order), how many
 *   distinct warnings must overlap the user's stay *at one same moment* before they count — CLÉA's
 *   cluster rule, so that one diagnosed visitor of a railway station does not turn everyone who
 *   passed through yellow. A type beyond the list (a later release's) and a Corona-Warn-App code
 *   (whose types are another list) use the threshold of type 0, "other".
 * - `levels`: per level a warning carries (`inform`, `test`, `isolate`: an authority's or a venue
 *   owner's warning), the status it sets, whether it counts whatever the threshold, and its advice in
 *   every language. A diagnosed visitor's own upload carries no level: it keeps §6's rule (yellow;
 *   red from `redVenueMinutes` of overlap) and is subject to the threshold.
 *
 * An authority that changes none of this publishes no section: the phone then uses DEFAULT_VENUE_RULES.
 */
import { PrtcError } from '../errors';
import { asObject, onlyFields } from '../api/json';
import type { Status } from '../protocol/healthcode';
import type { WarningLevel } from '../protocol/batch';
import { ADVICE_LANGUAGES, parseAdviceEntry, type AdviceEntry, type AdviceLanguage } from './advice';

export const WARNING_LEVELS = ['inform', 'test', 'isolate'] as const satisfies readonly WarningLevel[];

export interface LevelRule {
  /** The status a warning of this level sets once it counts (`green`: shown as information only). */
  status: Status;
  /** Counts at any venue type, whatever the threshold (an authority's `isolate`). */
  ignoresThreshold: boolean;
  /** What to do, per language (as the status advice: `now`, optional `hotline` and `link`). */
  advice: Record<AdviceLanguage, AdviceEntry>;
}

export interface VenueRules {
  /** Index: §7 venue type. Each 1 or more. */
  thresholds: number[];
  levels: Record<WarningLevel, LevelRule>;
}

/** The largest threshold a configuration may set: more simultaneous diagnosed visitors is no longer a rule, it is never. */
export const MAX_THRESHOLD = 100;

/**
 * The defaults (docs/protocol.md §7 says why): 1 everywhere — a restaurant, a classroom, an office,
 * a clinic's waiting room are small enough that sharing the stay is sharing the air — but 3 for
 * transport (a station or airport hall: hundreds pass through in an hour, most never near each
 * other; the mass yellow codes of Kunming and Chengdu came from such places).
 */
export const DEFAULT_THRESHOLDS: readonly number[] = Object.freeze([1, 1, 1, 1, 1, 1, 3, 1, 1]);

/**
 * The Traditional texts are OpenCC's conversions of the Simplified, as DEFAULT_ADVICE's
 * (tests/unit/venue-rules.test.ts holds them in step).
 */
export const DEFAULT_VENUE_RULES: VenueRules = {
  thresholds: [...DEFAULT_THRESHOLDS],
  levels: {
    inform: {
      status: 'green',
      ignoresThreshold: false,
      advice: {
        zh_CN: { now: '您在该场所期间，有后来确诊的人员也在场。目前无需采取措施，请留意身体状况。' },
        zh_TW: { now: '您在該場所期間，有後來確診的人員也在場。目前無需採取措施，請留意身體狀況。' },
        zh_HK: { now: '您在該場所期間，有後來確診的人員也在場。目前無需採取措施，請留意身體狀況。' },
        en: { now: 'Someone who later tested positive was at this place while you were. Nothing to do now: watch how you feel.' },
      },
    },
    test: {
      status: 'yellow',
      ignoresThreshold: false,
      advice: {
        zh_CN: { now: '请尽快进行检测，在获得结果前减少与他人接触。' },
        zh_TW: { now: '請儘快進行檢測，在獲得結果前減少與他人接觸。' },
        zh_HK: { now: '請儘快進行檢測，在獲得結果前減少與他人接觸。' },
        en: { now: 'Get tested soon, and meet fewer people until you have the result.' },
      },
    },
    isolate: {
      status: 'red',
      ignoresThreshold: true,
      advice: {
        zh_CN: { now: '请立即留在家中，避免与他人接触，并致电卫生部门安排检测。' },
        zh_TW: { now: '請立即留在家中，避免與他人接觸，並致電衛生部門安排檢測。' },
        zh_HK: { now: '請立即留在家中，避免與他人接觸，並致電衞生部門安排檢測。' },
        en: { now: 'Stay at home now, avoid contact with others, and call your health authority to arrange a test.' },
      },
    },
  },
};

const bad = (path: string, why: string) => new PrtcError('invalid_config', `${path} ${why}`, path);
const STATUSES: readonly Status[] = ['green', 'yellow', 'red'];

/** The threshold of a venue type: its own, or type 0's for a type the list does not reach (and for `undefined`: a CWA code, an old check-in). */
export function thresholdOf(rules: VenueRules, venueType: number | undefined): number {
  const own = venueType === undefined ? undefined : rules.thresholds[venueType];
  return own ?? rules.thresholds[0];
}

/** The `venueWarnings` section: strict for what this release knows (both parts required), a language it does not know ignored. */
export function parseVenueRulesSection(value: unknown, path = 'config.venueWarnings'): VenueRules {
  const o = asObject(value, path);
  onlyFields(o, ['thresholds', 'levels'], `${path}.`);
  const t = o.thresholds;
  if (!Array.isArray(t) || t.length < 1 || t.length > 256) throw bad(`${path}.thresholds`, 'must be a list of 1 to 256 numbers');
  const thresholds = t.map((x, k) => {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 1 || x > MAX_THRESHOLD)
      throw bad(`${path}.thresholds.${k}`, `must be a whole number from 1 to ${MAX_THRESHOLD}`);
    return x;
  });
  const lv = asObject(o.levels, `${path}.levels`);
  onlyFields(lv, WARNING_LEVELS, `${path}.levels.`);
  const levels = {} as Record<WarningLevel, LevelRule>;
  for (const level of WARNING_LEVELS) {
    const p = `${path}.levels.${level}`;
    if (lv[level] === undefined) throw bad(p, 'is required');
    const e = asObject(lv[level], p);
    onlyFields(e, ['status', 'ignoresThreshold', 'advice'], `${p}.`);
    if (typeof e.status !== 'string' || !STATUSES.includes(e.status as Status)) throw bad(`${p}.status`, 'must be green, yellow or red');
    if (typeof e.ignoresThreshold !== 'boolean') throw bad(`${p}.ignoresThreshold`, 'must be true or false');
    const langs = asObject(e.advice, `${p}.advice`);
    const advice = {} as Record<AdviceLanguage, AdviceEntry>;
    for (const lang of ADVICE_LANGUAGES) {
      if (langs[lang] === undefined) throw bad(`${p}.advice.${lang}`, 'is required');
      advice[lang] = parseAdviceEntry(langs[lang], `${p}.advice.${lang}`);
    }
    levels[level] = { status: e.status as Status, ignoresThreshold: e.ignoresThreshold, advice };
  }
  return { thresholds, levels };
}
