/**
 * Server throughput on loopback with autocannon, for SQLite and (when reachable) MariaDB: a
 * generated population of 100,000 published keys over 14 days in 100 batches, then batch list,
 * batch bodies and uploads with their requests/s and p50/p99 latency, and bytes per published key.
 * The server runs in its own process (`server/main.ts`), the load tool in this one.
 */
import autocannon from 'autocannon';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig } from '../server/config';
import { openBackend } from '../server/backend';
import { randomId } from '../server/db/ids';
import { PendingKey } from '../server/db/schema';
import { createDistributionRepository } from '../server/domains/distribution/repository';
import { toBase64url } from '../shared/protocol/codec';
import { dayInterval, enin, ROLLING_PERIOD } from '../shared/protocol/time';

/** The repository root (this file runs from source or from the bench bundle in dist/bench). */
export const ROOT = (() => {
  for (let d = __dirname; d !== dirname(d); d = dirname(d))
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'server/main.ts'))) return d;
  throw new Error('cannot find the repository root');
})();
const KEYS = Number(process.env.BENCH_SERVER_KEYS ?? 100_000);
const BATCHES = 100;
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);

export async function mysqlUrl(): Promise<string | null> {
  const base = process.env.PRTC_MYSQL_URL || 'mysql://root@127.0.0.1:3306/test';
  try {
    const mysql = await import('mysql2/promise');
    const c = await mysql.createConnection({ uri: base, connectTimeout: 2000 });
    const name = `prtc_bench_${randomBytes(4).toString('hex')}`;
    await c.query(`CREATE DATABASE \`${name}\``);
    await c.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    return u.toString();
  } catch {
    return null;
  }
}

export async function dropMysql(url: string) {
  const mysql = await import('mysql2/promise');
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/test';
  const c = await mysql.createConnection({ uri: u.toString() });
  await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await c.end();
}

export function startChild(env: Record<string, string>): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'server/main.ts')], {
    env: {
      ...process.env,
      ...env,
      PORT: '0',
      HOST: '127.0.0.1',
      BATCH_INTERVAL_S: '0',
      ACCESS_LOG: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ proc, url: m[1] });
    });
    proc.on('exit', (c) => reject(new Error(`server exited with ${c}: ${out}`)));
  });
}

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export async function load(opts: autocannon.Options): Promise<Load> {
  const r = await autocannon({ connections: 32, pipelining: 1, duration: DURATION, ...opts });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

/**
 * wrk (Debian's `wrk`) for the GET endpoints when it is installed: autocannon's client appends
 * every response body to a JavaScript string, which for 30 KB binary bodies costs more CPU than the
 * server itself, so it measures itself rather than the server there.
 */
export const HAS_WRK = spawnSync('wrk', ['--version']).error === undefined;

export function wrk(url: string, paths: string[], dir: string): Load {
  const script = join(dir, 'paths.lua');
  writeFileSync(
    script,
    `local paths = {${paths.map((p) => JSON.stringify(p)).join(',')}}\nlocal k = 0\nrequest = function()\n  k = k % #paths + 1\n  return wrk.format("GET", paths[k])\nend\n`,
  );
  const r = spawnSync('wrk', ['-t1', '-c32', `-d${DURATION}s`, '--latency', '-s', script, url], { encoding: 'utf8' });
  const ms = (label: string) => {
    const m = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(r.stdout);
    if (!m) return NaN;
    const v = Number(m[1]);
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1] ?? NaN);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(r.stdout)?.[1] ?? 0);
  const errors = (/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(r.stdout) ?? [])
    .slice(1)
    .reduce((a, b) => a + Number(b), 0);
  return { rps, p50: ms('50'), p99: ms('99'), errors, non2xx };
}

export const fmt = (l: Load) =>
  `${l.rps.toFixed(0).padStart(6)} req/s   p50 ${l.p50.toFixed(1).padStart(5)} ms   p99 ${l.p99.toFixed(1).padStart(5)} ms${l.errors || l.non2xx ? `   (errors ${l.errors}, non-2xx ${l.non2xx})` : ''}`;

