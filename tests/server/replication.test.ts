/**
 * MariaDB as the cluster runs it (deploy/mariadb.ts): a primary and a semi-synchronous GTID replica,
 * two real `mariadbd` processes of the test's own (own folders and ports; the shared server is never
 * touched), key-server instances as `npm start` runs them, real HTTP.
 *
 * - reads of what phones download go to the replica (its SELECT counter moves, the primary's does
 *   not), and a replica that lags is stepped around (a list or body it lacks comes from the primary);
 * - with the replica gone an upload is refused (503), never acknowledged on one copy; once the
 *   replica is back its retry is 201 and both servers hold the key once;
 * - the primary SIGKILLed while uploads arrive, the replica promoted by the documented command
 *   (`npm run cluster -- promote <url>`), the instances restarted on it: every upload answered 201
 *   is published, the chain is one line, and every head a phone saw before is still in it.
 *
 * What the databases hold is read with mysql2, the chain checked with Node's crypto.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startInstance, type Instance } from '../../deploy/cluster';
import { createDatabase, replicate, sql, startMariadb, type Mariadb } from '../../deploy/mariadb';
import { ownMariadbMissing } from '../helpers/own-mariadb';
import { runTool, runToolAsync } from '../helpers/run-tool';
import { headSignatureOk, keysInBody, sleep, until, verifyChain, type StoredBatch } from '../helpers/server-process';

if (ownMariadbMissing) process.stderr.write(`replication.test: skipped — ${ownMariadbMissing}\n`);
const maybe = ownMariadbMissing ? test.skip : test;

const dir = mkdtempSync(join(tmpdir(), 'prtc-replication-'));
let primary: Mariadb;
let replica: Mariadb;
let replicaPort = 0;
let env: Record<string, string>;
let token = '';
const instances: Instance[] = [];

const startReplica = () => startMariadb({ dir: join(dir, 'replica'), port: replicaPort, serverId: 2, role: 'replica', database: 'prtc' });

beforeAll(async () => {
  if (ownMariadbMissing) return;
  replicaPort = await freePort();
  [primary, replica] = await Promise.all([
    startMariadb({ dir: join(dir, 'primary'), port: await freePort(), serverId: 1, role: 'primary', database: 'prtc' }),
    startReplica(),
  ]);
  await replicate(primary.url, replica.url);
  await createDatabase(primary.url);
  env = {
    DATABASE_URL: primary.url,
    DATABASE_REPLICA_URL: replica.url,
    SIGNING_KEY: randomBytes(32).toString('base64url'),
    CODE_PEPPER: randomBytes(32).toString('base64url'),
    MIN_BATCH_KEYS: '0',
    ACCESS_LOG: '0',
    DB_TIMEOUT_MS: '2000',
  };
  const made = runTool('server/admin.ts', ['create-token', 'clinic'], { env: { ...env, DATA_DIR: join(dir, 'admin') } });
  token = made.stdout.trim();
  if (!token.startsWith('prtc_')) throw new Error(`create-token: ${made.stderr}`);
}, 90000);
afterAll(async () => {
  await Promise.all(instances.map((i) => i.stop('SIGKILL')));
  await Promise.all([primary?.kill(), replica?.kill()]);
  rmSync(dir, { recursive: true, force: true });
});

const today = () => Math.floor(Date.now() / 1000 / 86400) * 144;

async function start(name: string, extra: Record<string, string> = {}): Promise<Instance> {
  const i = await startInstance({ ...env, BATCH_INTERVAL_S: '0', DATA_DIR: join(dir, name), ...extra });
  instances.push(i);
  return i;
}

async function codes(url: string, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const r = await fetch(`${url}/v1/authority/codes`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    if (r.status !== 201) throw new Error(`issuing a code: ${r.status} ${await r.text()}`);
    out.push(((await r.json()) as { code: string }).code);
  }
  return out;
}

interface Upload {
  body: string;
  aemk: string;
}
const uploadOf = (code: string): Upload => {
  const aemk = randomBytes(32).toString('base64url');
  return { aemk, body: JSON.stringify({ code, keys: [{ aemk, i: today() - 144 }], uploadId: randomBytes(16).toString('base64url') }) };
};
async function send(url: string, u: Upload): Promise<string> {
  try {
    const r = await fetch(`${url}/v1/diagnosis-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: u.body,
      signal: AbortSignal.timeout(10000),
    });
    const j = (await r.json().catch(() => ({}))) as { error?: { code: string } };
    return `${r.status}${j.error ? ' ' + j.error.code : ''}`;
  } catch {
    return 'network';
  }
}

/**
 * The operator's `admin publish`, a process of its own. Its transactions get more than the
 * instances' 2 s: an operator's one-off run waits rather than fail, and on a loaded machine its first
 * publishing transaction (a fresh process, semi-synchronous commit) took longer than 2 s.
 */
function adminPublish(): void {
  const r = runTool('server/admin.ts', ['publish'], { env: { ...env, DB_TIMEOUT_MS: '15000', DATA_DIR: join(dir, 'admin') } });
  expect([r.code, r.code ? r.stderr : '']).toEqual([0, '']);
}

