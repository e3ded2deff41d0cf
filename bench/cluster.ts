/**
 * `npm run bench -- cluster`: three instances on MariaDB behind nginx (deploy/cluster.ts), with a
 * population of 100 published batches of 1,000 keys (about 33 KB each, as a busy day's batches are).
 * Batch bodies and the batch list are fetched through nginx and from one instance directly, in one
 * run, with autocannon (and wrk when installed: autocannon's own client saturates a core on binary
 * bodies). Target on a 2-core machine, load tool included: ≥ 10,000 body requests/s through the
 * proxy with p99 ≤ 50 ms.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../server/config';
import { openBackend } from '../server/backend';
import { randomId } from '../server/db/ids';
import { PendingKey } from '../server/db/schema';
import { toBase64url } from '../shared/protocol/codec';
import { dayInterval, enin, ROLLING_PERIOD } from '../shared/protocol/time';
import { freePort, startInstance } from '../deploy/cluster';
import { startNginx } from '../deploy/nginx';
import { dropMysql, fmt, HAS_WRK, load, mysqlUrl, wrk, type Load } from './server';

const BATCHES = 100;
const KEYS_PER_BATCH = 1000;
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);

export async function runClusterBench(log: (s: string) => void = console.log) {
  const url = await mysqlUrl();
  if (!url) {
    log('cluster: MariaDB/MySQL unreachable, skipped');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'prtc-bench-cluster-'));
  const env = {
    DATABASE_URL: url,
    SIGNING_KEY: randomBytes(32).toString('base64url'),
    CODE_PEPPER: randomBytes(32).toString('base64url'),
    MIN_BATCH_KEYS: '0',
    BATCH_INTERVAL_S: '0',
    ACCESS_LOG: '0',
  };
  const t0 = Date.now();
  const backend = await openBackend(loadConfig({ ...process.env, ...env, DATA_DIR: join(dir, 'population') }));
  const today = dayInterval(enin(Date.now() / 1000));
  for (let b = 0; b < BATCHES; b++) {
    await backend.database.transaction((m) =>
      m.getRepository(PendingKey).insert(
        Array.from({ length: KEYS_PER_BATCH }, (_, k) => ({
          id: randomId(),
          aemk: toBase64url(new Uint8Array(randomBytes(32))),
          i: today - ROLLING_PERIOD * (1 + ((b + k) % 14)),
        })),
      ),
    );
    await backend.services.publishing.publishOne();
  }
  await backend.database.close();
  log(`cluster: ${BATCHES} batches of ${KEYS_PER_BATCH} keys on MariaDB (${((Date.now() - t0) / 1000).toFixed(1)} s to generate)`);

  const instances = await Promise.all([1, 2, 3].map((k) => startInstance({ ...env, DATA_DIR: join(dir, `instance-${k}`) })));
  const nginx = await startNginx({ listen: await freePort(), upstreams: instances.map((i) => i.port), prefix: join(dir, 'nginx') });
  try {
    const bodyPaths = Array.from({ length: BATCHES }, (_, k) => `/v1/batches/${k + 1}`);
    const listPaths = Array.from({ length: BATCHES }, (_, k) => `/v1/batches?after=${k}`);
    for (const p of bodyPaths) await (await fetch(nginx.url + p)).arrayBuffer(); // the proxy's cache, warm
    const run = async (base: string, paths: string[]): Promise<{ autocannon: Load; wrk: Load | null }> => {
      let k = 0;
      const a = await load({
        url: base,
        connections: 32,
        duration: DURATION,
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[k++ % paths.length] }) }],
      });
      return { autocannon: a, wrk: HAS_WRK ? wrk(base, paths, dir) : null };
    };
    const results: [string, { autocannon: Load; wrk: Load | null }][] = [];
    results.push(['bodies via nginx (3 instances)', await run(nginx.url, bodyPaths)]);
    results.push(['bodies from one instance', await run(instances[0].url, bodyPaths)]);
    results.push(['list via nginx (3 instances)', await run(nginx.url, listPaths)]);
    results.push(['list from one instance', await run(instances[0].url, listPaths)]);
    log(`  32 connections, ${DURATION} s each; bodies ${Math.round((33.7 * KEYS_PER_BATCH) / 1024)} KB`);
    for (const [what, r] of results) {
      log(`  ${what.padEnd(32)} autocannon ${fmt(r.autocannon)}`);
      if (r.wrk) log(`  ${''.padEnd(32)} wrk        ${fmt(r.wrk)}`);
    }
    const pick = (r: { autocannon: Load; wrk: Load | null }) => (r.wrk && r.wrk.rps > r.autocannon.rps ? r.wrk : r.autocannon);
    const proxied = pick(results[0][1]);
    const direct = pick(results[1][1]);
    log(
      `  bodies: proxy / one instance = ${(proxied.rps / direct.rps).toFixed(2)}×; list: ${(pick(results[2][1]).rps / pick(results[3][1]).rps).toFixed(2)}×`,
    );
    const ok = proxied.rps >= 10000 && proxied.p99 <= 50;
    log(
      `  target ≥ 10,000 body req/s through the proxy with p99 ≤ 50 ms: ${ok ? 'met' : 'NOT met'} (${proxied.rps.toFixed(0)} req/s, p99 ${proxied.p99.toFixed(1)} ms)`,
    );
  } finally {
    await nginx.stop();
    await Promise.all(instances.map((i) => i.stop()));
    await dropMysql(url);
    rmSync(dir, { recursive: true, force: true });
  }
}
