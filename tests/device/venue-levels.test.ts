/**
 * Issue 31 on simulated phones: venue warnings in levels, with thresholds per venue type. Each phone
 * checks in by its own scanner's path (a PrTC code carrying its venue type), the warnings arrive as
 * a sync would store them — each through the matching worker's message codec, so the level, source,
 * number and sentence travel as they would from the worker — and a fresh device reads what is stored
 * and computes its status under the build's rules (transport 3, restaurant 1, isolate at any type).
 * Times are hand-computed: 20 Nov 2026, UTC.
 *
 * End-to-end from a published batch waits for issue 31's batch body (task 31a): the body of this
 * branch carries no level yet.
 */
import { SimWorld } from '../../testkit/world';
import { SimPhone } from '../../testkit/handset';
import { DeviceCore } from '../../miniprogram/device/core';
import { DeviceStorage } from '../../miniprogram/services/storage';
import { warningFromWire, warningToWire } from '../../miniprogram/matching/messages';
import { reasonText } from '../../miniprogram/ui/format';
import { t } from '../../miniprogram/i18n';
import type { Language } from '../../miniprogram/host/types';
import { venueLinkFor } from '../helpers/venue-link';
import { fromHex, toHex } from '../../shared/protocol/codec';
import { sha256Bytes } from '../../shared/protocol/crypto';
import type { VenueWarning } from '../../shared/protocol/batch';
import { DEFAULT_VENUE_RULES } from '../../shared/risk/venue-rules';

const utcS = (h: number, m = 0, d = 20) => Date.UTC(2026, 10, d, h, m) / 1000;
const E = (h: number, m = 0) => utcS(h, m) / 600; // the ENIN of 20 Nov, h:m UTC

let seedByte = 1;
function link(venueType: number, description: string): string {
  return venueLinkFor(description, { venueType, seed: new Uint8Array(16).fill(seedByte++) });
}
const STATION = link(6, 'Central Station');
const NOODLES = link(2, 'Noodle Bar');

let world: SimWorld;
beforeEach(() => {
  world = new SimWorld(utcS(8) * 1000);
});

const core = (sim: SimPhone) => new DeviceCore(sim.host, { backend: 'http', serverUrl: 'http://127.0.0.1:9', publicKey: '' });

/** The user scans `code` at h:m and checks out by hand `minutes` later (the scanner's path: inspect, then checkIn). */
function stay(sim: SimPhone, code: string, h: number, m: number, minutes: number): string {
  world.advance(utcS(h, m) * 1000 - world.timeMs);
  const c = core(sim);
  const made = c.checkins.checkIn(c.checkins.inspect(code), 60).checkin;
  world.advance(minutes * 60_000);
  c.checkins.checkOut(made.id);
  return made.locationId;
}

const hashOf = (locationId: string) => sha256Bytes(fromHex(locationId));

/**
 * The next day, a sync found `warnings` in batch 0/1: matched against the check-ins as sync.ts does
 * (each through the worker's message codec), stored in one write; then the app starts again and
 * computes its status from what is stored.
 */
function synced(sim: SimPhone, warnings: VenueWarning[]) {
  world.advance(utcS(9, 0, 21) * 1000 - world.timeMs);
  const before = core(sim);
  const venues = warnings.flatMap((w) => {
    const travelled = warningFromWire(JSON.parse(JSON.stringify(warningToWire(w))));
    const id = `${toHex(travelled.locationIdHash)}/${travelled.startEnin}/${travelled.endEnin}`;
    return before.checkins.match([travelled]).map((v) => ({ ...v, region: 0, warning: id }));
  });
  new DeviceStorage(sim.host).setJson('sync', {
    v: 3,
    chains: {},
    root: null,
    lastSyncAt: world.timeMs / 1000,
    matches: { '0/1': { bluetooth: [], venues } },
  });
  const after = core(sim);
  after.recomputeStatus();
  after.emit();
  return after.view;
}

const phone = (name: string, language: Language = 'en') => new SimPhone(world, { name, language });
/** A reason without the name of the list that carried it (§15's wording is not this test's). */
const plain = <R extends { regionName?: string }>(r: R): R => ({ ...r, regionName: undefined });

