/**
 * Matching on the phone (§5): 1,000,000 published keys over 14 days, streamed in 100 signed batches
 * the way sync receives them (verify head, check body hash, decode, match, drop), against the
 * encounter log of a busy user (3,000 encounters over 14 days, a few of them real contacts of
 * published keys). Prints seconds, rpis derived, the same algorithm with Node's crypto (AES-NI) for
 * the rpi derivation as the ceiling, their ratio, the sampled peak heap, and the storage the log
 * takes on the phone. Asserts nothing about time; it checks only that the planted contacts are found.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { SimPhone } from '../miniprogram/host/simulated/phone';
import { SimWorld } from '../miniprogram/host/simulated/world';
import { EncounterLog, RECORD_BYTES } from '../miniprogram/services/encounters';
import { MatchIndex, matchBatch, type MatchStats } from '../miniprogram/services/matcher';
import { DeviceStorage } from '../miniprogram/services/storage';
import {
  batchHash,
  encodeBatch,
  verifyBatch,
  ZERO_HASH,
  type BatchDay,
  type Checkpoint,
  type DecodedBatch,
} from '../shared/protocol/batch';
import { dayKeys, deriveRpi, PROFILES } from '../shared/protocol/crypto';
import { headMessage, newSecretKey, publicKeyOf, sign } from '../shared/protocol/signing';
import { dayInterval, enin, ENIN_SECONDS, ROLLING_PERIOD } from '../shared/protocol/time';

export interface MatchingBench {
  seconds: number;
  ceilingSeconds: number;
  ratio: number;
  rpis: number;
  peakHeapMB: number;
  logBytes: number;
  hits: number;
}

const DAYS = 14;

/** The busy user's log: `encounters` sightings over 14 days, `planted` of them rpis of published keys. */
function busyLog(now: number, encounters: number, plantedKeys: { key: Uint8Array; day: number; j: number }[]) {
  const world = new SimWorld(now * 1000);
  const phone = new SimPhone(world, { name: 'bench' });
  const storage = new DeviceStorage(phone.host);
  const log = new EncounterLog(storage);
  const today = dayInterval(enin(now));
  const rnd = randomBytes(encounters * 24);
  for (let e = 0; e < encounters; e++) {
    const day = today - ROLLING_PERIOD * (1 + (rnd[24 * e] % DAYS));
    const j = day + 42 + (rnd[24 * e + 1] % 90); // 07:00–22:00
    const planted = e < plantedKeys.length ? plantedKeys[e] : null;
    const rpi = planted ? deriveRpi(dayKeys(PROFILES.prtc, planted.key), planted.j) : new Uint8Array(rnd.subarray(24 * e + 4, 24 * e + 20));
    const jj = planted ? planted.j : j;
    const minutes = 1 + (rnd[24 * e + 2] % 15);
    for (let m = 0; m < minutes; m++) {
      log.record({ rpi, aem: null, rssi: -50 - (rnd[24 * e + 3] % 40) }, jj * ENIN_SECONDS + 60 * m);
    }
  }
  log.flush();
  let bytes = 0;
  for (const [k, v] of phone.store) if (k.startsWith('prtc.enc.')) bytes += v.length;
  return { log, bytes };
}

/** The ceiling: the same per-day ENIN selection and index lookups, with Node's AES-NI deriving the rpis. */
function matchBatchNode(batch: DecodedBatch, index: MatchIndex, stats: MatchStats): void {
  const ids: number[] = [];
  for (const day of batch.days) {
    const enins = index.eninsIn(day.i, day.i + ROLLING_PERIOD);
    if (enins.length === 0) continue;
    const blocks = Buffer.alloc(16 * enins.length);
    for (let k = 0; k < enins.length; k++) {
      blocks.write('PrTC-RPI', 16 * k);
      blocks.writeUInt32LE(enins[k], 16 * k + 12);
    }
    for (const key of day.keys) {
      const c = createCipheriv('aes-128-ecb', key.subarray(0, 16), null);
      c.setAutoPadding(false);
      const rpis = new Uint8Array(c.update(blocks));
      const words = new Uint32Array(rpis.buffer, rpis.byteOffset, rpis.length / 4);
      stats.keys++;
      stats.rpisDerived += enins.length;
      for (let k = 0; k < enins.length; k++) {
        ids.length = 0;
        index.lookup(rpis, k, words[4 * k], enins[k], ids);
        stats.hits += ids.length;
      }
    }
  }
}

