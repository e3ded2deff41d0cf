/** The admin CLI and `npm start` as real processes against a fresh embedded database. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool, runToolAsync } from '../helpers/run-tool';
import { issueCodes, publicKeyOf, spawnServer, upload, uploadBody } from '../helpers/server-process';

const dataDir = mkdtempSync(join(tmpdir(), 'prtc-cli-'));
const env = { DATA_DIR: dataDir, DATABASE_URL: '' };
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const admin = (...args: string[]) => runTool('server/admin.ts', args, { env });

test('admin: create, list and revoke tokens; publish with nothing pending; bad arguments', () => {
  const created = admin('create-token', 'clinic-1');
  expect(created.code).toBe(0);
  expect(created.stdout).toMatch(/^prtc_[A-Za-z0-9_-]{43}\n$/);
  expect(admin('create-token', 'clinic-1').stderr).toMatch(/an active token named "clinic-1" exists already/);
  expect(admin('list-tokens').stdout).toMatch(/^clinic-1\tcreated \S+\tactive\n$/);
  expect(admin('revoke-token', 'clinic-1').stdout).toBe('revoked clinic-1; voided 0 unused codes\n');
  expect(admin('list-tokens').stdout).toMatch(/\trevoked /);
  expect(admin('publish').stdout).toBe('nothing pending\n');
  // nothing to revoke is a negative answer (1); usage errors are 2, each one line on stderr
  expect(admin('revoke-token', 'ghost').code).toBe(1);
  for (const bad of [['nope'], ['create-token'], ['publish', 'extra'], ['create-token', 'bad name!'], ['status', '--bogus']]) {
    const r = admin(...bad);
    expect([bad, r.code]).toEqual([bad, 2]);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^admin: /);
  }
  // help at every level
  expect(admin('--help').stdout).toMatch(/^Usage: admin \[options\] \[command\][\s\S]*status[\s\S]*Exit codes: 0 ok/);
  for (const cmd of [
    'create-token',
    'list-tokens',
    'revoke-token',
    'publish',
    'retention',
    'status',
    'stats',
    'export-batches',
    'import-batches',
  ])
    expect([cmd, admin(cmd, '--help').stdout]).toEqual([cmd, expect.stringMatching(new RegExp(`^Usage: admin ${cmd} `))]);
  // the signing key and the code pepper were created with mode 0600
  expect(statSync(join(dataDir, 'signing.key')).mode & 0o777).toBe(0o600);
  expect(statSync(join(dataDir, 'code-pepper.key')).mode & 0o777).toBe(0o600);
});

test('admin: revoking a token voids the codes it issued and that are unused; its name can be used again; status and stats', async () => {
  const d = mkdtempSync(join(tmpdir(), 'prtc-admin-'));
  const e = { DATA_DIR: d, DATABASE_URL: '', BATCH_INTERVAL_S: '0' };
  // the admin CLI runs while the server is up: without blocking this process (runToolAsync)
  const run = (...args: string[]) => runToolAsync('server/admin.ts', args, { env: e });
  const token = (await run('create-token', 'lab')).stdout.trim();
  const server = await spawnServer(e);
  try {
    const [used, unused, other] = await issueCodes(server.url, token, 3);
    const otherToken = (await run('create-token', 'clinic')).stdout.trim();
    const [fromOther] = await issueCodes(server.url, otherToken, 1);
    expect((await upload(server.url, uploadBody(used))).status).toBe(201);
    const revoked = JSON.parse((await run('revoke-token', 'lab', '--json')).stdout);
    expect(revoked).toEqual({ name: 'lab', revoked: true, voidedCodes: 2 }); // unused and other; not the used one
    for (const code of [unused, other]) {
      const r = await upload(server.url, uploadBody(code));
      expect([r.status, r.code]).toEqual([403, 'code_voided']);
    }
    expect((await upload(server.url, uploadBody(fromOther))).status).toBe(201); // another token's codes are untouched
    // the name is free again; the old row stays as history
    expect((await run('create-token', 'lab')).code).toBe(0);
    const tokens = JSON.parse((await run('list-tokens', '--json')).stdout) as { name: string; revokedAt: string | null }[];
    expect(tokens.filter((t) => t.name === 'lab').map((t) => t.revokedAt === null)).toEqual([false, true]);
    // status
    const status = JSON.parse((await run('status', '--json')).stdout);
    expect(status).toMatchObject({
      database: { kind: 'sqlite', state: 'ready' },
      head: null,
      pending: { keys: 2, warnings: 0 },
      liveCodes: 0,
      activeTokens: 2,
    });
    expect(status.keyFingerprint).toMatch(/^SHA256:[\w-]{43}$/);
    expect(status.publicKey).toBe(await publicKeyOf(server.url));
    expect((await run('status')).stdout).toMatch(/^database +sqlite, ready\nnewest batch +none yet\npending +2 keys/);
    // stats: today 4 issued, 2 used; keys once published
    expect((await run('publish')).stdout).toBe('1\n');
    const today = JSON.parse((await run('stats', '--json')).stdout).pop();
    expect(today).toMatchObject({ date: new Date().toISOString().slice(0, 10), codesIssued: 4, codesUsed: 2 });
  } finally {
    await server.stop();
    rmSync(d, { recursive: true, force: true });
  }
});

test('npm start: serves on the embedded database and shuts down cleanly on SIGTERM', async () => {
  const proc = spawn(join(__dirname, '../../node_modules/.bin/tsx'), [join(__dirname, '../../server/main.ts')], {
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', BATCH_INTERVAL_S: '0' },
  });
  let out = '';
  proc.stdout.on('data', (d) => {
    out += d;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no start: ${out}`)), 20000);
    proc.stdout.on('data', () => {
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
  });
  expect(out).toMatch(/database: sqlite/);
  expect((await fetch(url + '/readyz')).status).toBe(200);
  const code = await new Promise<number | null>((resolve) => {
    proc.on('exit', resolve);
    proc.kill('SIGTERM');
  });
  expect(code).toBe(0);
  expect(out).toMatch(/SIGTERM: finishing in-flight requests/);
});

test('the server logs JSON lines with levels (pino), LOG_LEVEL filters them, and no line holds an address or a user agent', async () => {
  const d = mkdtempSync(join(tmpdir(), 'prtc-log-'));
  try {
    const server = await spawnServer({ DATA_DIR: d, DATABASE_URL: '', ACCESS_LOG: '1' });
    await fetch(`${server.url}/healthz`, { headers: { 'user-agent': 'SecretPhone/9.9', 'x-forwarded-for': '203.0.113.7' } });
    await fetch(`${server.url}/v1/nothing`);
    expect(await server.stop()).toBe(0);
    const lines = server
      .output()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.every((l) => typeof l.level === 'string' && typeof l.time === 'string' && typeof l.msg === 'string')).toBe(true);
    expect(lines.find((l) => l.path === '/healthz')).toMatchObject({
      level: 'info',
      method: 'GET',
      status: 200,
      msg: expect.stringMatching(/^GET \/healthz 200 /),
    });
    expect(lines.find((l) => l.path === '/v1/nothing')).toMatchObject({ status: 404 });
    expect(server.output()).not.toMatch(/203\.0\.113\.7|SecretPhone|"hostname"|"pid"/);
    // the only address in the log is the server's own, in the line saying where it listens
    expect(lines.filter((l) => JSON.stringify(l).includes('127.0.0.1')).map((l) => l.msg)).toEqual([expect.stringMatching(/listening on/)]);
    for (const l of lines) expect(Object.keys(l).filter((k) => /ip|addr|agent|host/i.test(k))).toEqual([]);
    // LOG_LEVEL=warn keeps warnings and drops information
    const code = `const { pinoLogger } = require(${JSON.stringify(join(__dirname, '../../server/log.ts'))}); const l = pinoLogger(); l.info('an info line'); l.warn('a warning', { job: 'alarm' });`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], {
      env: { ...process.env, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    });
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out).toEqual([{ level: 'warn', time: expect.any(String), job: 'alarm', msg: 'a warning' }]);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
