/**
 * `npm run bench -- coverage [--json] [--phones <n>] [--seed <text>]`: a measured day of contacts.
 * The real device services (createDevice on the real WeChat host) run on simulated handsets
 * (testkit/handset: WeChat's background rules, iOS's and Android's radio limits) for a seeded day of
 * people (bench/day-model.ts), once per usage profile, against a real server in this process on
 * loopback. It prints, per profile and per platform pair, the share of contacts of ≥ 15 min within
 * 2 m that the phones recorded, and how many of a planted case's contacts learned of it within 24 h
 * of the upload. Everything that is a model, not a measurement, is printed with the figures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dayKeys, deriveAemk, deriveDayRpis, PROFILES } from '../shared/protocol/crypto';
import { fromHex, toHex } from '../shared/protocol/codec';
import { dayInterval, enin, ROLLING_PERIOD } from '../shared/protocol/time';
import { startServer } from '../server/runtime';
import type { WeChatRules } from '../testkit/handset';
import { makePhone, type Phone } from '../testkit/phones';
import { seededRandom } from '../testkit/random';
import { SimWorld } from '../testkit/world';
import { buildDay, CONTACT_MIN, MINUTES, OPEN_MINUTES, SCREEN_MINUTES, type DayModel, type Person } from './day-model';

export interface CoverageOptions {
  phones: number;
  seed: string;
  json: boolean;
  iosShare: number;
}

interface Profile {
  name: string;
  what: string;
  background: boolean;
  rules: Partial<WeChatRules>;
}

const PROFILES_RUN: Profile[] = [
  { name: 'foreground', what: 'opens the mini-program 3 × 2 min a day, background tracing off', background: false, rules: {} },
  { name: 'background', what: 'background tracing on (Location: "also after leaving")', background: true, rules: {} },
  {
    name: 'background, screen-off stop',
    what: 'background tracing on, with the reported (undocumented) stop of location updates a minute after the screen goes off',
    background: true,
    rules: { screenOffStopsLocation: true },
  },
];

type PairKind = 'Android↔Android' | 'Android↔iOS' | 'iOS↔iOS';
const KINDS: PairKind[] = ['Android↔Android', 'Android↔iOS', 'iOS↔iOS'];
/** One direction of a contact: who listened, who advertised. */
type Direction = 'Android hears Android' | 'Android hears iOS' | 'iOS hears Android' | 'iOS hears iOS';
const DIRECTIONS: Direction[] = ['Android hears Android', 'Android hears iOS', 'iOS hears Android', 'iOS hears iOS'];

interface Share {
  contacts: number;
  recorded: number;
  heard: number;
}

interface ProfileResult {
  profile: string;
  /** Both directions of each contact counted: recorded = the listener logged the other's rpis ≥ 15 min. */
  byPair: Record<PairKind, Share>;
  byDirection: Record<Direction, Share>;
  /** At least one of the two phones recorded the other ≥ 15 min (one record suffices for one of them to be warned). */
  eitherWay: Share;
  caseContacts: number;
  learned24h: number;
  learnedRed: number;
  othersWarned: number;
  tracingHoursMean: number;
  seconds: number;
}

/** 00:00 on 23 Nov 2026 in China (UTC+8): the model's local day starts here. */
const DAY1 = Date.UTC(2026, 10, 22, 16, 0, 0);
const CASE_UPLOAD_MIN = 24 * 60 + 9 * 60; // 09:00 the next day

const kindOf = (a: Person, b: Person): PairKind => (a.ios && b.ios ? 'iOS↔iOS' : a.ios || b.ios ? 'Android↔iOS' : 'Android↔Android');
const dirOf = (listener: Person, speaker: Person): Direction =>
  `${listener.ios ? 'iOS' : 'Android'} hears ${speaker.ios ? 'iOS' : 'Android'}` as Direction;

/** The phone's tek, from its storage (the bench reads it to know whose rpi is whose; the phone never sends it). */
function tekOf(p: Phone): Uint8Array {
  const raw = p.sim.store.get('prtc.tek') ?? '';
  const body = raw.replace(/^1:[0-9a-f]{8}:/, '');
  return fromHex((JSON.parse(body) as { tek: string }).tek);
}

/** Who advertised each rpi of the UTC days `days`: rpi hex → person id. */
function rpiOwners(phones: Phone[], teks: Uint8Array[], days: number[]): Map<string, number> {
  const owners = new Map<string, number>();
  phones.forEach((_, id) => {
    for (const i of days) {
      const rpis = deriveDayRpis(dayKeys(PROFILES.prtc, deriveAemk(teks[id], i)), i);
      for (let k = 0; k < ROLLING_PERIOD; k++) owners.set(toHex(rpis.subarray(16 * k, 16 * k + 16)), id);
    }
  });
  return owners;
}

