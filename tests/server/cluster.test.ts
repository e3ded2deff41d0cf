/**
 * A cluster as deploy/cluster.ts starts it: three instances on one MariaDB database (the shared
 * server, a database of the test's own), publishing every second, uploads spread across them for
 * 20 s, and the instance that published last killed (SIGKILL) in the middle. Then, from the
 * database read with mysql2 and Node's crypto: one linear chain, every accepted key published
 * exactly once. nginx in front (when installed): bodies and the list cached as configured.
 */
import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDb, MYSQL_AVAILABLE, type TestDb } from '../helpers/db';
import { keysInBody, sleep, verifyChain, type StoredBatch } from '../helpers/server-process';
import { runTool } from '../helpers/run-tool';
import { freePort, startInstance, type Instance } from '../../deploy/cluster';
import { NGINX, startNginx } from '../../deploy/nginx';

if (!MYSQL_AVAILABLE) process.stderr.write('cluster.test: SKIPPED — no MySQL/MariaDB reachable\n');
if (!existsSync(NGINX))
  process.stderr.write(`cluster.test: nginx is not installed (${NGINX}): the proxy test is SKIPPED (apt-get install nginx)\n`);

const dir = mkdtempSync(join(tmpdir(), 'prtc-cluster-'));
let db: TestDb;
let env: Record<string, string>;
const instances: Instance[] = [];

beforeAll(async () => {
  if (!MYSQL_AVAILABLE) return;
  db = await freshDb('mysql');
  env = {
    DATABASE_URL: db.url,
    SIGNING_KEY: randomBytes(32).toString('base64url'),
    CODE_PEPPER: randomBytes(32).toString('base64url'),
    BATCH_INTERVAL_S: '1',
    MIN_BATCH_KEYS: '0',
    ACCESS_LOG: '0',
  };
  // all three at once, on an empty database: the migrations run once (under their lock)
  instances.push(...(await Promise.all([1, 2, 3].map((k) => startInstance({ ...env, DATA_DIR: join(dir, `instance-${k}`) })))));
}, 60000);
afterAll(async () => {
  await Promise.all(instances.map((i) => i.stop('SIGKILL')));
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function storedBatches(): Promise<StoredBatch[]> {
  const mysql = await import('mysql2/promise');
  const c = await mysql.createConnection({ uri: db.url });
  const [rows] = (await c.query('SELECT n, hash, prevHash, signedAt, signature, body FROM batch ORDER BY n')) as [StoredBatch[], unknown];
  await c.end();
  return rows.map((b) => ({ ...b, n: Number(b.n), signedAt: Number(b.signedAt), body: Buffer.from(b.body) }));
}

/** Batch numbers an instance says it published, from its log. */
const publishedBy = (i: Instance) =>
  [...i.output().matchAll(/publish: published batch ([\d, ]+)/g)].flatMap((m) => m[1].split(', ').map(Number));

(MYSQL_AVAILABLE ? test : test.skip)(
  'three instances, 20 s of uploads, the last publisher killed mid-run: one chain, every accepted key exactly once',
  async () => {
    const token = runTool('server/admin.ts', ['create-token', 'clinic'], { env: { ...env, DATA_DIR: join(dir, 'admin') } }).stdout.trim();
    expect(token).toMatch(/^prtc_/);
    const alive = [...instances];
    const codes: string[] = [];
    for (let k = 0; k < 600; k++) {
      const r = await fetch(`${alive[k % 3].url}/v1/authority/codes`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      codes.push(((await r.json()) as { code: string }).code);
    }
    const today = Math.floor(Date.now() / 1000 / 86400) * 144;
    const accepted: string[] = [];
    const refused: string[] = [];
    let retriedElsewhere = 0;
    let next = 0;
    let rr = 0;
    const end = Date.now() + 20000;
    const upload = async (code: string) => {
      const body = JSON.stringify({
        code,
        keys: [{ aemk: randomBytes(32).toString('base64url'), i: today - 144 }],
        uploadId: randomBytes(16).toString('base64url'),
      });
      for (let attempt = 0; attempt < 3; attempt++) {
        const target = alive[rr++ % alive.length];
        try {
          const r = await fetch(`${target.url}/v1/diagnosis-keys`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          });
          if (r.status === 201) accepted.push(JSON.parse(body).keys[0].aemk);
          else refused.push(`${r.status} ${await r.text()}`);
          return;
        } catch {
          retriedElsewhere++; // the instance is gone: the same upload (same uploadId) to another one
        }
      }
      refused.push('no instance answered');
    };
    const load = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (Date.now() < end && next < codes.length) {
          await upload(codes[next++]);
          await sleep(150); // about 25 uploads a second in all: the load lasts the 20 s
        }
      }),
    );
    // after 8 s, kill the instance that published last
    await sleep(8000);
    const last = Math.max(...instances.flatMap(publishedBy));
    const killed = instances.find((i) => publishedBy(i).includes(last))!;
    killed.proc.kill('SIGKILL');
    const killedAt = Date.now();
    alive.splice(alive.indexOf(killed), 1);
    // another instance takes over: its next batch within two intervals
    let takeoverMs = -1;
    while (Date.now() - killedAt < 5000) {
      if (alive.some((i) => publishedBy(i).some((n) => n > last))) {
        takeoverMs = Date.now() - killedAt;
        break;
      }
      await sleep(50);
    }
    await load;
    await sleep(2500); // the last publishes
    await Promise.all(alive.map((i) => i.stop()));

    const batches = await storedBatches();
    verifyChain(batches, (await (await fetch(`${alive[0].url}/v1/public-key`).catch(() => null))?.json())?.key ?? publicKeyFromEnv());
    const count = new Map<string, number>();
    for (const b of batches) for (const k of keysInBody(b.body)) count.set(k, (count.get(k) ?? 0) + 1);
    const twice = [...count.values()].filter((c) => c > 1).length;
    const missing = accepted.filter((k) => count.get(k) !== 1).length;
    const publishers = instances.map((i) => publishedBy(i).length);
    process.stderr.write(
      `cluster.test: ${accepted.length} uploads accepted (${refused.length} refused, ${retriedElsewhere} retried on another instance after the kill), ` +
        `${batches.length} batches, publishes per instance ${JSON.stringify(publishers)}, takeover after the kill ${takeoverMs} ms, ` +
        `keys published twice ${twice}, accepted keys not published exactly once ${missing}\n`,
    );
    expect(refused).toEqual([]);
    // one publisher at a time: no instance ever raced another into a failed publish
    expect(instances.flatMap((i) => i.output().match(/publish failed.*/g) ?? [])).toEqual([]);
    expect(accepted.length).toBeGreaterThan(300);
    expect(twice).toBe(0);
    expect(missing).toBe(0);
    expect(count.size).toBe(accepted.length); // nothing but accepted keys (no padding: MIN_BATCH_KEYS=0)
    expect(takeoverMs).toBeGreaterThanOrEqual(0);
    expect(takeoverMs).toBeLessThan(2000);
    expect(publishers.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
  },
  90000,
);