const comSelect = async (m: Mariadb) => Number((await sql<{ Value: string }[]>(m.url, "SHOW GLOBAL STATUS LIKE 'Com_select'"))[0].Value);
const aemksIn = async (m: Mariadb) => (await sql<{ aemk: string }[]>(m.url, 'SELECT aemk FROM pending_key')).map((r) => r.aemk);
async function batchesIn(m: Mariadb): Promise<StoredBatch[]> {
  const rows = await sql<StoredBatch[]>(m.url, 'SELECT n, hash, prevHash, signedAt, signature, body FROM batch ORDER BY n');
  return rows.map((b) => ({ ...b, n: Number(b.n), signedAt: Number(b.signedAt), body: Buffer.from(b.body) }));
}
const publicKey = async (url: string) => ((await (await fetch(`${url}/v1/public-key`)).json()) as { key: string }).key;
const list = async (url: string, after = 0) =>
  (await (await fetch(`${url}/v1/batches?after=${after}`)).json()) as {
    head: { n: number; hash: string; signedAt: number; signature: string } | null;
    batches: { n: number; hash: string; signedAt: number; signature: string }[];
  };

maybe(
  'lists and bodies are read from the replica; a lagging replica is stepped around',
  async () => {
    const reader = await start('reader');
    const writer = await start('writer');
    for (const c of await codes(writer.url, 3)) expect(await send(writer.url, uploadOf(c))).toBe('201');
    adminPublish();
    const heads = await batchesIn(primary);
    await until(async () => (await batchesIn(replica)).length === heads.length, 'the replica to apply the batch');

    // 20 list pages nobody asked for yet and every body: the replica answers them
    const [r0, p0] = [await comSelect(replica), await comSelect(primary)];
    for (let after = 1000; after < 1020; after++) expect((await list(reader.url, after)).batches).toEqual([]);
    for (const b of heads) expect((await fetch(`${reader.url}/v1/batches/${b.n}`)).status).toBe(200);
    const [r1, p1] = [await comSelect(replica), await comSelect(primary)];
    process.stderr.write(`replication.test: reads on the replica ${r1 - r0}, on the primary ${p1 - p0}\n`);
    expect(r1 - r0).toBeGreaterThanOrEqual(20 + heads.length);
    expect(p1 - p0).toBeLessThan(5); // the head the list is built for, once a second

    // the replica stops applying (it still receives and acknowledges): a new batch is on the primary only
    await sql(replica.url, 'STOP SLAVE SQL_THREAD');
    try {
      for (const c of await codes(writer.url, 2)) expect(await send(writer.url, uploadOf(c))).toBe('201');
      adminPublish();
      const newest = (await batchesIn(primary)).at(-1)!;
      expect((await batchesIn(replica)).map((b) => b.n)).not.toContain(newest.n);
      await sleep(1100); // the reader's head cache
      const l = await list(reader.url);
      const hex = (b64?: string) => b64 && Buffer.from(b64, 'base64url').toString('hex');
      expect([l.head?.n, l.batches.at(-1)?.n, hex(l.batches.at(-1)?.hash)]).toEqual([newest.n, newest.n, newest.hash]);
      const body = Buffer.from(await (await fetch(`${reader.url}/v1/batches/${newest.n}`)).arrayBuffer());
      expect(body.equals(newest.body)).toBe(true);
    } finally {
      await sql(replica.url, 'START SLAVE SQL_THREAD');
    }
    await Promise.all([reader.stop(), writer.stop()]);
  },
  90000,
);

maybe(
  'the replica gone: an upload is refused (503), not acknowledged on one copy; the replica back: its retry is 201, once on both',
  async () => {
    const i = await start('refuse');
    const [code] = await codes(i.url, 1);
    const u = uploadOf(code);
    await replica.stop();
    const t = Date.now();
    expect(await send(i.url, u)).toBe('503 database_unavailable');
    const took = Date.now() - t;
    expect(took).toBeLessThan(4000); // DB_TIMEOUT_MS = 2000
    // the commit waits for an acknowledgement and is invisible until then (AFTER_SYNC)
    expect(await aemksIn(primary)).not.toContain(u.aemk);
    expect((await fetch(`${i.url}/readyz`)).status).toBe(503); // it cannot write durably: not ready
    expect((await fetch(`${i.url}/v1/batches`)).status).toBe(200); // reads go on, from the primary

    replica = await startReplica();
    await until(async () => (await aemksIn(primary)).includes(u.aemk), 'the waiting commit to land once the replica is back');
    expect(await send(i.url, u)).toBe('201'); // the same uploadId: the retry of an upload already stored
    await until(async () => (await aemksIn(replica)).includes(u.aemk), 'the replica to apply it');
    expect((await aemksIn(primary)).filter((k) => k === u.aemk)).toHaveLength(1);
    expect((await aemksIn(replica)).filter((k) => k === u.aemk)).toHaveLength(1);
    await i.stop();
  },
  60000,
);