test('a transport-hub stay: one or two diagnosed visitors leave it green, three at once make it yellow, and the reason names the threshold', () => {
  const sim = phone('A');
  // A passes through the station 10:05–10:15
  const station = hashOf(stay(sim, STATION, 10, 5, 10));
  // three diagnosed visitors' warnings: 09:30–10:30, 10:00–10:40, 10:10–11:00 — all three there 10:10–10:15
  const w = [
    { locationIdHash: station, startEnin: E(9, 30), endEnin: E(10, 30) },
    { locationIdHash: station, startEnin: E(10), endEnin: E(10, 40) },
    { locationIdHash: station, startEnin: E(10, 10), endEnin: E(11) },
  ];
  expect(synced(sim, w.slice(0, 1))).toMatchObject({ status: 'green', reasons: [] });
  expect(synced(sim, w.slice(0, 2))).toMatchObject({ status: 'green', reasons: [] });
  const v = synced(sim, w);
  expect(v.status).toBe('yellow');
  expect(v.reasons).toHaveLength(1);
  // A's own overlap: 10:05–10:15, 10 minutes (the "10 to 30 minutes" band); yellow: each overlap under 15 minutes
  expect(v.reasons[0]).toMatchObject({
    kind: 'venue',
    level: 'yellow',
    band: '10to30',
    rule: { kind: 'cluster', warnings: 3, threshold: 3, venueType: 6 },
  });
  expect(reasonText('en', plain(v.reasons[0]))).toBe(
    'Fri 20 Nov, morning: at Central Station for 10 to 30 minutes. ' +
      '3 people who later tested positive were here while you were — the threshold for this kind of place (Transport) is 3.',
  );
});

test('a restaurant stay: one diagnosed visitor makes it yellow; a phone that was not there stays green', () => {
  const there = phone('B');
  const away = phone('C');
  const noodles = hashOf(stay(there, NOODLES, 12, 0, 10)); // 12:00–12:10
  stay(away, NOODLES, 13, 0, 30); // 13:00–13:30, after the warning
  const w = [{ locationIdHash: noodles, startEnin: E(11, 30), endEnin: E(12, 30) }];
  const v = synced(there, w);
  expect(v).toMatchObject({
    status: 'yellow',
    reasons: [{ level: 'yellow', rule: { kind: 'cluster', warnings: 1, threshold: 1, venueType: 2 } }],
  });
  expect(reasonText('en', plain(v.reasons[0]))).toBe(
    'Fri 20 Nov, afternoon: at Noodle Bar while someone who later tested positive was there, for 10 to 30 minutes. ' +
      'At this kind of place (Restaurant) one is enough: the threshold is 1.',
  );
  expect(synced(away, w)).toMatchObject({ status: 'green', reasons: [] });
});

test("the health authority's isolate turns a transport-hub stay red with one warning, with its advice, number and sentence in the phone's language", () => {
  const sim = phone('D', 'zh_HK');
  const away = phone('E', 'zh_HK');
  const station = hashOf(stay(sim, STATION, 10, 5, 10)); // 10:05–10:15
  stay(away, STATION, 12, 0, 30);
  const isolate: VenueWarning = {
    locationIdHash: station,
    startEnin: E(10),
    endEnin: E(12),
    level: 'isolate',
    source: 'authority',
    tel: '+852 2125 1111',
    text: { en: 'A cluster at the ticket hall.', zh_CN: '售票大厅出现聚集性病例。', zh_HK: '售票大堂出現群組個案。' },
  };
  const v = synced(sim, [isolate]);
  expect(v.status).toBe('red');
  expect(v.reasons[0]).toMatchObject({
    level: 'red',
    warningLevel: 'isolate',
    source: 'authority',
    tel: '+852 2125 1111',
    rule: { kind: 'level', warnings: 1, threshold: 3 },
    authorityText: '售票大堂出現群組個案。',
    levelAdvice: DEFAULT_VENUE_RULES.levels.isolate.advice.zh_HK,
  });
  const text = reasonText('zh_HK', v.reasons[0]);
  expect(text).toContain(t('zh_HK', 'warnAction_isolate'));
  expect(text).toContain('Central Station');
  expect(text).toContain('+852 2125 1111');
  expect(text).toContain(t('zh_HK', 'reasonRuleLevel', { type: t('zh_HK', 'venueType_6'), threshold: '3' }));
  // the same warning, an owner's test, at the station: below the threshold, nothing
  expect(synced(sim, [{ ...isolate, level: 'test', source: 'owner' }])).toMatchObject({ status: 'green', reasons: [] });
  // the phone that was there later stays green
  expect(synced(away, [isolate])).toMatchObject({ status: 'green', reasons: [] });
});