/** Whether a person has the mini-program open, and the screen on, at minute m of the local day (day 2 repeats day 1). */
function stateAt(p: Person, minute: number): { open: boolean; screen: boolean } {
  const m = minute % MINUTES;
  const open = p.opens.some((o) => m >= o && m < o + OPEN_MINUTES);
  const screen = open || p.screenSessions.some((s) => m >= s && m < s + SCREEN_MINUTES);
  return { open, screen };
}

function applyState(p: Phone, s: { open: boolean; screen: boolean }): void {
  if (s.open && !p.sim.foreground) p.sim.show();
  if (!s.open && p.sim.foreground) p.sim.hide();
  if (s.screen !== p.sim.screenOn) p.sim.setScreen(s.screen);
}

async function runProfile(profile: Profile, model: DayModel, opts: CoverageOptions, log: (s: string) => void): Promise<ProfileResult> {
  const started = Date.now();
  const world = new SimWorld(DAY1);
  const dir = mkdtempSync(join(tmpdir(), 'prtc-coverage-'));
  const server = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir: dir,
      databaseUrl: `sqlite:${join(dir, 'bench.sqlite')}`,
      batchIntervalS: 0,
      minBatchKeys: 0,
      accessLog: false,
    },
    { clock: { now: () => Math.floor(world.timeMs / 1000) }, log: null, env: {} },
  );
  const phones: Phone[] = [];
  try {
    for (const person of model.people) {
      const p = makePhone(world, `p${person.id}`, server.url, {
        platform: person.ios ? 'ios' : 'android',
        position: model.positions[0][person.id],
        random: seededRandom(`${opts.seed}/phone/${person.id}`),
        rules: profile.rules,
      });
      p.sim.privacy.agreed = true; // the user agreed to the privacy guide when they first used it
      if (profile.background) p.sim.chooseLocation('always');
      await p.device.start();
      await p.device.setConsent(true);
      const t = await p.device.startTracing();
      if (!t.ok) throw new Error(`${p.name}: tracing did not start: ${t.text}`);
      if (profile.background) {
        const b = await p.device.setBackground(true);
        if (!b.ok) throw new Error(`${p.name}: background tracing did not start: ${b.text}`);
      }
      phones.push(p);
    }
    // lets the real HTTP of the syncs in flight finish (a suspended phone's answers wait for its next show)
    const idle = async () => {
      await new Promise((r) => setImmediate(r));
      const busy = phones.filter((p) => p.device.view.syncing && !p.sim.suspended());
      if (busy.length) await Promise.all(busy.map((p) => p.device.whenIdle()));
    };
    await idle();
    let tracingHoursMean = 0;

    // day 1: minute by minute, the radio once a minute
    for (let m = 0; m < MINUTES; m++) {
      model.people.forEach((person, id) => {
        applyState(phones[id], stateAt(person, m));
        phones[id].sim.position = model.positions[m][id];
      });
      await world.step(60_000);
      world.deliver();
      await idle();
      if (m % 240 === 239) log(`  ${profile.name}: ${(m + 1) / 60} h simulated, ${((Date.now() - started) / 1000).toFixed(0)} s`);
      // the day's tracing time as each phone's home page says it, a minute before midnight
      if (m === MINUTES - 2) for (const p of phones) p.device.dismissMessage(); // (an emit: the view reads the services afresh)
      if (m === MINUTES - 2) tracingHoursMean = phones.reduce((s, p) => s + p.device.view.tracingSecondsToday, 0) / phones.length / 3600;
    }

    // what each phone recorded of whom: minutes per (listener, speaker)
    const teks = phones.map(tekOf);
    const localDay = [enin(DAY1 / 1000), enin((DAY1 + MINUTES * 60_000) / 1000) - 1];
    const days = [dayInterval(localDay[0]), dayInterval(localDay[1])];
    const owners = rpiOwners(phones, teks, days);
    const heardMinutes = new Map<string, number>(); // "listener>speaker"
    phones.forEach((p, listener) => {
      for (const day of days)
        for (const rec of p.device.encounters.records(day)) {
          const speaker = owners.get(toHex(rec.rpi));
          if (speaker === undefined || rec.eninFirst < localDay[0] || rec.eninFirst > localDay[1]) continue;
          const k = `${listener}>${speaker}`;
          heardMinutes.set(k, (heardMinutes.get(k) ?? 0) + rec.minutes);
        }
    });
    const empty = (): Share => ({ contacts: 0, recorded: 0, heard: 0 });
    const byPair = Object.fromEntries(KINDS.map((k) => [k, empty()])) as Record<PairKind, Share>;
    const byDirection = Object.fromEntries(DIRECTIONS.map((k) => [k, empty()])) as Record<Direction, Share>;
    const eitherWay = empty();
    for (const [key, near] of model.nearMinutes) {
      if (near < CONTACT_MIN) continue;
      const [a, b] = key.split('-').map(Number);
      let any = false;
      for (const [listener, speaker] of [
        [a, b],
        [b, a],
      ]) {
        const got = heardMinutes.get(`${listener}>${speaker}`) ?? 0;
        for (const share of [
          byPair[kindOf(model.people[a], model.people[b])],
          byDirection[dirOf(model.people[listener], model.people[speaker])],
        ]) {
          share.contacts++;
          if (got >= CONTACT_MIN) share.recorded++;
          if (got > 0) share.heard++;
        }
        any ||= got >= CONTACT_MIN;
      }
      eitherWay.contacts++;
      if (any) eitherWay.recorded++;
    }

    // the planted case: the person with the most contacts tests positive the next morning
    const contactsOf = (id: number) =>
      [...model.nearMinutes].filter(([k, v]) => v >= CONTACT_MIN && k.split('-').map(Number).includes(id)).length;
    let caseId = 0;
    for (let id = 1; id < phones.length; id++) if (contactsOf(id) > contactsOf(caseId)) caseId = id;
    const caseContacts = new Set(
      [...model.nearMinutes]
        .filter(([k, v]) => v >= CONTACT_MIN && k.split('-').map(Number).includes(caseId))
        .map(([k]) =>
          k
            .split('-')
            .map(Number)
            .find((x) => x !== caseId)!,
        ),
    );

    // day 2: no contacts are counted (the radio is off); the phones live their day in 5-minute steps
    const step = 5;
    let minute = MINUTES;
    const advanceTo = async (until: number) => {
      for (; minute < until; minute += step) {
        model.people.forEach((person, id) => applyState(phones[id], stateAt(person, minute)));
        await world.step(step * 60_000);
        await idle();
      }
    };
    await advanceTo(CASE_UPLOAD_MIN);
    const patient = phones[caseId];
    patient.sim.show(); // the case opens the mini-program to report
    await world.step(1000);
    const clinic = await server.services.authority.authenticate(await server.services.authority.createToken('bench-clinic'));
    const { code } = await server.services.authority.issueCode(clinic);
    const up = await patient.device.upload(code, [], false);
    if (!up.ok) throw new Error(`the case's upload failed: ${up.text}`);
    await server.services.publishing.publish();
    const publishedAt = world.timeMs;
    const warnedAt = new Map<number, { at: number; red: boolean }>();
    const note = () =>
      phones.forEach((p, id) => {
        if (id !== caseId && !warnedAt.has(id) && p.device.view.status !== 'green')
          warnedAt.set(id, { at: world.timeMs, red: p.device.view.status === 'red' });
      });
    for (const until = CASE_UPLOAD_MIN + 24 * 60; minute < until;) {
      await advanceTo(Math.min(until, minute + 60));
      note();
    }
    const within = [...warnedAt].filter(([, w]) => w.at - publishedAt <= 24 * 3600_000);
    return {
      profile: profile.name,
      byPair,
      byDirection,
      eitherWay,
      caseContacts: caseContacts.size,
      learned24h: within.filter(([id]) => caseContacts.has(id)).length,
      learnedRed: within.filter(([id, w]) => caseContacts.has(id) && w.red).length,
      othersWarned: within.filter(([id]) => !caseContacts.has(id)).length,
      tracingHoursMean,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    for (const p of phones) p.device.stop();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const pct = (s: Share) => (s.contacts ? `${((100 * s.recorded) / s.contacts).toFixed(1)} %` : '—');
const heardPct = (s: Share) => (s.contacts ? `${((100 * s.heard) / s.contacts).toFixed(1)} %` : '—');

export const ASSUMPTIONS = [
  "time: one simulated day of contacts in 1-minute steps (each phone's timers fire once per step; a real phone ticks every 15 s), then 33 h in 5-minute steps without radio; one radio round per minute",
  'radio: every scanning phone hears every advertising phone within 30 m that its platform lets it perceive (testkit/handset/air.ts); RSSI −50 dBm at 1 m falling 20 dB per decade; no bodies, walls or missed rounds',
  "platforms: Android phones are 8.1+ (screen-off scans need a filter; the app filters); iOS hides a background advertiser's service UUIDs (overflow area) and background scans need a filter; WeChat on iOS keeps Bluetooth working in the background (undocumented); no iOS↔iOS GATT exchange",
  'WeChat: background location keeps the JavaScript running; location updates every second; screen-off stop (third profile only) a minute after the screen goes off, then suspension 5 s later',
  'people: everyone consents and traces; background profiles: everyone allowed Location "also after leaving"; each opens the mini-program 3 × 2 min between 07:00 and 22:00 and uses the phone (screen on) 10 × 5 min; screens are off otherwise',
  "contact: ≥ 15 min within 2 m, summed over the day (bench/day-model.ts: home, bus, office desks 1.8 m apart, shop); recorded: the listener logged the other phone's rpis for ≥ 15 distinct minutes that day; heard: at least one sighting",
  'case: the person with the most contacts uploads at 09:00 the next day; the server publishes at once; learned: the status is no longer green within 24 h (phones sync every 3 h while their JavaScript runs, and when opened)',
];

function printTable(results: ProfileResult[], opts: CoverageOptions, model: DayModel): void {
  const say = (s = '') => process.stdout.write(s + '\n');
  const ios = model.people.filter((p) => p.ios).length;
  say(
    `coverage: ${opts.phones} phones (${ios} iPhones), seed ${opts.seed}; contacts of ≥ ${CONTACT_MIN} min within 2 m recorded, per profile`,
  );
  say('');
  const head = ['profile', ...KINDS, 'either way', 'case contacts warned ≤ 24 h'];
  const rows = results.map((r) => [
    r.profile,
    ...KINDS.map((k) => `${pct(r.byPair[k])} (heard ${heardPct(r.byPair[k])})`),
    pct(r.eitherWay),
    `${r.learned24h} of ${r.caseContacts} (red ${r.learnedRed}; others warned ${r.othersWarned})`,
  ]);
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((row) => row[k].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, k) => c.padEnd(widths[k])).join(' | ') + ' |';
  say(line(head));
  say('| ' + widths.map((w) => '-'.repeat(w)).join(' | ') + ' |');
  for (const row of rows) say(line(row));
  say('');
  say(`contacts per pair (each counted in both directions): ${KINDS.map((k) => `${k} ${results[0].byPair[k].contacts / 2}`).join(', ')}`);
  say('by direction (listener hears advertiser), recorded:');
  for (const r of results) say(`  ${r.profile.padEnd(28)} ${DIRECTIONS.map((d) => `${d} ${pct(r.byDirection[d])}`).join(' · ')}`);
  say(`mean tracing time on the day: ${results.map((r) => `${r.profile} ${r.tracingHoursMean.toFixed(1)} h`).join(', ')}`);
  say('');
  say("what cannot be recorded, by the platforms' rules (never claimed otherwise):");
  say(
    "  an iPhone in the background is heard by no phone: iOS moves its service UUIDs (frame U's rpi) into the overflow area, which Android",
  );
  say('  scanners never see and iOS scanners see only as "present"; it is recorded only while its mini-program is open. An iOS↔iOS GATT');
  say("  read could carry it (not built: a connection per pair every 10 min, on WeChat's undocumented iOS background Bluetooth).");
  say('profiles:');
  for (const p of PROFILES_RUN) say(`  ${p.name}: ${p.what}`);
  say('the model assumes:');
  for (const a of ASSUMPTIONS) say(`  - ${a}`);
  say(`run time: ${results.map((r) => `${r.profile} ${r.seconds.toFixed(0)} s`).join(', ')}`);
}

export async function runCoverageBench(opts: CoverageOptions): Promise<void> {
  if (!Number.isInteger(opts.phones) || opts.phones < 10) throw new Error('--phones must be an integer of at least 10');
  // the model's day is a day in China: the phones' "today" (their local day) is China's
  process.env.TZ = 'Asia/Shanghai';
  const model = buildDay(opts.phones, opts.seed, opts.iosShare);
  const log = opts.json ? () => undefined : (s: string) => process.stderr.write(s + '\n');
  const results: ProfileResult[] = [];
  for (const profile of PROFILES_RUN) results.push(await runProfile(profile, model, opts, log));
  if (opts.json) {
    process.stdout.write(
      JSON.stringify({
        bench: 'coverage',
        phones: opts.phones,
        iPhones: model.people.filter((p) => p.ios).length,
        seed: opts.seed,
        contactMinutes: CONTACT_MIN,
        profiles: results,
        assumptions: ASSUMPTIONS,
      }) + '\n',
    );
    return;
  }
  printTable(results, opts, model);
}
