/**
 * `npm run bench -- scale [--json] [--seed n]`: a China-sized wave, seeded, over the regions of §15.
 * 100,000 diagnoses a day over the prefecture-level regions weighted by population, 27,000 of them in
 * one city (上海市), a travel model for the regions each diagnosed person (and each phone) visited,
 * and the server's real publishing rule (ReleaseRule: hold back below REGION_MIN_KEYS, release and pad
 * at every slot) run over one day of 10-minute publishing runs. Prints, per phone per day, the bytes
 * downloaded (bodies and list answers) and the seconds of matching on the phone's build — for a phone
 * in the outbreak city, one elsewhere, one that travelled — and the CDN's bytes a day and the origin's
 * requests a second at 1.3 billion phones. The model's assumptions are printed with the figures.
 *
 * Matching is measured, not modelled: a sample of keys (BENCH_SCALE_SAMPLE, default 200,000) goes
 * through the built worker and its WebAssembly engine exactly as `bench matching` sends them
 * (runMatchingBench), and the seconds per key scale to each phone's keys of a day.
 */
import { BUILD_REGIONS, provinceOf, UNKNOWN_REGION, type Region } from '../shared/regions';
import { ReleaseRule } from '../server/domains/publishing/regions';
import { runMatchingBench } from './matching';

/** What the model assumes, printed with the figures. */
export const MODEL = {
  diagnosesPerDay: 100_000,
  outbreakRegion: 310000,
  outbreakPerDay: 27_000,
  keysPerDiagnosis: 14,
  phones: 1.3e9,
  population: 1.41e9,
  /** No prefecture population data is on npm: populations are log-normal (this σ), scaled to the total. */
  populationSigma: 0.8,
  /** Regions a person visited in 14 days besides home: P(0), P(1), P(2), P(3). */
  visits: [0.7, 0.2, 0.07, 0.03],
  /** A visit stays in the home province with this probability, else goes anywhere weighted by population. */
  sameProvince: 0.6,
  /** Share of uploads that name no region (a user who left every region out): region 1. */
  unnamed: 0.01,
  /** Share of diagnosed people who upload check-ins, and how many warnings each. */
  checkinShare: 0.3,
  warningsPerUpload: 3,
  /** Times a phone checks a day (at launch, on show, every few hours). */
  syncsPerDay: 6,
  /** How long a CDN keeps a list answer (nginx in front: 1 s). */
  listTtlS: 1,
  minKeys: 45,
  releaseS: 21600,
  runS: 600,
};

/** A small seeded PRNG (mulberry32): the same seed gives the same wave. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

function poisson(rand: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(rand)));
  const l = Math.exp(-lambda);
  let k = 0;
  for (let p = rand(); p > l; p *= rand()) k++;
  return k;
}

/** Body bytes of a batch (§9/§15): header, one 8-byte header per day present, 32 per key, 40 per warning. */
const bodyBytes = (keys: number, warnings: number) => 64 + 8 * Math.min(14, Math.max(1, keys)) + 32 * keys + 40 * warnings;
/** A list answer's bytes: the root and path (~600), the head (~180) and ~200 per entry. */
const listBytes = (entries: number) => 800 + 200 * entries;

interface Chain {
  region: number;
  /** Real (key, region) publications a day, and warnings. */
  keysPerDay: number;
  warningsPerDay: number;
  /** Filled by the day's publishing: bytes of bodies, batches, keys published (real and fake). */
  bodyBytes: number;
  batches: number;
  publishedKeys: number;
}

export interface ScaleBench {
  seed: number;
  regions: number;
  phones: Record<
    'outbreak' | 'elsewhere' | 'travelled',
    { chains: number[]; bytesByChain: number[]; bytes: number; keys: number; seconds: number }
  >;
  cdnBytesPerDay: number;
  originRequestsPerS: number;
  secondsPerMillionKeys: number;
  sampleKeys: number;
}

