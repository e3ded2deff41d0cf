/**
 * A seeded day of people for the coverage bench: where each person is, minute by minute, of one
 * local day (home, a commute by bus, a desk at work, an evening shop), when they open the
 * mini-program and when their screen is on, and — from the positions alone — the ground truth: how
 * many minutes each pair spent within 2 m. Everything comes from one seed, so every usage profile
 * of one run meets the same people at the same places.
 *
 * Places are far apart (100 m and more, beyond the radio's 30 m), so phones hear only people at
 * their own place. Within a place, positions are drawn:
 * - home: a household of 1–4 in a 6 × 5 m flat, each on a spot re-drawn every hour (night: two
 *   adults sleep within 2 m);
 * - bus: people on one line leaving in the same 15 minutes share a 2.5 × 10 m bus, seats drawn;
 * - work: offices of 6–20 desks in rows 1.8 m apart, 09:00–12:00 and 13:00–17:30;
 * - shop: 40 % visit one of a few 15 × 15 m shops for 15–40 min between 18:00 and 20:30, moving every 5 minutes.
 */
import { seededRandom } from '../testkit/random';

export const MINUTES = 24 * 60;
export const NEAR_M = 2;
export const CONTACT_MIN = 15;

export interface Person {
  id: number;
  ios: boolean;
  household: number;
  office: number | null;
  /** Minutes of the local day the mini-program is opened (each open lasts OPEN_MINUTES). */
  opens: number[];
  /** Minutes the screen is on for other apps (each session SCREEN_MINUTES). */
  screenSessions: number[];
}

export const OPEN_MINUTES = 2;
export const SCREEN_MINUTES = 5;

export interface DayModel {
  people: Person[];
  /** Position of person p at minute m: positions[m][p] (metres, world coordinates). */
  positions: { x: number; y: number }[][];
  /** Minutes within NEAR_M, per pair "a-b" (a < b). */
  nearMinutes: Map<string, number>;
}

/** Uniform floats in [0, 1) from the seed. */
function floats(seed: string): () => number {
  const bytes = seededRandom(seed);
  return () => {
    const b = bytes(4);
    return ((b[0] | (b[1] << 8) | (b[2] << 16)) >>> 0) / 0x1000000 + b[3] / 0x1000000 / 256;
  };
}

export const pairKey = (a: number, b: number) => (a < b ? `${a}-${b}` : `${b}-${a}`);