export function runMatchingBench(totalKeys = 1_000_000, batches = 100, encounters = 3000, log = console.log): MatchingBench {
  const now = Math.floor(Date.UTC(2026, 10, 23, 12, 0, 0) / 1000);
  const today = dayInterval(enin(now));
  const perBatch = Math.ceil(totalKeys / batches);
  // keys are generated from a seed stream batch by batch; a few are planted in the log as real contacts
  const planted: { key: Uint8Array; day: number; j: number; batch: number }[] = [];
  for (let p = 0; p < 20; p++) {
    const day = today - ROLLING_PERIOD * (1 + (p % DAYS));
    planted.push({ key: new Uint8Array(randomBytes(32)), day, j: day + 60 + p, batch: (p * 7) % batches });
  }
  const { log: encounterLog, bytes } = busyLog(now, encounters, planted);
  const records = encounterLog.storedDays().reduce((n, d) => n + encounterLog.dayBytes(d).length / RECORD_BYTES, 0);

  const secret = newSecretKey((n) => new Uint8Array(randomBytes(n)));
  const pub = publicKeyOf(secret);
  let prev: Checkpoint | null = null;
  const bodies = function* () {
    for (let b = 1; b <= batches; b++) {
      const days: BatchDay[] = [];
      const keyBytes = new Uint8Array(randomBytes(32 * perBatch));
      for (let d = 0; d < DAYS; d++) days.push({ i: today - ROLLING_PERIOD * (d + 1), keys: [] });
      for (let k = 0; k < perBatch; k++) days[k % DAYS].keys.push(keyBytes.subarray(32 * k, 32 * k + 32));
      for (const p of planted) if (p.batch === b - 1) days.find((d) => d.i === p.day)!.keys.push(p.key);
      const body = encodeBatch({ n: b, prevHash: prev ? prev.hash : ZERO_HASH, createdAt: now, days, warnings: [] });
      const hash = batchHash(body);
      const head: Checkpoint = { n: b, hash, signedAt: now, signature: sign(headMessage(b, hash, now), secret) };
      yield { body, head };
      prev = head;
    }
  };

  const run = (match: (batch: DecodedBatch, index: MatchIndex, stats: MatchStats) => void) => {
    prev = null;
    const stats: MatchStats = { keys: 0, rpisDerived: 0, daysSkipped: 0, hits: 0 };
    let seconds = 0;
    let verifySeconds = 0;
    let peak = 0;
    const index = MatchIndex.of(encounterLog);
    let last: Checkpoint | null = null;
    for (const { body, head } of bodies()) {
      const t = performance.now();
      const batch = verifyBatch(body, head, last, pub);
      verifySeconds += (performance.now() - t) / 1000;
      match(batch, index, stats);
      seconds += (performance.now() - t) / 1000;
      last = head;
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    return { seconds, verifySeconds, stats, peak };
  };

  const ours = run((b, i, s) => {
    matchBatch(b, i, -10, s);
  });
  const ceiling = run(matchBatchNode);
  const result: MatchingBench = {
    seconds: ours.seconds,
    ceilingSeconds: ceiling.seconds,
    ratio: ceiling.seconds / ours.seconds,
    rpis: ours.stats.rpisDerived,
    peakHeapMB: ours.peak / 2 ** 20,
    logBytes: bytes,
    hits: ours.stats.hits,
  };
  const fmt = (n: number) => n.toLocaleString('en');
  log(
    `matching: ${fmt(ours.stats.keys)} published keys over ${DAYS} days in ${batches} signed batches, against a log of ${fmt(encounters)} encounters (${fmt(records)} records)`,
  );
  log(`  project (sync path: verify, decode, match)   ${ours.seconds.toFixed(2)} s   (target ≤ 15 s)`);
  log(`    of which verifying and decoding batches    ${ours.verifySeconds.toFixed(2)} s`);
  log(
    `  rpis derived                                 ${fmt(ours.stats.rpisDerived)} (${(ours.stats.rpisDerived / ours.stats.keys).toFixed(1)} per key: only ENINs within ±12 of a record)`,
  );
  log(`  same algorithm, Node crypto (AES-NI) rpis    ${ceiling.seconds.toFixed(2)} s`);
  log(`  ratio ceiling time / project time            ${result.ratio.toFixed(3)}   (target 0.4)`);
  log(`  peak heap (sampled per batch)                ${result.peakHeapMB.toFixed(1)} MB   (target ≤ 100 MB)`);
  log(`  planted contacts found                       ${ours.stats.hits} of ${planted.length} (ceiling run: ${ceiling.stats.hits})`);
  log(`  encounter log in phone storage               ${(bytes / 1024).toFixed(1)} KB   (target ≤ 1024 KB)`);
  if (ours.stats.hits < planted.length) throw new Error(`matching missed planted contacts: ${ours.stats.hits} of ${planted.length}`);
  return result;
}
