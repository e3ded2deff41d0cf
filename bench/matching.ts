/**
 * Matching on the phone (§5): 1,000,000 published keys over 14 days, streamed in 100 signed batches
 * the way sync receives them (verify head, check body hash, decode, match, drop), against the
 * encounter log of a busy user (3,000 encounters over 14 days, a few of them real contacts of
 * published keys). Prints seconds, rpis derived, the same algorithm with Node's crypto (AES-NI) for
 * the rpi derivation as the ceiling, their ratio, the sampled peak heap, and the storage the log
 * takes on the phone. Asserts nothing about time; it checks only that the planted contacts are found.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { workerMatching } from '../miniprogram/matching/batch-matching';
import type { EngineName } from '../miniprogram/matching/engines';
import { WASM_PATH, WASM_SIMD_PATH, WORKER_SCRIPT } from '../miniprogram/matching/messages';
import { nodeWorker, type NodeWorkerThread } from '../testkit/node-worker';
import { SimPhone } from '../testkit/handset';
import { SimWorld } from '../testkit/world';
import { EncounterLog, RECORD_BYTES } from '../miniprogram/services/encounters';
import { MatchIndex, type MatchStats } from '../miniprogram/matching/matcher';
import { DeviceStorage } from '../miniprogram/services/storage';
import {
  batchHash,
  encodeBatch,
  verifyBatch,
  verifyHead,
  ZERO_HASH,
  type BatchDay,
  type Checkpoint,
  type DecodedBatch,
} from '../shared/protocol/batch';
import { dayKeys, deriveRpi, PROFILES } from '../shared/protocol/crypto';
import { headMessage, newSecretKey, publicKeyOf, sign } from '../shared/protocol/signing';
import { dayInterval, enin, ENIN_SECONDS, ROLLING_PERIOD } from '../shared/protocol/time';

export interface MatchingBench {
  keys: number;
  seconds: number;
  rpis: number;
  ceilingSeconds: number;
  ratio: number;
  peakHeapMB: number;
  longestPageTaskMs: number;
  build: string;
  engine: EngineName;
  logBytes: number;
  hits: number;
}

const DAYS = 14;

/** A full garbage collection (V8's gc(), exposed for this process through its flags). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

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
        index.lookupAt(rpis, 16 * k, words[4 * k], enins[k], ids);
        stats.hits += ids.length;
      }
    }
  }
}

export interface MatchingOptions {
  /** One JSON line instead of the table. */
  json?: boolean;
  /**
   * The most the worker's WeChat offers: simd (WebAssembly with SIMD, 8.0.25+: the worker loads the
   * bitsliced module), wasm (WebAssembly without SIMD: the scalar module) or js (no WXWebAssembly).
   */
  engine?: EngineName;
}

/**
 * The phone's own path, as built: the simulated WeChat host's worker (wx.createWorker) runs
 * dist/weapp/workers/index.js in a worker_thread with WeChat's worker globals, and the page side
 * sends it every batch through the same client the sync uses (miniprogram/matching/batch-matching.ts).
 */
async function runBuilt(
  root: string,
  engineName: EngineName,
  now: number,
  encounterLog: EncounterLog,
  bodies: readonly { body: Uint8Array; head: Checkpoint }[],
  pub: Uint8Array,
) {
  const threads: NodeWorkerThread[] = [];
  const start = nodeWorker({ root, wasm: engineName !== 'js', simd: engineName === 'simd' });
  const phone = new SimPhone(new SimWorld(now * 1000), {
    name: 'bench',
    worker: (path) => {
      const t = start(path);
      threads.push(t);
      return t;
    },
  });
  const matching = workerMatching(phone.host);
  let workerHeap = 0;
  let peak = 0;
  const heapOfWorker = () =>
    new Promise<void>((resolve) => {
      const t = threads[threads.length - 1];
      const on = (m: { __heap?: number }) => {
        if (typeof m?.__heap !== 'number') return;
        workerHeap = m.__heap;
        t.thread.off('message', on);
        resolve();
      };
      t.thread.on('message', on);
      t.thread.postMessage({ __heap: true });
    });
  const stats: MatchStats = { keys: 0, rpisDerived: 0, daysSkipped: 0, hits: 0 };
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const t = performance.now();
  loop.enable();
  await matching.begin(encounterLog);
  let link: Checkpoint | null = null;
  for (const { body, head } of bodies) {
    // as the sync does: the head's signature on the page before the body is fetched, the body in the worker
    if (!verifyHead(head, pub)) throw new Error(`batch ${head.n}: bad signature`);
    await matching.match(body, head, link, -10, stats);
    link = head;
    await heapOfWorker();
    peak = Math.max(peak, process.memoryUsage().heapUsed + workerHeap);
  }
  loop.disable();
  const seconds = (performance.now() - t) / 1000;
  for (const th of threads) th.terminate();
  return { seconds, stats, peak, longestPageTaskMs: loop.max / 1e6, engine: matching.engine };
}