export function buildDay(n: number, seed: string, iosShare: number): DayModel {
  const r = floats(`day-model/${seed}`);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const people: Person[] = [];
  // households of 1–4
  let household = 0;
  while (people.length < n) {
    const size = Math.min(n - people.length, int(1, 4));
    for (let k = 0; k < size; k++)
      people.push({ id: people.length, ios: r() < iosShare, household, office: null, opens: [], screenSessions: [] });
    household++;
  }
  // 70 % work, in offices of 6–20
  const workers = people.filter(() => r() < 0.7);
  let office = 0;
  for (let k = 0; k < workers.length;) {
    const size = int(6, 20);
    for (let j = 0; j < size && k < workers.length; j++, k++) workers[k].office = office;
    office++;
  }
  for (const p of people) {
    p.opens = [0, 0, 0].map(() => int(7 * 60, 22 * 60 - OPEN_MINUTES)).sort((a, b) => a - b);
    p.screenSessions = Array.from({ length: 10 }, () => int(7 * 60, 23 * 60 - SCREEN_MINUTES)).sort((a, b) => a - b);
  }

  // each person's day: a list of (from minute, place, spot-drawing) segments
  type Place = { key: string; origin: { x: number; y: number }; w: number; h: number; redrawEvery: number };
  const homeOf = (p: Person): Place => ({
    key: `home${p.household}`,
    origin: { x: 10_000 + 100 * p.household, y: 0 },
    w: 6,
    h: 5,
    redrawEvery: 60,
  });
  const bus = (line: number, slot: number, evening: boolean): Place => ({
    key: `bus${line}.${slot}.${evening ? 'e' : 'm'}`,
    origin: { x: 20_000 + 100 * line, y: 1000 * slot + (evening ? 500 : 0) },
    w: 2.5,
    h: 10,
    redrawEvery: 1e9,
  });
  const shop = (s: number): Place => ({ key: `shop${s}`, origin: { x: 30_000 + 100 * s, y: 0 }, w: 15, h: 15, redrawEvery: 5 });
  const plan: { from: number; place: Place; desk?: { x: number; y: number } }[][] = people.map(() => []);
  const offices = new Map<number, number>(); // office → desks taken
  for (const p of people) {
    const segs = plan[p.id];
    const home = homeOf(p);
    segs.push({ from: 0, place: home });
    if (p.office !== null) {
      const line = int(0, 9);
      const leave = int(7 * 60 + 50, 8 * 60 + 30);
      const ride = int(20, 45);
      segs.push({ from: leave, place: bus(line, Math.floor(leave / 15), false) });
      const desk = offices.get(p.office) ?? 0;
      offices.set(p.office, desk + 1);
      const work: Place = { key: `office${p.office}`, origin: { x: 0, y: 40_000 + 100 * p.office }, w: 0, h: 0, redrawEvery: 1e9 };
      const at = { x: work.origin.x + 1.8 * (desk % 5), y: work.origin.y + 2.5 * Math.floor(desk / 5) };
      segs.push({ from: Math.max(leave + ride, 9 * 60), place: work, desk: at });
      // lunch away from the office, at a place of one's own (contacts there are not modelled)
      segs.push({ from: 12 * 60, place: { ...home, key: `lunch${p.id}`, origin: { x: 50_000 + 100 * p.id, y: 0 } } });
      segs.push({ from: 13 * 60, place: work, desk: at });
      const back = int(17 * 60 + 30, 18 * 60);
      segs.push({ from: back, place: bus(line, Math.floor(back / 15), true) });
      segs.push({ from: back + ride, place: home });
    }
    if (r() < 0.4) {
      const at = int(18 * 60 + 30, 20 * 60 + 30);
      const stay = int(15, 40);
      // a shop visit replaces whatever was planned then, and goes home after
      const before = segs.filter((s) => s.from < at);
      segs.length = 0;
      segs.push(...before, { from: at, place: shop(int(0, 4)) }, { from: at + stay, place: home });
    }
  }

  // positions minute by minute
  const positions: { x: number; y: number }[][] = [];
  const spot = new Map<string, { x: number; y: number; until: number }>();
  const rank = new Map<number, number>(); // a person's place in their household (who sleeps beside whom)
  for (const p of people) rank.set(p.id, people.filter((q) => q.household === p.household && q.id < p.id).length);
  const place = (p: Person, m: number) => {
    const segs = plan[p.id];
    let s = segs[0];
    for (const x of segs) if (x.from <= m) s = x;
    return s;
  };
  for (let m = 0; m < MINUTES; m++) {
    const row: { x: number; y: number }[] = [];
    for (const p of people) {
      const s = place(p, m);
      if (s.desk) {
        row.push(s.desk);
        continue;
      }
      const key = `${p.id}@${s.place.key}`;
      let at = spot.get(key);
      const night = m < 7 * 60 || m >= 23 * 60;
      if (!at || m >= at.until) {
        const o = s.place.origin;
        // at night a household sleeps: the first two members of it within 1.5 m of each other
        const sleeping = night && s.place.key.startsWith('home');
        const k = rank.get(p.id)!;
        const x = sleeping ? o.x + (k % 2) * 1.2 + 0.5 : o.x + r() * s.place.w;
        const y = sleeping ? o.y + Math.floor(k / 2) * 3 + 0.5 : o.y + r() * s.place.h;
        at = { x, y, until: sleeping ? 7 * 60 : m + s.place.redrawEvery };
        spot.set(key, at);
      }
      row.push({ x: at.x, y: at.y });
    }
    positions.push(row);
  }

  // the ground truth: minutes within 2 m, per pair (only people at one place can be)
  const nearMinutes = new Map<string, number>();
  for (let m = 0; m < MINUTES; m++) {
    const byPlace = new Map<string, number[]>();
    for (const p of people) {
      const k = place(p, m).place.key;
      const list = byPlace.get(k) ?? [];
      list.push(p.id);
      byPlace.set(k, list);
    }
    for (const ids of byPlace.values()) {
      for (let i = 0; i < ids.length; i++)
        for (let j = i + 1; j < ids.length; j++) {
          const a = positions[m][ids[i]];
          const b = positions[m][ids[j]];
          if (Math.hypot(a.x - b.x, a.y - b.y) <= NEAR_M) {
            const key = pairKey(ids[i], ids[j]);
            nearMinutes.set(key, (nearMinutes.get(key) ?? 0) + 1);
          }
        }
    }
  }
  return { people, positions, nearMinutes };
}
