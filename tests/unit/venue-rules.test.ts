/**
 * Issue 31: the `venueWarnings` section of the signed configuration, version 2
 * (shared/risk/venue-rules.ts) — what it accepts and refuses, that it travels through a publication
 * unchanged, the build's defaults (transport 3, everything else 1; isolate ignores the threshold) and
 * their Traditional Chinese in step with OpenCC — and the status rule that reads it: distinct warnings
 * overlapping the stay *at one moment*, against the venue type's threshold.
 */
import * as OpenCC from 'opencc-js';
import { PrtcError } from '../../shared/errors';
import { configV2Json, DEFAULT_CONFIG_V2, parseRiskConfigV2, venueRulesOf } from '../../shared/risk/config-v2';
import { DEFAULT_RISK_CONFIG } from '../../shared/risk/config';
import { computeStatus, exposureHistory, type VenueExposure } from '../../shared/risk/status';
import { DEFAULT_VENUE_RULES, thresholdOf, WARNING_LEVELS, type VenueRules } from '../../shared/risk/venue-rules';

const doc = () => JSON.parse(configV2Json(DEFAULT_CONFIG_V2)) as Record<string, unknown>;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function refusedAt(section: unknown, field: string): void {
  let e: unknown = null;
  try {
    parseRiskConfigV2(JSON.stringify({ ...doc(), venueWarnings: section }));
  } catch (x) {
    e = x;
  }
  expect(e).toBeInstanceOf(PrtcError);
  expect((e as PrtcError).message).toContain(field);
}

test('a configuration without the section uses the build’s rules; one with it goes through its text unchanged', () => {
  expect(venueRulesOf(DEFAULT_CONFIG_V2)).toBe(DEFAULT_VENUE_RULES);
  const rules: VenueRules = clone(DEFAULT_VENUE_RULES);
  rules.thresholds = [1, 1, 1, 1, 1, 2, 5, 2, 1, 4]; // a tenth type, of a later release
  rules.levels.test.ignoresThreshold = true;
  rules.levels.isolate.advice.en = { now: 'Stay home.', hotline: '12320' };
  const json = configV2Json({ ...DEFAULT_CONFIG_V2, serial: 9, venueWarnings: rules });
  const c = parseRiskConfigV2(json);
  expect(c.venueWarnings).toEqual(rules);
  expect(c.other).toBeUndefined();
  expect(configV2Json(c)).toBe(json);
  expect(venueRulesOf(c).levels.isolate.advice.en.hotline).toBe('12320');
});

test('the thresholds: type 6 (transport) 3, every other §7 type 1; a type beyond the list and none (a CWA code) use type 0’s', () => {
  expect(DEFAULT_VENUE_RULES.thresholds).toEqual([1, 1, 1, 1, 1, 1, 3, 1, 1]);
  expect(thresholdOf(DEFAULT_VENUE_RULES, 6)).toBe(3);
  expect(thresholdOf(DEFAULT_VENUE_RULES, 2)).toBe(1);
  const r = { ...DEFAULT_VENUE_RULES, thresholds: [4, 1] };
  expect(thresholdOf(r, 7)).toBe(4);
  expect(thresholdOf(r, undefined)).toBe(4);
  expect(DEFAULT_VENUE_RULES.levels).toMatchObject({
    inform: { status: 'green', ignoresThreshold: false },
    test: { status: 'yellow', ignoresThreshold: false },
    isolate: { status: 'red', ignoresThreshold: true },
  });
});

test('a malformed section is refused, naming the field', () => {
  const ok = () => clone(DEFAULT_VENUE_RULES) as unknown as Record<string, any>;
  refusedAt([], 'config.venueWarnings');
  refusedAt({ ...ok(), extra: 1 }, 'extra');
  refusedAt({ ...ok(), thresholds: [] }, 'config.venueWarnings.thresholds');
  refusedAt({ ...ok(), thresholds: [1, 0] }, 'config.venueWarnings.thresholds.1');
  refusedAt({ ...ok(), thresholds: [1, 1.5] }, 'config.venueWarnings.thresholds.1');
  refusedAt({ ...ok(), thresholds: [101] }, 'config.venueWarnings.thresholds.0');
  const noIsolate = ok();
  delete noIsolate.levels.isolate;
  refusedAt(noIsolate, 'config.venueWarnings.levels.isolate');
  const orange = ok();
  orange.levels.test.status = 'orange';
  refusedAt(orange, 'config.venueWarnings.levels.test.status');
  const yes = ok();
  yes.levels.test.ignoresThreshold = 'yes';
  refusedAt(yes, 'config.venueWarnings.levels.test.ignoresThreshold');
  const noHk = ok();
  delete noHk.levels.inform.advice.zh_HK;
  refusedAt(noHk, 'config.venueWarnings.levels.inform.advice.zh_HK');
  const badTel = ok();
  badTel.levels.inform.advice.en.hotline = 'call us';
  refusedAt(badTel, 'config.venueWarnings.levels.inform.advice.en.hotline');
  const noLevel = ok();
  noLevel.levels.quarantine = noLevel.levels.test;
  refusedAt(noLevel, 'quarantine');
});

test('the build’s Traditional Chinese level advice is OpenCC’s conversion of its Simplified (Taiwan and Hong Kong)', () => {
  const tw = OpenCC.Converter({ from: 'cn', to: 'twp' });
  const hk = OpenCC.Converter({ from: 'cn', to: 'hk' });
  for (const level of WARNING_LEVELS) {
    const a = DEFAULT_VENUE_RULES.levels[level].advice;
    expect(a.zh_TW.now).toBe(tw(a.zh_CN.now));
    expect(a.zh_HK.now).toBe(hk(a.zh_CN.now));
  }
});