export async function runMatchingBench(
  totalKeys = 1_000_000,
  options: MatchingOptions = {},
  batches = 100,
  encounters = 3000,
  log = console.log,
): Promise<MatchingBench> {
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
  // every batch made before either run (the phone downloads them; making them is not matching), and
  // both runs get the same bytes; their buffers are outside the JavaScript heap the runs sample
  let prev: Checkpoint | null = null;
  const bodies: { body: Uint8Array; head: Checkpoint }[] = [];
  {
    for (let b = 1; b <= batches; b++) {
      const days: BatchDay[] = [];
      const keyBytes = new Uint8Array(randomBytes(32 * perBatch));
      for (let d = 0; d < DAYS; d++) days.push({ i: today - ROLLING_PERIOD * (d + 1), keys: [] });
      for (let k = 0; k < perBatch; k++) days[k % DAYS].keys.push(keyBytes.subarray(32 * k, 32 * k + 32));
      for (const p of planted) if (p.batch === b - 1) days.find((d) => d.i === p.day)!.keys.push(p.key);
      const body = encodeBatch({ n: b, prevHash: prev ? prev.hash : ZERO_HASH, createdAt: now, days, warnings: [] });
      const hash = batchHash(body);
      const head: Checkpoint = { n: b, hash, signedAt: now, signature: sign(headMessage(b, hash, now), secret) };
      bodies.push({ body, head });
      prev = head;
    }
  }

  const run = (match: (batch: DecodedBatch, index: MatchIndex, stats: MatchStats) => void) => {
    const stats: MatchStats = { keys: 0, rpisDerived: 0, daysSkipped: 0, hits: 0 };
    let seconds = 0;
    let verifySeconds = 0;
    let peak = 0;
    const index = MatchIndex.of(encounterLog);
    let last: Checkpoint | null = null;
    for (const { body, head } of bodies) {
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

  // both runs start from a collected heap: making the batches left garbage (a million key views)
  // that would otherwise be counted in whichever run comes first
  collectGarbage();
  const root = join(__dirname, '..', 'weapp');
  const script = join(root, WORKER_SCRIPT);
  const engineName: EngineName = options.engine ?? 'simd';
  const wasmFile = join(root, (engineName === 'simd' ? WASM_SIMD_PATH : WASM_PATH).slice(1));
  if (!existsSync(script) || !existsSync(wasmFile)) throw new Error('dist/weapp has no worker: run `npm run build:weapp` first');
  const built = await runBuilt(root, engineName, now, encounterLog, bodies, pub);
  collectGarbage();
  const ceiling = run(matchBatchNode);
  const kb = (f: string) => `${(statSync(f).size / 1024).toFixed(1)} KB`;
  const result: MatchingBench = {
    keys: built.stats.keys,
    seconds: built.seconds,
    rpis: built.stats.rpisDerived,
    ceilingSeconds: ceiling.seconds,
    ratio: ceiling.seconds / built.seconds,
    peakHeapMB: built.peak / 2 ** 20,
    longestPageTaskMs: built.longestPageTaskMs,
    build:
      engineName === 'js'
        ? `dist/weapp/${WORKER_SCRIPT} (${kb(script)})`
        : `dist/weapp/${WORKER_SCRIPT} (${kb(script)}) + ${wasmFile.slice(root.length - 'dist/weapp'.length)} (${kb(wasmFile)})`,
    engine: built.engine ?? engineName,
    logBytes: bytes,
    hits: built.stats.hits,
  };
  if (result.hits < planted.length) throw new Error(`matching missed planted contacts: ${result.hits} of ${planted.length}`);
  if (options.json) {
    log(JSON.stringify(result));
    return result;
  }
  const fmt = (n: number) => n.toLocaleString('en');
  log(
    `matching: ${fmt(result.keys)} published keys over ${DAYS} days in ${batches} signed batches, against a log of ${fmt(encounters)} encounters (${fmt(records)} records)`,
  );
  log(`  the built worker (${result.build})`);
  log(`  sync path in the worker, engine ${result.engine}: verify, decode, match   ${result.seconds.toFixed(2)} s   (target ≤ 10 s)`);
  log(
    `  rpis derived                                 ${fmt(result.rpis)} (${(result.rpis / result.keys).toFixed(1)} per key: only ENINs within ±12 of a record)`,
  );
  log(`  same algorithm, Node crypto (AES-NI) rpis    ${ceiling.seconds.toFixed(2)} s`);
  log(`  ratio ceiling time / ours                    ${result.ratio.toFixed(3)}   (target ≥ 1.0)`);
  log(`  peak heap, page + worker (sampled per batch) ${result.peakHeapMB.toFixed(1)} MB   (target ≤ 100 MB)`);
  log(`  longest page-thread task during the sync     ${result.longestPageTaskMs.toFixed(1)} ms   (target ≤ 50 ms)`);
  log(`  planted contacts found                       ${result.hits} of ${planted.length} (ceiling run: ${ceiling.stats.hits})`);
  log(`  encounter log in phone storage               ${(bytes / 1024).toFixed(1)} KB   (target ≤ 1024 KB)`);
  return result;
}
