/**
 * The cloud functions deployed as WeChat's cloud deploys them (tests/helpers/cloud-deploy.ts): every
 * built folder copied out of the repository, its declared dependencies installed from the registry
 * without install scripts, each call a process of its own on a read-only folder, on an empty MariaDB
 * database. Then the whole story across separate functions, checked with Node's crypto.
 */
import { randomBytes } from 'node:crypto';
import { builtinModules } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDb, MYSQL_AVAILABLE, type TestDb } from '../helpers/db';
import { copyOutAndInstall, invoke, mountReadOnly, NAMES, onTmpfs, unmount, type Caller } from '../helpers/cloud-deploy';
import { keysInBody, verifyChain } from '../helpers/server-process';
import { runTool } from '../helpers/run-tool';
import { MIGRATIONS } from '../../server/db/migrations';

if (!MYSQL_AVAILABLE) process.stderr.write('cloud-deploy.test: SKIPPED — cloud functions run on MySQL and none is reachable\n');
const maybe = MYSQL_AVAILABLE ? describe : describe.skip;

maybe('cloud functions copied out and installed as the cloud does', () => {
  const deployment = mkdtempSync(join(tmpdir(), 'prtc-deploy-'));
  let db: TestDb;
  let env: Record<string, string>;
  let readOnly = false;
  let installMs = 0;

  beforeAll(async () => {
    if (!onTmpfs(deployment))
      process.stderr.write('cloud-deploy.test: no tmpfs here (not root): the deployment is on disk and slow to delete\n');
    installMs = (await copyOutAndInstall(deployment)).ms;
    readOnly = mountReadOnly(deployment);
    if (!readOnly) process.stderr.write('cloud-deploy.test: cannot mount the deployment read-only here (not root): it stays writable\n');
    db = await freshDb('mysql');
    env = {
      DATABASE_URL: db.url,
      SIGNING_KEY: randomBytes(32).toString('base64url'),
      CODE_PEPPER: randomBytes(32).toString('base64url'),
      MIN_BATCH_KEYS: '0',
    };
  }, 300000);
  afterAll(async () => {
    unmount(deployment);
    rmSync(deployment, { recursive: true, force: true });
    await db?.drop();
  }, 300000);

  const user: Caller = { kind: 'miniprogram', openId: 'o-SECRET-OPENID' };
  const timer: Caller = { kind: 'timer' };

  test('every module a bundle requires at run time is a Node built-in or declared in its package.json', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    for (const name of NAMES) {
      const src = readFileSync(join(deployment, name, 'index.js'), 'utf8');
      const declared = Object.keys(JSON.parse(readFileSync(join(deployment, name, 'package.json'), 'utf8')).dependencies);
      const literal = [...src.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]).filter((r) => !builtins.has(r));
      for (const r of literal) expect([name, r, declared.includes(r)]).toEqual([name, r, true]);
      // TypeORM loads its driver by name at run time (no literal require): it must be declared too
      expect(declared).toContain('mysql2');
      expect(readFileSync(join(deployment, name, 'node_modules/mysql2/package.json'), 'utf8')).toMatch(/"name": "mysql2"/);
    }
    process.stderr.write(`cloud-deploy.test: ${NAMES.length} functions copied out and installed in ${(installMs / 1000).toFixed(1)} s\n`);
  });

  test('missing or wrong configuration is refused by name, and the instance still ends by itself', async () => {
    const missing = await invoke(
      deployment,
      'publicKey',
      user,
      {},
      { DATABASE_URL: env.DATABASE_URL },
      { close: false, exitWithinMs: 10000 },
    );
    expect(missing.result.error.code).toBe('not_configured');
    expect(missing.result.error.message).toMatch(/SIGNING_KEY, CODE_PEPPER/);
    expect(missing.exit).toBe(0);
    const sqlite = await invoke(
      deployment,
      'publicKey',
      user,
      {},
      { ...env, DATABASE_URL: 'sqlite:/tmp/x.sqlite' },
      { close: false, exitWithinMs: 10000 },
    );
    expect(sqlite.result.error).toMatchObject({ code: 'not_configured', message: expect.stringMatching(/mysql/) });
    // a database that is not there: 503 for the caller, and no pool left behind keeping the instance alive
    const down = await invoke(
      deployment,
      'publicKey',
      user,
      {},
      { ...env, DATABASE_URL: 'mysql://root@127.0.0.1:1/prtc' },
      { close: false, exitWithinMs: 10000 },
    );
    expect([down.result.error.code, down.exit]).toEqual(['database_unavailable', 0]);
  }, 60000);

  test('eight functions cold-start at once on an empty database: no error from the race, one set of tables', async () => {
    const calls: [string, Caller, Record<string, unknown>][] = [
      ['issueCode', user, { token: 'prtc_not-a-token' }],
      ['uploadKeys', user, { code: 'ABCDE-12345', keys: [] }],
      ['listBatches', user, { after: 0 }],
      ['getBatch', user, { n: 1 }],
      ['publicKey', user, {}],
      ['getConfig', user, {}],
      ['publish', timer, {}],
      ['retention', timer, {}],
    ];
    const results = await Promise.all(calls.map(([name, caller, data]) => invoke(deployment, name, caller, data, env)));
    const summary = results.map((r, k) => [calls[k][0], r.result?.error?.code ?? 'ok', r.exit]);
    expect(summary).toEqual([
      ['issueCode', 'invalid_token', 0],
      ['uploadKeys', 'no_keys', 0],
      ['listBatches', 'ok', 0],
      ['getBatch', 'not_found', 0],
      ['publicKey', 'ok', 0],
      ['getConfig', 'ok', 0],
      ['publish', 'ok', 0],
      ['retention', 'ok', 0],
    ]);
    const mysql = await import('mysql2/promise');
    const c = await mysql.createConnection({ uri: db.url });
    const [migrations] = (await c.query('SELECT name FROM migrations ORDER BY id')) as [{ name: string }[], unknown];
    await c.end();
    // Every migration the server knows ran exactly once, in order: eight racing cold starts neither
    // skipped one nor applied one twice.
    expect(migrations.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(MIGRATIONS.length).toBeGreaterThanOrEqual(4);
    process.stderr.write(`cloud-deploy.test: 8 cold starts at once, slowest ${Math.max(...results.map((r) => r.ms))} ms\n`);
  }, 120000);

  test('the timer functions answer the timer only', async () => {
    for (const caller of [user, { kind: 'operator' }, { kind: 'none' }] as Caller[]) {
      for (const name of ['publish', 'retention']) {
        const r = await invoke(deployment, name, caller, { Type: 'timer', TriggerName: 'every10min' }, env);
        expect([caller.kind, name, r.result.error?.code]).toEqual([caller.kind, name, 'forbidden']);
      }
    }
    expect((await invoke(deployment, 'publish', timer, {}, env)).result).toEqual({ published: [] });
  }, 120000);

  test('the whole story across functions: issue, upload, publish by timer, list, fetch, verify with the public key', async () => {
    const token = runTool('server/admin.ts', ['create-token', 'clinic-cloud'], {
      env: { ...env, DATA_DIR: mkdtempSync(join(tmpdir(), 'prtc-admin-')) },
    });
    expect(token.stderr).toBe('');
    const issued = await invoke(deployment, 'issueCode', { kind: 'miniprogram', openId: 'o-STAFF' }, { token: token.stdout.trim() }, env);
    expect(issued.result.code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    const today = Math.floor(Date.now() / 1000 / 86400) * 144;
    const aemk = randomBytes(32).toString('base64url');
    const up = await invoke(
      deployment,
      'uploadKeys',
      user,
      { code: issued.result.code, keys: [{ aemk, i: today - 144 }], uploadId: randomBytes(16).toString('base64url') },
      env,
    );
    expect(up.result).toEqual({ accepted: 1 });
    const published = await invoke(deployment, 'publish', timer, {}, env);
    expect([published.result, published.stderr]).toEqual([{ published: [1] }, '']);
    const list = (await invoke(deployment, 'listBatches', user, { after: 0 }, env)).result;
    expect(list.batches.map((b: { n: number }) => b.n)).toEqual([1]);
    const got = (await invoke(deployment, 'getBatch', user, { n: 1 }, env)).result;
    const publicKey = (await invoke(deployment, 'publicKey', user, {}, env)).result.key;
    const body = Buffer.from(got.body, 'base64url');
    const head = list.batches[0];
    verifyChain(
      [
        {
          n: 1,
          hash: Buffer.from(head.hash, 'base64url').toString('hex'),
          prevHash: '00'.repeat(32),
          signedAt: head.signedAt,
          signature: head.signature,
          body,
        },
      ],
      publicKey,
    );
    expect(keysInBody(body)).toContain(aemk);
    // the WeChat identity and address that came with every call are stored nowhere
    const mysql = await import('mysql2/promise');
    const c = await mysql.createConnection({ uri: db.url });
    const [tables] = (await c.query('SHOW TABLES')) as [Record<string, string>[], unknown];
    for (const t of tables.map((r) => Object.values(r)[0])) {
      const [rows] = await c.query(`SELECT * FROM \`${t}\``);
      expect(JSON.stringify(rows)).not.toMatch(/o-SECRET-OPENID|o-STAFF|203\.0\.113\.9/);
    }
    await c.end();
  }, 120000);
});