export async function runScaleBench(opts: { json?: boolean; seed?: number; sample?: number } = {}, log = console.log): Promise<ScaleBench> {
  const seed = opts.seed ?? 1;
  const rand = prng(seed);
  const regions: Region[] = [...BUILD_REGIONS];
  // populations: log-normal, scaled to the country's
  const raw = regions.map(() => Math.exp(MODEL.populationSigma * normal(rand)));
  const scale = MODEL.population / raw.reduce((s, x) => s + x, 0);
  const pop = new Map(regions.map((r, k) => [r.code, raw[k] * scale]));
  const total = MODEL.population;
  const byProvince = new Map<number, number[]>();
  for (const r of regions) byProvince.set(provinceOf(r.code), [...(byProvince.get(provinceOf(r.code)) ?? []), r.code]);
  const cumulative = regions.map((r) => r.code);
  const weights = regions.map((r) => pop.get(r.code)!);
  const pickWeighted = (): number => {
    let x = rand() * total;
    for (let k = 0; k < cumulative.length; k++) if ((x -= weights[k]) <= 0) return cumulative[k];
    return cumulative[cumulative.length - 1];
  };
  const visitsOf = (home: number): number[] => {
    const u = rand();
    const k = u < MODEL.visits[0] ? 0 : u < MODEL.visits[0] + MODEL.visits[1] ? 1 : u < 1 - MODEL.visits[3] ? 2 : 3;
    const out: number[] = [];
    for (let v = 0; v < k; v++) {
      const near = byProvince.get(provinceOf(home))!;
      const r = rand() < MODEL.sameProvince && near.length > 1 ? near[Math.floor(rand() * near.length)] : pickWeighted();
      if (r !== home && !out.includes(r)) out.push(r);
    }
    return out;
  };

  // a day of diagnoses: home regions, visits, what each names
  const chains = new Map<number, Chain>();
  const chain = (region: number) => {
    let c = chains.get(region);
    if (!c) chains.set(region, (c = { region, keysPerDay: 0, warningsPerDay: 0, bodyBytes: 0, batches: 0, publishedKeys: 0 }));
    return c;
  };
  for (const r of [UNKNOWN_REGION, ...regions.map((x) => x.code)]) chain(r);
  const elsewhereTotal = MODEL.diagnosesPerDay - MODEL.outbreakPerDay;
  const otherPop = total - pop.get(MODEL.outbreakRegion)!;
  const homes: [number, number][] = regions.map((r) => [
    r.code,
    r.code === MODEL.outbreakRegion ? MODEL.outbreakPerDay : poisson(rand, (elsewhereTotal * pop.get(r.code)!) / otherPop),
  ]);
  for (const [home, count] of homes) {
    for (let d = 0; d < count; d++) {
      const warnings = rand() < MODEL.checkinShare ? MODEL.warningsPerUpload : 0;
      const named = rand() < MODEL.unnamed ? [UNKNOWN_REGION] : [home, ...visitsOf(home)];
      for (const r of named) {
        chain(r).keysPerDay += MODEL.keysPerDiagnosis;
        chain(r).warningsPerDay += warnings;
      }
    }
  }

  // the server's rule over the day's 144 runs: keys arrive evenly, held below minKeys, released at slots
  const rule = new ReleaseRule(MODEL.minKeys, MODEL.releaseS);
  const runs = 86400 / MODEL.runS;
  for (const c of chains.values()) {
    let held = 0;
    let heldWarnings = 0;
    let lastSlot: number | null = null;
    for (let run = 0; run < runs; run++) {
      const t = run * MODEL.runS;
      held += poisson(rand, c.keysPerDay / runs);
      heldWarnings += poisson(rand, c.warningsPerDay / runs);
      const atSlot = rule.slotDue(t, lastSlot);
      if (atSlot) lastSlot = rule.slotOf(t);
      if (held >= rule.minKeys || atSlot) {
        const keys = held + rule.padding(held, atSlot && held < rule.minKeys);
        c.bodyBytes += bodyBytes(keys, heldWarnings);
        c.batches++;
        c.publishedKeys += keys;
        held = 0;
        heldWarnings = 0;
      }
    }
  }

  // phones: what each follows (§15: home, visited, region 1) and what that costs a day
  const costOf = (codes: number[]) => {
    const bytesByChain = codes.map((r) => {
      const c = chains.get(r)!;
      return c.bodyBytes + MODEL.syncsPerDay * listBytes(c.batches / MODEL.syncsPerDay);
    });
    const keys = codes.reduce((s, r) => s + chains.get(r)!.publishedKeys, 0);
    return { bytesByChain, bytes: bytesByChain.reduce((s, b) => s + b, 0), keys };
  };
  const byPop = [...regions].filter((r) => r.code !== MODEL.outbreakRegion).sort((a, b) => pop.get(a.code)! - pop.get(b.code)!);
  const median = byPop[Math.floor(byPop.length / 2)].code;
  const biggest = byPop[byPop.length - 1].code;
  const neighbour = (byProvince.get(provinceOf(median)) ?? []).find((r) => r !== median) ?? byPop[0].code;
  const follows = {
    outbreak: [MODEL.outbreakRegion, UNKNOWN_REGION],
    elsewhere: [median, UNKNOWN_REGION],
    travelled: [median, biggest, neighbour, UNKNOWN_REGION],
  };

  // matching on the phone's build: a sample through the built worker, scaled per key
  const sample = opts.sample ?? Number(process.env.BENCH_SCALE_SAMPLE ?? 200_000);
  const m = await runMatchingBench(sample, { json: true }, Math.max(1, Math.round(sample / 10_000)), 3000, () => undefined);
  const perKey = m.seconds / m.keys;
  const phones = Object.fromEntries(
    Object.entries(follows).map(([name, codes]) => {
      const c = costOf(codes);
      return [name, { chains: codes, bytesByChain: c.bytesByChain, bytes: c.bytes, keys: c.keys, seconds: c.keys * perKey }];
    }),
  ) as ScaleBench['phones'];

  // the CDN at 1.3 billion phones: each follows home + the regions it visited + region 1
  const followers = new Map<number, number>();
  const phonesPerPerson = MODEL.phones / total;
  const meanVisits = MODEL.visits[1] + 2 * MODEL.visits[2] + 3 * MODEL.visits[3];
  for (const r of regions) {
    const here = pop.get(r.code)! * phonesPerPerson;
    followers.set(r.code, (followers.get(r.code) ?? 0) + here);
    // visitors: phones from the same province and from everywhere, by the travel model
    const near = byProvince.get(provinceOf(r.code))!;
    const provincePop = near.reduce((s, x) => s + pop.get(x)!, 0);
    const visitors =
      meanVisits *
      MODEL.phones *
      (MODEL.sameProvince * (provincePop / total) * (1 / near.length) + (1 - MODEL.sameProvince) * (pop.get(r.code)! / total));
    followers.set(r.code, followers.get(r.code)! + visitors);
  }
  followers.set(UNKNOWN_REGION, MODEL.phones);
  let cdnBytes = 0;
  let origin = 0;
  for (const c of chains.values()) {
    const f = followers.get(c.region) ?? 0;
    cdnBytes += f * (c.bodyBytes + MODEL.syncsPerDay * listBytes(c.batches / MODEL.syncsPerDay));
    // lists: one URL per `after` a phone can be at (the last day's batches); each fetched from the
    // origin at most once per TTL while it is asked for; bodies: once per batch (immutable)
    const urls = c.batches + 1;
    const perUrl = (f * MODEL.syncsPerDay) / 86400 / urls;
    origin += urls * Math.min(perUrl, 1 / MODEL.listTtlS) + c.batches / 86400;
  }

  const result: ScaleBench = {
    seed,
    regions: regions.length,
    phones,
    cdnBytesPerDay: cdnBytes,
    originRequestsPerS: origin,
    secondsPerMillionKeys: perKey * 1e6,
    sampleKeys: m.keys,
  };
  if (opts.json) {
    log(JSON.stringify(result));
    return result;
  }
  const mb = (b: number) => `${(b / 1e6).toFixed(2)} MB`;
  const name = (code: number) => (code === UNKNOWN_REGION ? 'region 1' : `${regions.find((r) => r.code === code)?.zh}`);
  log(`scale: a seeded wave (seed ${seed}) over ${regions.length} regions, one day of 10-minute publishing runs`);
  log('  model: ' + JSON.stringify(MODEL));
  log(
    `  matching on the built worker (engine ${m.engine}): ${m.keys.toLocaleString('en')} sample keys in ${m.seconds.toFixed(2)} s, scaled per key`,
  );
  const goals = { outbreak: [15e6, 10], elsewhere: [1e6, 1], travelled: [1e6, 1] } as const;
  for (const [k, p] of Object.entries(phones) as [keyof typeof goals, ScaleBench['phones']['outbreak']][]) {
    log(
      `  phone ${k.padEnd(9)} follows ${p.chains.map((c, j) => `${name(c)} ${mb(p.bytesByChain[j])}`).join(', ')}: ${mb(p.bytes)} a day (goal ≤ ${mb(goals[k][0])}), ` +
        `${p.keys.toLocaleString('en')} keys, ${p.seconds.toFixed(2)} s of matching (goal ≤ ${goals[k][1]} s)`,
    );
  }
  log(
    `  CDN: ${(cdnBytes / 1e15).toFixed(3)} PB a day to ${(MODEL.phones / 1e9).toFixed(1)} B phones; origin ${origin.toFixed(0)} requests/s`,
  );
  return result;
}