async function benchOne(kind: string, databaseUrl: string, log: (s: string) => void) {
  const dataDir = mkdtempSync(join(tmpdir(), 'prtc-bench-'));
  const env = { DATA_DIR: dataDir, DATABASE_URL: databaseUrl, MIN_BATCH_KEYS: '0', MAX_LIVE_CODES: '100000' };
  const backend = await openBackend({ ...loadConfig({ ...process.env, ...env }) });
  const today = dayInterval(enin(Date.now() / 1000));
  // Population: KEYS keys over the 14 past days, published as BATCHES batches.
  const t0 = Date.now();
  const perBatch = Math.ceil(KEYS / BATCHES);
  for (let b = 0; b < BATCHES; b++) {
    // accepted uploads, as the uploads domain would have stored them (no codes needed for a population)
    await backend.database.transaction((m) =>
      m.getRepository(PendingKey).insert(
        Array.from({ length: perBatch }, (_, k) => ({
          id: randomId(),
          aemk: toBase64url(new Uint8Array(randomBytes(32))),
          i: today - ROLLING_PERIOD * (1 + ((b * perBatch + k) % 14)),
        })),
      ),
    );
    await backend.services.publishing.publishOne();
  }
  const published = createDistributionRepository(backend.database);
  const bodies = await published.listBatches(0, 1000, null);
  let totalBytes = 0;
  let totalKeys = 0;
  for (const h of bodies) {
    totalBytes += (await published.batchBody(h.n))!.body.length;
    totalKeys += h.keyCount;
  }
  const authority = await backend.services.authority.authenticate(await backend.services.authority.createToken('bench'));
  const codes: string[] = [];
  for (let k = 0; k < 30000; k++) codes.push((await backend.services.authority.issueCode(authority)).code);
  await backend.database.close();
  log(
    `${kind}: population ${totalKeys.toLocaleString('en')} keys in ${bodies.length} batches (${((Date.now() - t0) / 1000).toFixed(1)} s to generate)`,
  );
  log(`  bytes per published key on the wire   ${(totalBytes / totalKeys).toFixed(2)} (target ≤ 33)`);

  const { proc, url } = await startChild(env);
  try {
    const tool = HAS_WRK ? 'wrk' : 'autocannon';
    const listPaths = Array.from({ length: bodies.length }, (_, k) => `/v1/batches?after=${k}`);
    const bodyPaths = bodies.map((b) => `/v1/batches/${b.n}`);
    let n = 0;
    let m = 0;
    const list = HAS_WRK
      ? wrk(url, listPaths, dataDir)
      : await load({ url, requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: listPaths[m++ % listPaths.length] }) }] });
    log(`  GET /v1/batches?after=<n> (${tool})     ${fmt(list)}`);
    const got = HAS_WRK
      ? wrk(url, bodyPaths, dataDir)
      : await load({ url, requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: bodyPaths[n++ % bodyPaths.length] }) }] });
    log(`  GET /v1/batches/<n> ${Math.round(totalBytes / bodies.length / 1024)} KB (${tool})  ${fmt(got)}`);
    if (!HAS_WRK) log("  (install Debian's wrk for the GET figures: autocannon's client is the bottleneck on binary bodies)");
    let c = 0;
    const keysJson = (code: string) =>
      JSON.stringify({
        code,
        keys: Array.from({ length: 14 }, (_, d) => ({ aemk: toBase64url(new Uint8Array(randomBytes(32))), i: today - ROLLING_PERIOD * d })),
      });
    const bodiesPre = codes.map(keysJson);
    const up = await load({
      url,
      connections: 16,
      duration: Math.min(DURATION, 5),
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, path: '/v1/diagnosis-keys', body: bodiesPre[c++ % bodiesPre.length] }),
        },
      ],
    });
    log(`  POST /v1/diagnosis-keys 14 keys (autocannon) ${fmt(up)}${c > codes.length ? '  (codes reused: later ones 403)' : ''}`);
    // the guessing rate of docs/protocol.md §10: wrong codes, as fast as the server refuses them
    const wrongBody = JSON.stringify({ code: 'ZZZZZ-ZZZZ0', keys: [{ aemk: toBase64url(new Uint8Array(32)), i: today - ROLLING_PERIOD }] });
    const guesses = await load({
      url,
      connections: 16,
      duration: Math.min(DURATION, 5),
      requests: [{ method: 'POST', path: '/v1/diagnosis-keys', headers: { 'content-type': 'application/json' }, body: wrongBody }],
    });
    log(`  POST wrong codes (403, autocannon)     ${fmt({ ...guesses, non2xx: 0 })}  ← the top guessing rate of one instance`);
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.on('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runServerBench(log = console.log) {
  log(`server: loopback, 32 connections, ${DURATION} s per endpoint; the server in its own process, the load tool in another`);
  const dir = mkdtempSync(join(tmpdir(), 'prtc-bench-sqlite-'));
  try {
    await benchOne('SQLite', `sqlite:${join(dir, 'db.sqlite')}`, log);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const my = await mysqlUrl();
  if (!my) {
    log('MariaDB: unreachable, skipped');
    return;
  }
  try {
    await benchOne('MariaDB', my, log);
  } finally {
    await dropMysql(my);
  }
}