maybe(
  'the primary killed mid-run, the replica promoted: every upload answered 201 is published, one chain, every head seen still in it',
  async () => {
    const live = { BATCH_INTERVAL_S: '1', HEAD_RESIGN_S: '2' };
    // what the earlier tests left (published or pending) is not this test's
    const earlier = new Set([...(await aemksIn(primary)), ...(await batchesIn(primary)).flatMap((b) => keysInBody(b.body))]);
    const pair = [await start('f1', live), await start('f2', live)];
    const issued = await codes(pair[0].url, 160);
    const accepted: Upload[] = [];
    const unanswered: Upload[] = [];
    const seen: { n: number; hash: string; signedAt: number; signature: string }[] = [];
    let stopLoad = false;
    let rr = 0;
    const load = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (!stopLoad && issued.length) {
          const u = uploadOf(issued.pop()!);
          const outcome = await send(pair[rr++ % 2].url, u);
          (outcome === '201' ? accepted : unanswered).push(u);
          await sleep(50);
        }
      }),
    );
    const phone = (async () => {
      while (!stopLoad) {
        const l = await list(pair[rr % 2].url).catch(() => null);
        if (l?.head) seen.push(l.head, ...l.batches);
        await sleep(200);
      }
    })();
    await sleep(5000);
    await primary.kill(); // SIGKILL: uploads are in flight
    const killedAt = Date.now();
    await sleep(1500);
    stopLoad = true;
    await Promise.all([load, phone]);
    const acceptedBefore = accepted.length;

    // the documented command, then the instances restarted on the new primary (their DATA_DIRs kept:
    // each refuses to start on a database that lacks a batch it signed)
    const promoted = await runToolAsync('deploy/cluster.ts', ['promote', replica.url]);
    expect([promoted.code, promoted.stderr]).toEqual([0, '']);
    expect(promoted.stdout).toMatch(/is the primary now/);
    const promotedMs = Date.now() - killedAt;
    await Promise.all(pair.map((i) => i.stop('SIGKILL')));
    const after = [
      await start('f1', { ...live, DATABASE_URL: replica.url, DATABASE_REPLICA_URL: '' }),
      await start('f2', { ...live, DATABASE_URL: replica.url, DATABASE_REPLICA_URL: '' }),
    ];
    // the phones whose answer was lost retry with the same uploadId
    const retried: string[] = [];
    for (const u of unanswered) {
      const outcome = await send(after[0].url, u);
      retried.push(outcome);
      if (outcome === '201') accepted.push(u);
    }
    await until(async () => (await aemksIn(replica)).length === 0, 'everything pending to be published', 20000);
    const resignedAfter = Math.floor(Date.now() / 1000);
    await until(async () => (await batchesIn(replica)).at(-1)!.signedAt > resignedAfter, 'the new primary to re-sign its head', 15000);

    const batches = await batchesIn(replica);
    const key = await publicKey(after[0].url);
    verifyChain(batches, key); // numbers contiguous, prevHash links, hashes and signatures
    const count = new Map<string, number>();
    for (const b of batches) for (const k of keysInBody(b.body)) if (!earlier.has(k)) count.set(k, (count.get(k) ?? 0) + 1);
    const byN = new Map(batches.map((b) => [b.n, b]));
    // every head a phone verified before the failover is in the chain after it, with the same hash
    const forked = seen.filter((h) => byN.get(h.n)?.hash !== Buffer.from(h.hash, 'base64url').toString('hex'));
    // …and every signature it verified (heads re-signed every 2 s among them) signs that same hash
    const unsigned = seen.filter((h) => !headSignatureOk({ ...h, hash: byN.get(h.n)?.hash ?? '' }, key));
    const newestSeen = Math.max(...seen.map((h) => h.signedAt));
    process.stderr.write(
      `replication.test failover: ${acceptedBefore} uploads answered 201 before the promotion, ${unanswered.length} not ` +
        `(their retries: ${JSON.stringify(retried.reduce<Record<string, number>>((o, r) => ({ ...o, [r]: (o[r] ?? 0) + 1 }), {}))}), ` +
        `promoted ${promotedMs} ms after the kill, ${batches.length} batches, ${seen.length} heads seen by the phone\n`,
    );
    expect(acceptedBefore).toBeGreaterThan(20);
    expect(accepted.filter((u) => count.get(u.aemk) !== 1).map((u) => u.aemk)).toEqual([]);
    expect(count.size).toBe(accepted.length); // nothing else published (no padding: MIN_BATCH_KEYS=0)
    expect(retried.filter((r) => r !== '201')).toEqual([]);
    expect(forked).toEqual([]);
    expect(unsigned).toEqual([]);
    expect(new Set(seen.map((h) => h.signedAt)).size).toBeGreaterThan(1); // re-signed while the phone looked
    expect(batches.at(-1)!.signedAt).toBeGreaterThan(newestSeen);
  },
  120000,
);
