/**
 * §6 Reasons as the user reads them (shared/risk/explain.ts) and until when they count
 * (shared/risk/status.ts): parts of the local day, duration bands, closeness, the local day with its
 * weekday, and the day the code turns green. Expectations are hand-computed from the calendar and
 * the rule "an exposure more than exposureDays days old stops counting" (§6).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ENIN_SECONDS, enin } from '../../shared/protocol/time';
import { DEFAULT_RISK_CONFIG } from '../../shared/risk/config';
import { bandOf, explainExposure, explainReason, localDay, partsOf, type ZoneOffset } from '../../shared/risk/explain';
import { computeStatus, exposureHistory, type BluetoothExposure } from '../../shared/risk/status';

const utc = (...a: [number, number, number, number?, number?]) => Date.UTC(a[0], a[1] - 1, a[2], a[3] ?? 0, a[4] ?? 0) / 1000;
const zone =
  (minutes: number): ZoneOffset =>
  () =>
    minutes;
const cfg = DEFAULT_RISK_CONFIG;

test('parts of the day are six local hours each: night 0–6, morning 6–12, afternoon 12–18, evening 18–24', () => {
  // 09:00–09:30 UTC: morning in London (UTC+0), afternoon in Beijing (UTC+8), night in New York (UTC−5)
  const span = [{ from: utc(2026, 11, 20, 9, 0), to: utc(2026, 11, 20, 9, 30) }];
  expect(partsOf(span, zone(0))).toEqual(['morning']);
  expect(partsOf(span, zone(480))).toEqual(['afternoon']);
  expect(partsOf(span, zone(-300))).toEqual(['night']);
  // a stretch across a boundary names both parts, in order; the end is not included
  expect(partsOf([{ from: utc(2026, 11, 20, 11, 50), to: utc(2026, 11, 20, 12, 10) }], zone(0))).toEqual(['morning', 'afternoon']);
  expect(partsOf([{ from: utc(2026, 11, 20, 11, 50), to: utc(2026, 11, 20, 12, 0) }], zone(0))).toEqual(['morning']);
  // across midnight
  expect(partsOf([{ from: utc(2026, 11, 20, 23, 50), to: utc(2026, 11, 21, 0, 20) }], zone(0))).toEqual(['evening', 'night']);
  // two meetings of one day, apart
  expect(
    partsOf(
      [
        { from: utc(2026, 11, 20, 19, 0), to: utc(2026, 11, 20, 19, 10) },
        { from: utc(2026, 11, 20, 7, 0), to: utc(2026, 11, 20, 7, 10) },
      ],
      zone(0),
    ),
  ).toEqual(['evening', 'morning']);
});

test('the local day and its weekday: 20 Nov 2026 is a Friday; 23:30 UTC is already Saturday in Beijing', () => {
  expect(localDay(utc(2026, 11, 20, 23, 30), zone(0))).toEqual({ y: 2026, m: 11, d: 20, weekday: 5 });
  expect(localDay(utc(2026, 11, 20, 23, 30), zone(480))).toEqual({ y: 2026, m: 11, d: 21, weekday: 6 });
  expect(localDay(utc(2026, 12, 31, 20, 0), zone(480))).toEqual({ y: 2027, m: 1, d: 1, weekday: 5 });
});

test('duration bands: under 10, 10 to 30, 30 to 60, over 60 minutes (lower bound in the band)', () => {
  expect([0, 9, 9.9, 10, 29, 30, 59, 60, 600].map(bandOf)).toEqual([
    'under10',
    'under10',
    'under10',
    '10to30',
    '10to30',
    '30to60',
    '30to60',
    'over60',
    'over60',
  ]);
});

const day20 = enin(utc(2026, 11, 20));
const bt = (minutes: number, attenuation: number, startHourUtc: number, keyId = 'k1'): BluetoothExposure => {
  const first = enin(utc(2026, 11, 20, startHourUtc));
  return { keyId, day: day20, minutes, attenuation, eninFirst: first, eninLast: first + Math.ceil(minutes / 10) - 1 };
};

test('a Bluetooth reason: band of the minutes that count, the closeness with the most minutes, no minute shown', () => {
  const now = enin(utc(2026, 11, 22, 8));
  // 12 min near (40 dB) and 25 min medium (60 dB) from 14:00 UTC, 20 min far (70 dB) at 16:00: weighted 24.5 → red
  const r = computeStatus({ selfReportedAtEnin: null, bluetooth: [bt(12, 40, 14), bt(25, 60, 14), bt(20, 70, 16)], venues: [] }, cfg, now);
  expect(r.status).toBe('red');
  const shown = explainReason(r.reasons[0], cfg, zone(480));
  // far weighs 0: its 20 minutes (00:00 in Beijing, the night) neither count, nor add to the time
  // together (12 + 25 = 37), nor say when; 14:00–14:30 UTC is 22:00–22:30 in Beijing
  expect(shown).toEqual({
    kind: 'bluetooth',
    level: 'red',
    on: { y: 2026, m: 11, d: 20, weekday: 5 },
    parts: ['evening'],
    band: '30to60',
    closeness: 'medium',
    until: utc(2026, 12, 5),
  });
});

test('until when: an exposure of 20 Nov counts through 4 Dec (14 days) and the code is green from 5 Dec 00:00 UTC', () => {
  const exposure = { selfReportedAtEnin: null, bluetooth: [bt(20, 40, 9)], venues: [] };
  const greenAt = utc(2026, 12, 5);
  const before = computeStatus(exposure, cfg, enin(greenAt) - 1);
  expect(before.status).toBe('red');
  expect(before.greenAtEnin! * ENIN_SECONDS).toBe(greenAt);
  expect(before.levelUntilEnin! * ENIN_SECONDS).toBe(greenAt);
  const after = computeStatus(exposure, cfg, enin(greenAt));
  expect(after).toMatchObject({ status: 'green', reasons: [], greenAtEnin: null, levelUntilEnin: null });
  // with exposureDays 3, the same exposure stops counting at 24 Nov
  expect(computeStatus(exposure, { ...cfg, exposureDays: 3 }, enin(utc(2026, 11, 23, 12))).greenAtEnin! * ENIN_SECONDS).toBe(
    utc(2026, 11, 24),
  );
  expect(computeStatus(exposure, { ...cfg, exposureDays: 3 }, enin(utc(2026, 11, 24))).status).toBe('green');
});

test('red first, then yellow: red until the red reason stops counting, green when the last one does', () => {
  const yellowLater: BluetoothExposure = {
    ...bt(8, 60, 9, 'k2'),
    day: day20 + 3 * 144,
    eninFirst: day20 + 3 * 144 + 54,
    eninLast: day20 + 3 * 144 + 54,
  };
  const r = computeStatus({ selfReportedAtEnin: null, bluetooth: [bt(20, 40, 9), yellowLater], venues: [] }, cfg, enin(utc(2026, 11, 25)));
  expect(r.status).toBe('red');
  expect(r.levelUntilEnin! * ENIN_SECONDS).toBe(utc(2026, 12, 5));
  expect(r.greenAtEnin! * ENIN_SECONDS).toBe(utc(2026, 12, 8));
  expect(
    computeStatus({ selfReportedAtEnin: null, bluetooth: [bt(20, 40, 9), yellowLater], venues: [] }, cfg, enin(utc(2026, 12, 5))).status,
  ).toBe('yellow');
});

test('a self report counts from its day like an exposure; its reason names the day only', () => {
  const at = utc(2026, 11, 21, 10, 30);
  const r = computeStatus({ selfReportedAtEnin: enin(at), bluetooth: [], venues: [] }, cfg, enin(utc(2026, 11, 22)));
  expect(r.greenAtEnin! * ENIN_SECONDS).toBe(utc(2026, 12, 6));
  expect(explainReason(r.reasons[0], cfg, zone(0))).toEqual({
    kind: 'self',
    level: 'red',
    on: { y: 2026, m: 11, d: 21, weekday: 6 },
    parts: [],
    until: utc(2026, 12, 6),
  });
});

test('a match stored by the previous release (no ENINs) still loads: its reason names the UTC day, without a part of day', () => {
  const legacy = { keyId: 'k1', day: day20, minutes: 20, attenuation: 40 };
  const r = computeStatus(
    { selfReportedAtEnin: null, bluetooth: [legacy], venues: [{ day: day20, minutes: 15, venue: 'Cafe' }] },
    cfg,
    enin(utc(2026, 11, 22)),
  );
  expect(r.reasons.map((x) => explainReason(x, cfg, zone(480)))).toEqual([
    {
      kind: 'bluetooth',
      level: 'red',
      on: { y: 2026, m: 11, d: 20, weekday: 5 },
      parts: [],
      band: '10to30',
      closeness: 'near',
      until: utc(2026, 12, 5),
    },
    {
      kind: 'venue',
      level: 'red',
      on: { y: 2026, m: 11, d: 20, weekday: 5 },
      parts: [],
      band: '10to30',
      venue: 'Cafe',
      until: utc(2026, 12, 5),
    },
  ]);
  const history = exposureHistory({ bluetooth: [legacy], venues: [] }, cfg, enin(utc(2026, 11, 22))).map((e) =>
    explainExposure(e, zone(480)),
  );
  expect(history).toEqual([
    { kind: 'bluetooth', on: { y: 2026, m: 11, d: 20, weekday: 5 }, parts: [], band: '10to30', closeness: 'near', counts: true },
  ]);
});

/** Runs `calls` in a Node process whose time zone is `tz` (jest's own process keeps its zone), with `e` (explain.ts), `s` (status.ts) and `d` (dates.ts). */
function inZone(tz: string, calls: string): unknown {
  const mod = (p: string) => JSON.stringify(join(__dirname, '../..', p));
  const code = `const e = require(${mod('shared/risk/explain.ts')}); const s = require(${mod('shared/risk/status.ts')}); const d = require(${mod('miniprogram/i18n/dates.ts')}); process.stdout.write(JSON.stringify(${calls}))`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { env: { ...process.env, TZ: tz }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

test('in Beijing (the engine’s own zone): 23:30 UTC on Fri 20 Nov is Saturday morning; green from 5 Dec, 08:00, counted in local days', () => {
  const first = enin(utc(2026, 11, 20, 23, 30));
  const exposure = `{ keyId: 'k', day: ${day20}, minutes: 20, attenuation: 40, eninFirst: ${first}, eninLast: ${first + 1} }`;
  const cfgText = JSON.stringify(cfg);
  const [reason, green, leftFar, leftTomorrow, leftToday] = inZone(
    'Asia/Shanghai',
    `(() => { const r = s.computeStatus({ selfReportedAtEnin: null, bluetooth: [${exposure}], venues: [] }, ${cfgText}, ${enin(utc(2026, 11, 22))});
      const x = e.explainReason(r.reasons[0], ${cfgText});
      return [x, d.momentText('en', x.until), d.leftText('en', ${utc(2026, 12, 3, 4)}, x.until), d.leftText('zh_CN', ${utc(2026, 12, 3, 21)}, x.until), d.leftText('en', ${utc(2026, 12, 4, 16, 30)}, x.until)];
    })()`,
  ) as [unknown, string, string, string, string];
  expect(reason).toEqual({
    kind: 'bluetooth',
    level: 'red',
    on: { y: 2026, m: 11, d: 21, weekday: 6 }, // 07:30 on Saturday in Beijing
    parts: ['morning'],
    band: '10to30',
    closeness: 'near',
    until: utc(2026, 12, 5), // the key's day is 20 Nov (UTC): 14 more days
  });
  expect(green).toBe('Sat 5 Dec, 08:00');
  expect(leftFar).toBe('in 2 days'); // Thu 3 Dec, 12:00 in Beijing
  expect(leftTomorrow).toBe('明天'); // Fri 4 Dec, 05:00: 27 hours, the next calendar day
  expect(leftToday).toBe('in 7 h'); // Sat 5 Dec, 00:30: 7 h 30 min (within a day: hours, whatever the date)
});

test('a reason names a regional list that carried it, never the national one every phone follows (§15)', async () => {
  const { reasonText } = await import('../../miniprogram/ui/format');
  const base = {
    kind: 'bluetooth' as const,
    level: 'red' as const,
    on: { y: 2026, m: 11, d: 20, weekday: 5 },
    parts: ['morning' as const],
    band: '10to30' as const,
    closeness: 'near' as const,
    until: utc(2026, 12, 5),
  };
  const national = reasonText('en', { ...base, region: 0, regionName: 'all of China' });
  expect(national).toBe('Fri 20 Nov, morning: near a phone whose owner later tested positive, for 10 to 30 minutes, close by.');
  expect(reasonText('en', { ...base, region: 310100, regionName: '上海市' })).toBe(`${national} (published for 上海市)`);
});
