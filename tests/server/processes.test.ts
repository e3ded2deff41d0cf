/** The admin CLI and `npm start` as real processes against a fresh embedded database. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '../helpers/run-tool';

const dataDir = mkdtempSync(join(tmpdir(), 'prtc-cli-'));
const env = { DATA_DIR: dataDir, DATABASE_URL: '' };
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const admin = (...args: string[]) => runTool('server/admin.ts', args, { env });

test('admin: create, list and revoke tokens; publish with nothing pending; bad arguments', () => {
  const created = admin('create-token', 'clinic-1');
  expect(created.code).toBe(0);
  expect(created.stdout).toMatch(/^prtc_[A-Za-z0-9_-]{43}\n$/);
  expect(admin('create-token', 'clinic-1').stderr).toMatch(/exists already/);
  expect(admin('list-tokens').stdout).toMatch(/^clinic-1\tcreated \S+\tactive\n$/);
  expect(admin('revoke-token', 'clinic-1').stdout).toBe('revoked clinic-1\n');
  expect(admin('list-tokens').stdout).toMatch(/\trevoked /);
  expect(admin('publish').stdout).toBe('nothing pending\n');
  for (const bad of [[], ['nope'], ['create-token'], ['revoke-token', 'ghost'], ['publish', 'extra'], ['create-token', 'bad name!']]) {
    const r = admin(...bad);
    expect([bad, r.code]).toEqual([bad, 2]);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }
  // the signing key and the code pepper were created with mode 0600
  expect(statSync(join(dataDir, 'signing.key')).mode & 0o777).toBe(0o600);
  expect(statSync(join(dataDir, 'code-pepper.key')).mode & 0o777).toBe(0o600);
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