/** The public key of the test's SIGNING_KEY (when no instance is left to ask). */
function publicKeyFromEnv(): string {
  const priv = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(env.SIGNING_KEY, 'base64url')]),
    format: 'der',
    type: 'pkcs8',
  });
  return (createPublicKey(priv).export({ format: 'der', type: 'spki' }) as Buffer).subarray(12).toString('base64url');
}

(MYSQL_AVAILABLE && existsSync(NGINX) ? test : test.skip)(
  'behind nginx: bodies cached for good, lists for a second (a burst reaches the origin once), uploads and the portal never',
  async () => {
    // a fresh pair of instances on the same database behind a fresh nginx
    const pair = await Promise.all(
      // with access logs: what reaches the origin is counted from them
      [4, 5].map((k) => startInstance({ ...env, BATCH_INTERVAL_S: '0', ACCESS_LOG: '1', DATA_DIR: join(dir, `instance-${k}`) })),
    );
    instances.push(...pair);
    const nginx = await startNginx({ listen: await freePort(), upstreams: pair.map((i) => i.port), prefix: join(dir, 'nginx') });
    try {
      // a batch of its own: code, upload and publish through the proxy and the admin CLI
      const admin = (...args: string[]) => runTool('server/admin.ts', args, { env: { ...env, DATA_DIR: join(dir, 'admin-nginx') } });
      const token = admin('create-token', 'clinic-nginx').stdout.trim();
      const issued = await fetch(`${nginx.url}/v1/authority/codes`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      const { code } = (await issued.json()) as { code: string };
      const today = Math.floor(Date.now() / 1000 / 86400) * 144;
      const before = ((await (await fetch(`${pair[0].url}/v1/batches`)).json()) as { head: { n: number } | null }).head?.n ?? 0;
      const up = await fetch(`${nginx.url}/v1/diagnosis-keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, keys: [{ aemk: randomBytes(32).toString('base64url'), i: today - 144 }] }),
      });
      expect(up.status).toBe(201);
      // published by the running instances' timers (or by the admin CLI when none runs)
      admin('publish');
      const head = async () => ((await (await fetch(`${pair[0].url}/v1/batches`)).json()) as { head: { n: number } | null }).head?.n ?? 0;
      let n = await head();
      for (let k = 0; k < 30 && n === before; k++, n = await head()) await sleep(100);
      expect(n).toBeGreaterThan(before);

      const first = await fetch(`${nginx.url}/v1/batches/${n}`);
      const again = await fetch(`${nginx.url}/v1/batches/${n}`);
      expect([first.status, first.headers.get('x-cache-status'), again.headers.get('x-cache-status')]).toEqual([200, 'MISS', 'HIT']);
      const direct = Buffer.from(await (await fetch(`${pair[0].url}/v1/batches/${n}`)).arrayBuffer());
      expect(Buffer.from(await again.arrayBuffer()).equals(direct)).toBe(true);
      const etag = again.headers.get('etag')!;
      expect((await fetch(`${nginx.url}/v1/batches/${n}`, { headers: { 'if-none-match': etag } })).status).toBe(304);
      expect((await fetch(`${nginx.url}/v1/batches/0${n}`)).status).toBe(404); // not a body URL: passed through, not cached

      // §15: the regions' root and each region's list are cached like the list, a region's bodies like bodies
      const twice = async (path: string) => {
        const a = await fetch(`${nginx.url}${path}`);
        const b = await fetch(`${nginx.url}${path}`);
        const bytes = Buffer.from(await b.arrayBuffer());
        await a.arrayBuffer();
        return { seen: [a.status, a.headers.get('x-cache-status'), b.headers.get('x-cache-status')], bytes };
      };
      expect((await twice('/v1/regions')).seen).toEqual([200, 'MISS', 'HIT']);
      expect((await twice('/v1/regions/0/batches?after=0')).seen).toEqual([200, 'MISS', 'HIT']);
      const regionBody = await twice(`/v1/regions/0/batches/${n}`);
      expect(regionBody.seen).toEqual([200, 'MISS', 'HIT']);
      expect(regionBody.bytes.equals(direct)).toBe(true); // region 0 is the national chain

      const l1 = await fetch(`${nginx.url}/v1/batches`);
      const l2 = await fetch(`${nginx.url}/v1/batches`);
      expect([l1.headers.get('x-cache-status'), l2.headers.get('x-cache-status')]).toEqual(['MISS', 'HIT']);
      await sleep(2100); // nginx counts validity in whole seconds: "1s" lasts up to 2
      const l3 = await fetch(`${nginx.url}/v1/batches`);
      expect(['EXPIRED', 'STALE', 'UPDATING', 'MISS']).toContain(l3.headers.get('x-cache-status'));

      // an upload through the proxy reaches an instance, and the proxy adds no client address
      const r = await fetch(`${nginx.url}/v1/diagnosis-keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"code":"ZZZZZ-ZZZZZ","keys":[]}',
      });
      expect([r.status, ((await r.json()) as { error: { code: string } }).error.code]).toEqual([400, 'no_keys']);
      const big = await fetch(`${nginx.url}/v1/diagnosis-keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: 'x'.repeat(70000),
      });
      expect([big.status, big.headers.get('content-type')]).toEqual([413, 'application/json; charset=utf-8']);
      // past nginx's own limit (128 KiB) nginx answers, with the same JSON error
      const huge = await fetch(`${nginx.url}/v1/diagnosis-keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: 'x'.repeat(3_000_000),
      });
      expect([huge.status, ((await huge.json()) as { error: { code: string } }).error.code]).toEqual([413, 'payload_too_large']);

      // a burst of 20 phones asking for the same list nobody asked for yet: one request reaches an instance
      const originLists = (path: string) =>
        pair.reduce((s, i) => s + (i.output().match(new RegExp(`"msg":"GET ${path} 200 `, 'g'))?.length ?? 0), 0);
      const listsBefore = originLists('/v1/batches');
      const burst = await Promise.all(Array.from({ length: 20 }, () => fetch(`${nginx.url}/v1/batches?after=${n + 1000}`)));
      const statuses = burst.map((r) => `${r.status} ${r.headers.get('x-cache-status')}`);
      await Promise.all(burst.map((r) => r.text()));
      await sleep(200); // the instances' log lines
      expect(originLists('/v1/batches') - listsBefore).toBe(1);
      expect(statuses.filter((s) => s === '200 MISS')).toHaveLength(1);
      expect(statuses.filter((s) => s !== '200 MISS').every((s) => /^200 (HIT|UPDATING)$/.test(s))).toBe(true);

      // never cached: the portal, uploads, the authority's codes — every request reaches an instance
      const portalBefore = originLists('/portal/login');
      for (let k = 0; k < 2; k++) {
        const r = await fetch(`${nginx.url}/portal/login`);
        expect([r.status, r.headers.get('x-cache-status')]).toEqual([200, null]);
      }
      await sleep(200);
      expect(originLists('/portal/login') - portalBefore).toBe(2);
      expect(r.headers.get('x-cache-status')).toBeNull();
      expect(issued.headers.get('x-cache-status')).toBeNull();

      // no instance answers: the last list is served as it was (a phone verifies it; it only delays)
      await Promise.all(pair.map((i) => i.stop('SIGKILL')));
      await sleep(2100); // past the list's second
      const stale = await fetch(`${nginx.url}/v1/batches`);
      expect([stale.status, stale.headers.get('x-cache-status')]).toEqual([200, 'STALE']);
      expect(((await stale.json()) as { head: { n: number } }).head.n).toBe(n);
    } finally {
      await nginx.stop();
    }
  },
);
