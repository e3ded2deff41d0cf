/**
 * Can a fake upload (`X-Fake: 1`, §10) be told from a real one by what an observer of the
 * encrypted traffic sees? 200 real uploads (fresh codes) and 200 fakes (random codes, as the
 * mini-program sends them), in random order, one at a time, both padded as the phone pads them,
 * against the server in its own process on SQLite (and MariaDB when reachable). Prints:
 * - whether status, body size and header names are identical between the two;
 * - the best single time threshold's accuracy at telling them apart (50 % is a coin; the target is
 *   ≤ 60 %), and the medians.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeFromRandom } from '../shared/api/code';
import { padUpload } from '../shared/api/upload';
import type { UploadRequest } from '../shared/api/types';
import { toBase64url } from '../shared/protocol/codec';
import { dayInterval, enin, ROLLING_PERIOD } from '../shared/protocol/time';
import { loadConfig } from '../server/config';
import { openBackend } from '../server/backend';
import { dropMysql, mysqlUrl, startChild } from './server';

const N = Number(process.env.BENCH_FAKES ?? 200);

interface Observed {
  fake: boolean;
  ms: number;
  status: number;
  size: number;
  headers: string;
}

/** The best accuracy of "fake if time ≤ t" or "fake if time > t" over every threshold t. */
export function bestThresholdAccuracy(obs: { fake: boolean; ms: number }[]): number {
  const sorted = [...obs].sort((a, b) => a.ms - b.ms);
  const fakes = sorted.filter((o) => o.fake).length;
  let best = Math.max(fakes, sorted.length - fakes); // a threshold below everything
  let fakesBelow = 0;
  for (let k = 0; k < sorted.length; k++) {
    if (sorted[k].fake) fakesBelow++;
    if (k + 1 < sorted.length && sorted[k + 1].ms === sorted[k].ms) continue; // a threshold cannot split equal times
    const realsBelow = k + 1 - fakesBelow;
    const realsAbove = sorted.length - fakes - realsBelow;
    // fake if ≤ t: fakes below and reals above are right; the other way round: the rest
    const right = fakesBelow + realsAbove;
    best = Math.max(best, right, sorted.length - right);
  }
  return best / sorted.length;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

async function one(kind: string, databaseUrl: string, log: (s: string) => void) {
  const dataDir = mkdtempSync(join(tmpdir(), 'prtc-fakes-'));
  const env = { DATA_DIR: dataDir, DATABASE_URL: databaseUrl, MAX_LIVE_CODES: String(N + 10) };
  const backend = await openBackend(loadConfig({ ...process.env, ...env }));
  const authority = await backend.services.authority.authenticate(await backend.services.authority.createToken('bench'));
  const codes: string[] = [];
  for (let k = 0; k < N; k++) codes.push((await backend.services.authority.issueCode(authority)).code);
  await backend.database.close();
  const { proc, url } = await startChild(env);
  try {
    const today = dayInterval(enin(Date.now() / 1000));
    const keys = () =>
      Array.from({ length: 14 }, (_, d) => ({ aemk: toBase64url(new Uint8Array(randomBytes(32))), i: today - ROLLING_PERIOD * d }));
    const uploadId = () => toBase64url(new Uint8Array(randomBytes(16)));
    const plan = [
      ...codes.map((code) => ({ fake: false, code })),
      ...codes.map(() => ({ fake: true, code: codeFromRandom(new Uint8Array(randomBytes(7))) })),
    ];
    for (let k = plan.length - 1; k > 0; k--) {
      const j = Math.floor(Math.random() * (k + 1));
      [plan[k], plan[j]] = [plan[j], plan[k]];
    }
    // warm up (JIT, connections) with fakes and wrong codes, which store nothing
    for (let k = 0; k < 20; k++) {
      await fetch(`${url}/v1/diagnosis-keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-fake': '1' },
        body: JSON.stringify(
          padUpload<UploadRequest>({ code: codeFromRandom(new Uint8Array(randomBytes(7))), keys: keys(), uploadId: uploadId() }),
        ),
      }).then((r) => r.arrayBuffer());
    }
    const seen: Observed[] = [];
    for (const p of plan) {
      const body = JSON.stringify(padUpload<UploadRequest>({ code: p.code, keys: keys(), uploadId: uploadId() }));
      const t = process.hrtime.bigint();
      const r = await fetch(`${url}/v1/diagnosis-keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-fake': p.fake ? '1' : '0' },
        body,
      });
      const answer = Buffer.from(await r.arrayBuffer());
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      const names: string[] = [];
      r.headers.forEach((_v, name) => names.push(name));
      const headers = names.filter((h) => h !== 'date').join(',');
      seen.push({ fake: p.fake, ms, status: r.status, size: answer.length, headers });
    }
    const shape = (fake: boolean) => [...new Set(seen.filter((o) => o.fake === fake).map((o) => `${o.status} ${o.size} B [${o.headers}]`))];
    const real = shape(false);
    const fake = shape(true);
    const same = real.length === 1 && fake.length === 1 && real[0] === fake[0];
    log(`${kind}: ${N} real + ${N} fake uploads (14 keys each, padded), in random order`);
    log(`  status, size, headers        ${same ? `identical: ${real[0]}` : `DIFFER: real ${real.join(' | ')} / fake ${fake.join(' | ')}`}`);
    log(
      `  median time                  real ${median(seen.filter((o) => !o.fake).map((o) => o.ms)).toFixed(2)} ms, fake ${median(seen.filter((o) => o.fake).map((o) => o.ms)).toFixed(2)} ms`,
    );
    const pct = (fake: boolean) => {
      const xs = seen
        .filter((o) => o.fake === fake)
        .map((o) => o.ms)
        .sort((a, b) => a - b);
      return [0.1, 0.25, 0.5, 0.75, 0.9].map((q) => xs[Math.floor(q * xs.length)].toFixed(2)).join(' / ');
    };
    log(`  p10/p25/p50/p75/p90          real ${pct(false)} ms; fake ${pct(true)} ms`);
    const accuracy = bestThresholdAccuracy(seen);
    log(
      `  best time-threshold accuracy ${(accuracy * 100).toFixed(1)} % (coin 50 %, target ≤ 60 %)  ${accuracy <= 0.6 ? 'ok' : 'ABOVE TARGET'}`,
    );
    // the same classifier between two random halves of the real uploads: what chance alone gives here
    const reals = seen.filter((o) => !o.fake).map((o) => ({ fake: Math.random() < 0.5, ms: o.ms }));
    log(
      `  same figure, real vs real    ${(bestThresholdAccuracy(reals) * 100).toFixed(1)} % (two random halves of the real uploads: the noise floor)`,
    );
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runFakesBench(log: (s: string) => void = console.log) {
  await one('sqlite', '', log);
  const mysql = await mysqlUrl();
  if (!mysql) {
    log('mariadb: unreachable, skipped');
    return;
  }
  try {
    await one('mariadb', mysql, log);
  } finally {
    await dropMysql(mysql);
  }
}