// ---- the status rule, with hand-computed times: 20 Nov 2026, a stay 09:00–11:00 UTC
const H = (h: number, m = 0) => Date.UTC(2026, 10, 20, h, m) / 1000;
const DAY = H(0) / 600;
const NOW = H(0) / 600 + 2 * 144; // two days later
const stay = (venueType: number | undefined, from: number, to: number, extra: Partial<VenueExposure> = {}): VenueExposure => ({
  day: DAY,
  minutes: Math.round((to - from) / 60),
  venue: 'Hall',
  from,
  to,
  checkin: 'c1',
  ...(venueType !== undefined ? { venueType } : {}),
  ...extra,
});
const status = (venues: VenueExposure[]) => computeStatus({ selfReportedAtEnin: null, bluetooth: [], venues }, DEFAULT_RISK_CONFIG, NOW);

test('distinct warnings are counted at one moment: three that overlap each other at a station make it yellow, three one after another do not', () => {
  // three diagnosed visitors' warnings over the stay: 10:00–10:10, 10:02–10:12, 10:05–10:14 — three at once 10:05–10:10;
  // each under redVenueMinutes (15), so yellow by §6
  const three = [stay(6, H(10), H(10, 10)), stay(6, H(10, 2), H(10, 12)), stay(6, H(10, 5), H(10, 14))];
  const r = status(three);
  expect(r.status).toBe('yellow');
  expect(r.reasons).toHaveLength(1);
  // the user's own overlap: the union 10:00–10:14, 14 minutes
  expect(r.reasons[0]).toMatchObject({
    kind: 'venue',
    level: 'yellow',
    minutes: 14,
    spans: [{ from: H(10), to: H(10, 14) }],
    rule: { kind: 'cluster', warnings: 3, threshold: 3, venueType: 6 },
  });
  // two of them are not enough at a station
  expect(status(three.slice(0, 2))).toMatchObject({ status: 'green', reasons: [], levelUntilEnin: null, greenAtEnin: null });
  // one after another: 09:00–09:20, 09:20–09:40, 09:40–10:00 — never two at once (half-open)
  const apart = [stay(6, H(9), H(9, 20)), stay(6, H(9, 20), H(9, 40)), stay(6, H(9, 40), H(10))];
  expect(status(apart)).toMatchObject({ status: 'green', reasons: [] });
  // …but one is enough at a restaurant (type 2): yellow for 10 minutes, red (§6) for 20
  expect(status([stay(2, H(10), H(10, 10))]).reasons[0]).toMatchObject({
    level: 'yellow',
    rule: { kind: 'cluster', warnings: 1, threshold: 1 },
  });
  expect(status([stay(2, H(9, 40), H(10))]).status).toBe('red');
});

test('levels: isolate is red at any type, test and inform wait for the threshold; inform informs but stays green', () => {
  const isolate = stay(6, H(10), H(10, 5), { level: 'isolate', source: 'authority', tel: '12320', text: { en: 'Call us.' } });
  const r = status([isolate]);
  expect(r.status).toBe('red');
  expect(r.reasons[0]).toMatchObject({
    level: 'red',
    warningLevel: 'isolate',
    source: 'authority',
    tel: '12320',
    text: { en: 'Call us.' },
    rule: { kind: 'level', warnings: 1, threshold: 3 },
  });
  // countsUntil: 20 Nov + 14 days + 1 → the midnight of 5 Dec
  expect(r.levelUntilEnin).toBe(Date.UTC(2026, 11, 5) / 600_000);
  expect(status([stay(6, H(10), H(10, 5), { level: 'test', source: 'owner' })]).status).toBe('green');
  expect(status([stay(2, H(10), H(10, 5), { level: 'test', source: 'owner' })]).status).toBe('yellow');
  // an authority's test among two visitors at a station: three at once, the deciding one is the authority's
  const mixed = [stay(6, H(10), H(10, 5), { level: 'test', source: 'authority' }), stay(6, H(10), H(10, 10)), stay(6, H(10), H(10, 12))];
  expect(status(mixed).reasons[0]).toMatchObject({ level: 'yellow', warningLevel: 'test', source: 'authority' });
  // inform at a restaurant: a green reason, the status green with nothing to wait for
  const inform = status([stay(2, H(10), H(10, 30), { level: 'inform', source: 'authority' })]);
  expect(inform).toMatchObject({ status: 'green', levelUntilEnin: null, greenAtEnin: null });
  expect(inform.reasons).toEqual([expect.objectContaining({ level: 'green', warningLevel: 'inform' })]);
});

test('a stay is a check-in: warnings over two stays are not added up; an earlier release’s match (no check-in) counts as before', () => {
  const a = stay(6, H(10), H(10, 5));
  const b = stay(6, H(10), H(10, 5));
  const c = { ...stay(6, H(10), H(10, 5)), checkin: 'c2' };
  expect(status([a, b, c]).status).toBe('green');
  expect(status([a, b, { ...c, checkin: 'c1' }]).status).toBe('yellow');
  const old: VenueExposure = { day: DAY, minutes: 5, venue: 'Hall' };
  const r = status([old]);
  expect(r.status).toBe('yellow');
  expect(r.reasons[0].rule).toBeUndefined();
});

test('the history shows warnings under the threshold, as not counting', () => {
  const two = [stay(6, H(10), H(10, 5)), stay(6, H(10), H(10, 6))];
  expect(exposureHistory({ bluetooth: [], venues: two }, DEFAULT_RISK_CONFIG, NOW).map((e) => e.counts)).toEqual([false, false]);
  const three = [...two, stay(6, H(10), H(10, 7))];
  expect(exposureHistory({ bluetooth: [], venues: three }, DEFAULT_RISK_CONFIG, NOW).map((e) => e.counts)).toEqual([true, true, true]);
});
